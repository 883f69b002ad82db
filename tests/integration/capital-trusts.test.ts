import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { capitalHistory, createTrust, linkAcademy, trustForPage, trustsPage, unlinkAcademy } from '../../src/lib/server/capital';
import { settingPicker } from '../../src/lib/server/pickers';
import { expectRefused as refused } from './refusals';
import { postedTwice } from './posts';

// Officers setting up academy trusts against a real PostgreSQL: adding a trust, linking and
// unlinking its academies, each at the trust's version seen and kept in its history; refusals
// (not an officer, not an academy, already in another trust without a reason, a stale version,
// bad input as field errors) write nothing; a double submit has one effect.

let test: TestDatabase;
let db: Database;
let officer: Actor;
let head: Actor;
const ids = { castle: 0, meadow: 0, community: 0 };

/** Everything trust set-up writes, to show a refusal wrote nothing. */
async function written() {
	const counts = await sql<{ n: string }>`select (select count(*) from academy_trust) + (select count(*) from audit_log) as n`.execute(db);
	const trusts = await db.selectFrom('academy_trust').select(['id', 'version']).orderBy('id').execute();
	const settings = await db.selectFrom('setting').select(['id', 'trust_id', 'version']).orderBy('id').execute();
	return { n: counts.rows[0].n, trusts, settings };
}

const trustOf = async (settingId: number) => (await db.selectFrom('setting').select('trust_id').where('id', '=', settingId).executeTakeFirstOrThrow()).trust_id;
const versionOf = async (trustId: number) => (await db.selectFrom('academy_trust').select('version').where('id', '=', trustId).executeTakeFirstOrThrow()).version;

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	const district = await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow();
	const locality = await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: district.id }).returning('id').executeTakeFirstOrThrow();
	const setting = (name: string, urn: string, type: string) =>
		db
			.insertInto('setting')
			.values({ urn, name, phase: 'secondary', setting_type: type, town: 'Banbury', pupil_count: 900, cluster_id: locality.id })
			.returning('id')
			.executeTakeFirstOrThrow()
			.then((r) => r.id);
	ids.castle = await setting('Castle Academy', '930001', 'academy');
	ids.meadow = await setting('Meadow Free School', '930002', 'free school');
	ids.community = await setting('Town School', '930003', 'community secondary');
	const [officerRow, headRow] = await db
		.insertInto('app_user')
		.values([
			{ name: 'Olive Officer', email: 'olive.officer@example.org', county_role: 'officer' },
			{ name: 'Hana Head', email: 'hana.head@example.org', county_role: null }
		])
		.returning('id')
		.execute();
	await db.insertInto('setting_membership').values({ user_id: headRow.id, setting_id: ids.castle, role: 'headteacher' }).execute();
	officer = (await loadActor(db, officerRow.id))!;
	head = (await loadActor(db, headRow.id))!;
});

afterAll(async () => {
	await test?.close();
});

describe('adding a trust', () => {
	it('an officer adds a trust with its Companies House number; it is listed and its history says who and why', async () => {
		const { id } = await createTrust(db, officer, { name: 'Cherwell Valley Trust', companyNumber: ' 0812 3456 ', reason: 'Converting in September' });
		const trust = await db.selectFrom('academy_trust').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		expect(trust).toMatchObject({ name: 'Cherwell Valley Trust', company_number: '08123456', version: 1 });
		const page = await trustsPage(db, officer);
		expect(page.items).toEqual([{ id, name: 'Cherwell Valley Trust', company_number: '08123456', academies: 0 }]);
		const history = await capitalHistory(db, 'academy_trust', id);
		expect(history[0]).toMatchObject({ who: 'Olive Officer', reason: 'Converting in September', summary: 'Added the academy trust Cherwell Valley Trust (Companies House number 08123456)' });
	});

	it('bad input and a name or number already used are field errors, and nothing is written', async () => {
		const before = await written();
		const blank = await refused(createTrust(db, officer, { name: '  ', companyNumber: 'ABC', reason: '' }), 'BAD_REQUEST');
		expect(blank.fieldErrors?.name).toEqual(['Enter the trust name']);
		expect(blank.fieldErrors?.companyNumber?.[0]).toMatch(/^Enter the Companies House number as 8 digits/);
		const name = await refused(createTrust(db, officer, { name: 'Cherwell Valley Trust', companyNumber: '', reason: '' }), 'BAD_REQUEST');
		expect(name.fieldErrors?.name).toEqual(['There is already a trust called Cherwell Valley Trust']);
		const number = await refused(createTrust(db, officer, { name: 'Another Trust', companyNumber: '08123456', reason: '' }), 'BAD_REQUEST');
		expect(number.fieldErrors?.companyNumber).toEqual(['Another trust already has the Companies House number 08123456']);
		expect(await written()).toEqual(before);
	});

	it('only council officers manage trusts: a headteacher is refused with why, and nothing is written', async () => {
		const before = await written();
		const trustId = (await trustsPage(db, officer)).items[0].id;
		await refused(createTrust(db, head, { name: 'My Trust', companyNumber: '', reason: '' }), 'FORBIDDEN', /Only council officers/);
		await refused(linkAcademy(db, head, { trustId, version: 1, settingId: ids.castle, reason: '' }), 'FORBIDDEN', /Only council officers/);
		await refused(unlinkAcademy(db, head, { trustId, version: 1, settingId: ids.castle, reason: 'x' }), 'FORBIDDEN', /Only council officers/);
		await refused(trustsPage(db, head), 'FORBIDDEN', /Only council officers/);
		await refused(trustForPage(db, head, trustId), 'FORBIDDEN', /Only council officers/);
		await refused(settingPicker(db, head, { query: 'Castle', for: 'trust' }), 'FORBIDDEN', /Only council officers/);
		expect(await written()).toEqual(before);
	});
});

describe('linking and unlinking academies', () => {
	let trustId = 0;
	let otherId = 0;

	beforeAll(async () => {
		trustId = (await db.selectFrom('academy_trust').select('id').where('name', '=', 'Cherwell Valley Trust').executeTakeFirstOrThrow()).id;
		otherId = (await createTrust(db, officer, { name: 'Thames Trust', companyNumber: '', reason: '' })).id;
	});

	it('the officer’s picker finds any setting by name', async () => {
		const found = await settingPicker(db, officer, { query: 'Castle', for: 'trust' });
		expect(found.options.map((o) => o.value)).toEqual([String(ids.castle)]);
	});

	it('an officer links an academy and a free school; the trust’s page lists them and its history says so', async () => {
		expect(await linkAcademy(db, officer, { trustId, version: '1', settingId: String(ids.castle), reason: '' })).toEqual({ trustId, version: 2 });
		await linkAcademy(db, officer, { trustId, version: 2, settingId: ids.meadow, reason: 'Joined in the spring' });
		expect(await trustOf(ids.castle)).toBe(trustId);
		const page = await trustForPage(db, officer, trustId);
		expect(page.trust.version).toBe(3);
		expect(page.academies.map((a) => a.name)).toEqual(['Castle Academy', 'Meadow Free School']);
		expect(page.history.slice(0, 2).map((h) => [h.summary, h.who, h.reason])).toEqual([
			['Linked Meadow Free School to Cherwell Valley Trust', 'Olive Officer', 'Joined in the spring'],
			['Linked Castle Academy to Cherwell Valley Trust', 'Olive Officer', null]
		]);
		expect((await trustsPage(db, officer)).items.find((t) => t.id === trustId)?.academies).toBe(2);
	});

	it('a school that is not an academy is refused with why, and nothing is written', async () => {
		const before = await written();
		const error = await refused(linkAcademy(db, officer, { trustId, version: 3, settingId: ids.community, reason: '' }), 'BAD_REQUEST');
		expect(error.fieldErrors?.settingId).toEqual(['Town School is a community secondary school. Only academies and free schools can be in an academy trust.']);
		expect(await written()).toEqual(before);
	});

	it('an academy in another trust is refused without a reason; with one it moves, and both trusts’ histories say so', async () => {
		const before = await written();
		const error = await refused(linkAcademy(db, officer, { trustId: otherId, version: 1, settingId: ids.castle, reason: '' }), 'BAD_REQUEST');
		expect(error.fieldErrors?.reason).toEqual(['Castle Academy is in Cherwell Valley Trust. To move it to Thames Trust, say why in the reason box.']);
		expect(await written()).toEqual(before);

		await linkAcademy(db, officer, { trustId: otherId, version: 1, settingId: ids.castle, reason: 'Rebrokered by the DfE' });
		expect(await trustOf(ids.castle)).toBe(otherId);
		expect(await versionOf(trustId)).toBe(4);
		for (const id of [trustId, otherId]) {
			const { history } = await trustForPage(db, officer, id);
			expect(history[0]).toMatchObject({ summary: 'Moved Castle Academy from Cherwell Valley Trust to Thames Trust', reason: 'Rebrokered by the DfE', who: 'Olive Officer' });
		}
	});

	it('a change on a stale version is a conflict naming who changed the trust and what is saved now', async () => {
		const before = await written();
		const error = await refused(unlinkAcademy(db, officer, { trustId, version: 3, settingId: ids.meadow, reason: 'Closing' }), 'CONFLICT');
		expect(error.message).toBe(
			'Olive Officer changed this trust while you were editing it. Saved now: academies Meadow Free School. Check your changes and save again.'
		);
		expect(await written()).toEqual(before);
	});

	it('unlinking needs a reason and an academy of the trust; bad input is a field error', async () => {
		const before = await written();
		const noReason = await refused(unlinkAcademy(db, officer, { trustId, version: 4, settingId: ids.meadow, reason: ' ' }), 'BAD_REQUEST');
		expect(noReason.fieldErrors?.reason).toEqual(['Say why the academy is leaving the trust']);
		const notOurs = await refused(unlinkAcademy(db, officer, { trustId, version: 4, settingId: ids.castle, reason: 'Gone' }), 'BAD_REQUEST');
		expect(notOurs.fieldErrors?.settingId).toEqual(['Castle Academy is not in Cherwell Valley Trust.']);
		const noChoice = await refused(linkAcademy(db, officer, { trustId, version: 4, settingId: '', reason: '' }), 'BAD_REQUEST');
		expect(noChoice.fieldErrors?.settingId).toEqual(['Choose the academy to link']);
		const badVersion = await refused(linkAcademy(db, officer, { trustId, version: 'x', settingId: ids.castle, reason: '' }), 'BAD_REQUEST');
		expect(badVersion.fieldErrors?.version).toBeDefined();
		expect(await written()).toEqual(before);
	});

	it('an officer unlinks an academy with why; the history keeps it', async () => {
		await unlinkAcademy(db, officer, { trustId, version: 4, settingId: ids.meadow, reason: 'Closing in July' });
		expect(await trustOf(ids.meadow)).toBeNull();
		const page = await trustForPage(db, officer, trustId);
		expect(page.academies).toEqual([]);
		expect(page.history[0]).toMatchObject({ action: 'capital.trust_academy_unlinked', summary: 'Unlinked Meadow Free School from Cherwell Valley Trust', reason: 'Closing in July' });
	});

	it('a link posted twice with one form token has one effect, and the repeat gets the first answer', async () => {
		const version = await versionOf(trustId);
		const auditBefore = await db.selectFrom('audit_log').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
		const [first, second] = await postedTwice('/(app)/capital/trusts/[id] link', officer.id, () => linkAcademy(db, officer, { trustId, version, settingId: ids.meadow, reason: '' }));
		expect(second).toEqual(first);
		expect(await versionOf(trustId)).toBe(version + 1);
		const auditAfter = await db.selectFrom('audit_log').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
		expect(Number(auditAfter.n) - Number(auditBefore.n)).toBe(1);
		// Sent again without the token (a stale page), it is refused, not applied twice.
		await refused(linkAcademy(db, officer, { trustId, version, settingId: ids.meadow, reason: '' }), 'CONFLICT');
	});
});
