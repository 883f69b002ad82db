import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { DomainError } from '../../src/lib/server/errors';
import { addPartner, confirmPledge, createBid, openRound, saveSection, submitBid } from '../../src/lib/server/bids/commands';
import { bidDetail } from '../../src/lib/server/bids/queries';
import { refuseSection } from '../../src/lib/server/document/form';
import { conflictFieldId } from '../../src/lib/document';

// What the bid's pages are given: the overview's task list, the check page's list of what is
// missing (sections, then the submission's own needs) and a section page's refused save.

let test: TestDatabase;
let db: Database;
const ids = {} as Record<string, number>;
const actors = {} as Record<string, Actor>;
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

async function person(key: string, setting: number, role: 'headteacher' | 'senco' | null, county: 'officer' | null = null) {
	const { id } = await db.insertInto('app_user').values({ email: `${key}@pages.test`, name: key, county_role: county }).returning('id').executeTakeFirstOrThrow();
	if (role) await db.insertInto('setting_membership').values({ user_id: id, setting_id: setting, role }).execute();
	ids[key] = id;
	actors[key] = (await loadActor(db, id))!;
}

async function setting(key: string, name: string, clusterId: number) {
	const { id } = await db
		.insertInto('setting')
		.values({ urn: `8${Object.keys(ids).length}${Math.floor(Math.random() * 1e5)}`, name, phase: 'primary', setting_type: 'academy', town: 'Banbury', pupil_count: 200, cluster_id: clusterId })
		.returning('id')
		.executeTakeFirstOrThrow();
	ids[key] = id;
}

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	const district = await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow();
	const banbury = await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: district.id }).returning('id').executeTakeFirstOrThrow();
	ids.banbury = banbury.id;
	await setting('meadow', 'Meadowside Primary', banbury.id);
	await setting('castle', 'Castlebrook Academy', banbury.id);
	await person('officer', ids.meadow, null, 'officer');
	await person('head', ids.meadow, 'headteacher');
	await person('senco', ids.meadow, 'senco');
	await person('partnerSenco', ids.castle, 'senco');
	await person('partnerHead', ids.castle, 'headteacher');
	ids.round = await openRound(db, actors.officer, {
		clusterId: ids.banbury,
		name: 'Spring pooled fund',
		potPence: 5_000_000,
		maxRequestPence: 3_000_000,
		opensOn: inDays(0),
		closesOn: inDays(30),
		guidance: '',
		endorsementRule: 'count',
		endorsementValue: 1
	});
});

afterAll(async () => {
	await test?.close();
});

/** Saves a section against the version the writer sees now. */
const save = (bidId: number, section: string, content: unknown, writer = actors.senco) =>
	bidDetail(db, writer, bidId).then((d) =>
		saveSection(db, writer, { bidId, section, version: d.bid.section_versions[section as 'overview'] ?? 0, content } as Parameters<typeof saveSection>[2])
	);

async function newBid(): Promise<number> {
	const bidId = await createBid(db, actors.senco, { roundId: ids.round, leadSettingId: ids.meadow, title: 'Shared speech and language therapist' });
	await addPartner(db, actors.senco, { bidId, settingId: ids.castle });
	return bidId;
}

async function readyBid(): Promise<number> {
	const bidId = await newBid();
	await save(bidId, 'overview', { title: 'Shared speech and language therapist', summary: 'One therapist across two settings.' });
	await save(bidId, 'need', { needs: ['communication_interaction'], phases: ['primary'], cohortSize: 40 });
	await save(bidId, 'measures', { measures: [{ measure: 'IM4', outcome: 'Needs identified a term earlier' }] });
	await save(bidId, 'budget', { lines: [{ item: 'Therapist, 0.6 FTE', category: 'staffing', costPence: 1_200_000 }] });
	await save(bidId, 'pledges', { pledges: [{ settingId: ids.meadow, moneyPence: 100_000, staffHours: 0, staffDescription: '' }] });
	await save(bidId, 'milestones', { milestones: [{ title: 'Therapist in post', dueOn: inDays(60) }] });
	await save(bidId, 'evaluation', { evaluation: 'WellComm scores each term.' });
	const pledgeVersion = (await bidDetail(db, actors.head, bidId)).bid.section_versions.pledges ?? 0;
	await confirmPledge(db, actors.head, { bidId, settingId: ids.meadow, sectionVersion: pledgeVersion });
	await confirmPledge(db, actors.partnerHead, { bidId, settingId: ids.castle, sectionVersion: pledgeVersion });
	return bidId;
}

describe('the bid’s overview and check page', () => {
	it('completes “Title and summary” for every reader: the lead’s sign-off belongs to the submission', async () => {
		const bidId = await newBid();
		await save(bidId, 'overview', { title: 'Shared therapist', summary: 'One therapist across two settings.' });
		const forSenco = await bidDetail(db, actors.senco, bidId);
		const forHead = await bidDetail(db, actors.head, bidId);
		for (const detail of [forSenco, forHead]) {
			expect(detail.tasks.find((task) => task.section === 'overview')).toMatchObject({ status: 'completed', hints: [], href: `/bids/${bidId}/sections/overview` });
			expect(detail.missing.some((item) => item.section === 'overview')).toBe(false);
		}
		// Anyone but the lead headteacher is told the sign-off is still to come; she is the one to give it.
		expect(forSenco.signOffNeeds).toEqual(['The lead setting’s headteacher must sign off the bid']);
		expect(forHead.signOffNeeds).toEqual([]);
	});

	it('lists what is missing section by section, each linking to its section’s page', async () => {
		const bidId = await newBid();
		const { missing } = await bidDetail(db, actors.head, bidId);
		expect([...new Set(missing.map((item) => item.section))]).toEqual(['overview', 'need', 'measures', 'budget', 'pledges', 'milestones', 'evaluation']);
		for (const item of missing) expect(item.href).toBe(`/bids/${bidId}/sections/${item.section}`);
	});

	it('refuses a submission once the round has closed, on the submission rather than on a section', async () => {
		const bidId = await readyBid();
		const { version } = (await bidDetail(db, actors.head, bidId)).bid;
		await db.updateTable('funding_round').set({ closes_at: new Date(Date.now() - 60_000) }).where('id', '=', ids.round).execute();
		try {
			const refused = await submitBid(db, actors.head, { bidId, version }).then(
				() => null,
				(error: unknown) => error
			);
			expect(refused).toBeInstanceOf(DomainError);
			expect((refused as DomainError).fieldErrors).toEqual({ submission: ['The funding round is not open for submissions'] });
		} finally {
			await db.updateTable('funding_round').set({ closes_at: new Date(Date.now() + 30 * 86_400_000) }).where('id', '=', ids.round).execute();
		}
		// Open again, the same bid is submitted.
		await submitBid(db, actors.head, { bidId, version });
		expect((await bidDetail(db, actors.head, bidId)).bid.status).not.toBe('draft');
	});
});

describe('a section page’s refused save', () => {
	it('answers a clash with 409, the other writer’s text and the version to merge onto', async () => {
		const bidId = await newBid();
		const seen = (await bidDetail(db, actors.partnerSenco, bidId)).bid.section_versions.overview ?? 0;
		await save(bidId, 'overview', { title: 'Shared therapist', summary: 'Meadowside’s words.' });
		const clash = await saveSection(db, actors.partnerSenco, {
			bidId,
			section: 'overview',
			version: seen,
			content: { title: 'Shared therapist', summary: 'Castlebrook’s words.' }
		}).then(
			() => null,
			(error: unknown) => error
		);
		const answer = refuseSection(clash, 'save', {}, () => null);
		expect(answer.status).toBe(409);
		expect(answer.data.sectionConflict?.theirs).toContain('Summary: Meadowside’s words.');
		expect(answer.data.sectionConflict?.version).toBe((await bidDetail(db, actors.senco, bidId)).bid.section_versions.overview);
		expect(Object.keys(answer.data.errors)).toEqual([conflictFieldId('save')]);
		// Nothing of the second writer's was saved.
		expect((await bidDetail(db, actors.senco, bidId)).content.summary).toBe('Meadowside’s words.');
	});
});
