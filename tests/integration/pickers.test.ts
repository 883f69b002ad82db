import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { appRouter } from '../../src/lib/server/trpc/router';
import { districtFilterPicker, pickerState, PICKER_LIMIT } from '../../src/lib/server/pickers';

// The setting and cluster pickers search only what the person may pick, asked of the policy:
// officers giving a role search every setting and cluster; the lead's staff adding a partner search
// the other settings of the bid's cluster; anyone else is refused.

let test: TestDatabase;
let db: Database;
const ids = {} as Record<string, number>;
const actors = {} as Record<string, Actor>;

const callerFor = (who: Actor | null) => appRouter.createCaller({ db, io: undefined, actor: who, session: null, event: {} as never });
const labels = (result: { options: { label: string }[] }) => result.options.map((o) => o.label);

async function cluster(key: string, name: string, parent?: number) {
	ids[key] = (await db.insertInto('cluster').values({ kind: parent ? 'locality' : 'district', name, parent_id: parent ?? null }).returning('id').executeTakeFirstOrThrow()).id;
}
async function setting(key: string, name: string, town: string, clusterId: number, urn: string) {
	ids[key] = (
		await db.insertInto('setting').values({ urn, name, phase: 'primary', setting_type: 'academy', town, pupil_count: 200, cluster_id: clusterId }).returning('id').executeTakeFirstOrThrow()
	).id;
}
async function person(key: string, roles: { setting?: number; role?: 'headteacher' | 'senco'; county?: 'officer' }) {
	const { id } = await db.insertInto('app_user').values({ email: `${key}@pickers.test`, name: key, county_role: roles.county ?? null }).returning('id').executeTakeFirstOrThrow();
	if (roles.setting && roles.role) await db.insertInto('setting_membership').values({ user_id: id, setting_id: roles.setting, role: roles.role }).execute();
	actors[key] = (await loadActor(db, id))!;
}

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	await cluster('cherwell', 'Cherwell');
	await cluster('banbury', 'Banbury', ids.cherwell);
	await cluster('bicester', 'Bicester', ids.cherwell);
	await cluster('vale', 'Vale of White Horse');
	await cluster('abingdon', 'Abingdon', ids.vale);
	for (let i = 1; i <= 25; i++) await setting(`banbury${i}`, `Banbury Primary ${String(i).padStart(2, '0')}`, 'Banbury', ids.banbury, `71${String(i).padStart(4, '0')}`);
	await setting('langford', 'Langford Village Academy', 'Bicester', ids.bicester, '720001');
	await setting('abbey', 'Abbey Woods Academy', 'Abingdon', ids.abingdon, '730001');
	await setting('bicesterFar', 'Bicester Road School', 'Abingdon', ids.abingdon, '730002');
	await person('officer', { county: 'officer' });
	await person('lead', { setting: ids.banbury1, role: 'headteacher' });
	await person('partner', { setting: ids.banbury2, role: 'senco' });
	await person('outsider', { setting: ids.abbey, role: 'headteacher' });
	const round = await db
		.insertInto('funding_round')
		.values({ cluster_id: ids.cherwell, name: 'Round', created_by: actors.officer.id, endorsement_rule: 'majority', max_request_pence: 100_000, pot_pence: 1_000_000, opens_at: new Date(), closes_at: new Date(Date.now() + 86_400_000) })
		.returning('id')
		.executeTakeFirstOrThrow();
	ids.bid = (
		await db.insertInto('bid').values({ round_id: round.id, cluster_id: ids.cherwell, lead_setting_id: ids.banbury1, created_by: actors.lead.id, title: 'A bid' }).returning('id').executeTakeFirstOrThrow()
	).id;
	await db.insertInto('bid_partner').values({ bid_id: ids.bid, setting_id: ids.banbury2, added_by: actors.lead.id }).execute();
});
afterAll(async () => test?.close());

describe('the setting picker for giving a role', () => {
	it('an officer finds any setting by part of its name, its town or its URN, with where it is', async () => {
		const caller = callerFor(actors.officer);
		expect(labels(await caller.pickers.settings({ query: 'langford' }))).toEqual(['Langford Village Academy, Bicester']);
		// "Bicester" is a town in one district and a school's name in another: both match.
		expect(labels(await caller.pickers.settings({ query: 'bicester' }))).toEqual(['Bicester Road School, Abingdon', 'Langford Village Academy, Bicester']);
		const byUrn = await caller.pickers.settings({ query: '730001' });
		expect(byUrn.options).toEqual([{ value: String(ids.abbey), label: 'Abbey Woods Academy, Abingdon', hint: 'Abingdon locality, Vale of White Horse' }]);
	});

	it('shows a screenful and says there are more; nothing until something is typed', async () => {
		const caller = callerFor(actors.officer);
		const many = await caller.pickers.settings({ query: 'banbury primary' });
		expect(many.options).toHaveLength(PICKER_LIMIT);
		expect(many.more).toBe(true);
		expect(await caller.pickers.settings({ query: '' })).toEqual({ options: [], more: false });
		expect((await caller.pickers.settings({ query: '100%' })).options).toEqual([]);
	});

	it('one or two letters find settings whose names start with them, not towns or words inside', async () => {
		const caller = callerFor(actors.officer);
		expect(labels(await caller.pickers.settings({ query: 'ab' }))).toEqual(['Abbey Woods Academy, Abingdon']);
		expect(labels(await caller.pickers.clusters({ query: 'bi' }))).toEqual(['Bicester (locality)']);
	});

	it('is refused to anyone who may not give roles', async () => {
		for (const who of ['lead', 'partner', 'outsider']) {
			await expect(callerFor(actors[who]).pickers.settings({ query: 'banbury' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(callerFor(actors[who]).pickers.clusters({ query: 'banbury' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		}
	});

	it('refuses junk input with BAD_REQUEST', async () => {
		const caller = callerFor(actors.officer);
		await expect(caller.pickers.settings({ query: 'x'.repeat(500) })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await expect(caller.pickers.settings({ query: 'a\u0000b' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await expect(caller.pickers.settings({ query: 'a', bidId: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});
});

describe('the cluster picker', () => {
	it('an officer finds active districts and localities by name', async () => {
		const found = await callerFor(actors.officer).pickers.clusters({ query: 'ban' });
		expect(found.options).toEqual([{ value: String(ids.banbury), label: 'Banbury (locality)', hint: 'Locality in Cherwell' }]);
		await db.updateTable('cluster').set({ status: 'retired' }).where('id', '=', ids.abingdon).execute();
		try {
			expect(labels(await callerFor(actors.officer).pickers.clusters({ query: 'abingdon' }))).toEqual([]);
		} finally {
			await db.updateTable('cluster').set({ status: 'active' }).where('id', '=', ids.abingdon).execute();
		}
	});
});

describe('the locality picker for moving a setting (county set-up)', () => {
	it('an officer finds active locality clusters only, never a district', async () => {
		const caller = callerFor(actors.officer);
		expect(labels(await caller.pickers.clusters({ query: 'b', for: 'moveSetting' }))).toEqual(['Banbury (locality)', 'Bicester (locality)']);
		// The district is found for a role, but is no place to move a setting to.
		expect(labels(await caller.pickers.clusters({ query: 'cherwell' }))).toEqual(['Cherwell (district)']);
		expect(labels(await caller.pickers.clusters({ query: 'cherwell', for: 'moveSetting' }))).toEqual([]);
		const state = await pickerState(db, actors.officer, 'cluster', { query: 'abing', chosen: String(ids.cherwell), for: 'moveSetting' });
		expect(labels(state)).toEqual(['Abingdon (locality)']);
		// A district chosen by hand in the address is not kept as the choice.
		expect(state.chosen).toBeNull();
		const kept = await pickerState(db, actors.officer, 'cluster', { query: '', chosen: String(ids.bicester), for: 'moveSetting' });
		expect(kept.chosen?.label).toBe('Bicester (locality)');
	});

	it('is refused to anyone who may not change the cluster tree, with the reason', async () => {
		for (const who of ['lead', 'partner', 'outsider']) {
			await expect(callerFor(actors[who]).pickers.clusters({ query: 'banbury', for: 'moveSetting' })).rejects.toMatchObject({
				code: 'FORBIDDEN',
				message: expect.stringContaining('move settings between them')
			});
			await expect(pickerState(db, actors[who], 'cluster', { query: 'banbury', chosen: null, for: 'moveSetting' })).rejects.toThrow(/move settings between them/);
		}
		await expect(callerFor(actors.officer).pickers.clusters({ query: 'banbury', for: 'anything' as 'role' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});
});

describe('the district picker for creating a locality (county set-up)', () => {
	it('an officer finds active district clusters only, never a locality; refused to anyone who may not change the cluster tree', async () => {
		const caller = callerFor(actors.officer);
		expect(labels(await caller.pickers.clusters({ query: 'cherwell', for: 'createLocality' }))).toEqual(['Cherwell (district)']);
		expect(labels(await caller.pickers.clusters({ query: 'b', for: 'createLocality' }))).toEqual([]);
		const state = await pickerState(db, actors.officer, 'cluster', { query: '', chosen: String(ids.banbury), for: 'createLocality' });
		// A locality chosen by hand in the address is not kept as the choice; a district is.
		expect(state.chosen).toBeNull();
		expect((await pickerState(db, actors.officer, 'cluster', { query: '', chosen: String(ids.cherwell), for: 'createLocality' })).chosen?.label).toBe('Cherwell (district)');
		for (const who of ['lead', 'partner', 'outsider']) {
			await expect(callerFor(actors[who]).pickers.clusters({ query: 'cherwell', for: 'createLocality' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		}
	});
});

describe("a report's district filter", () => {
	it('anyone signed in finds active district clusters by name (district names are public), never a locality; nobody signed out', async () => {
		for (const who of ['officer', 'lead', 'partner', 'outsider']) {
			const caller = callerFor(actors[who]);
			expect(labels(await caller.pickers.clusters({ query: 'cherwell', for: 'district' })), who).toEqual(['Cherwell (district)']);
			expect(labels(await caller.pickers.clusters({ query: 'banbury', for: 'district' })), who).toEqual([]);
		}
		// The district a report is showing stays chosen; a locality's id is not taken for one.
		const shown = await districtFilterPicker(db, actors.lead, new URLSearchParams('districtQuery=oxf'), ids.cherwell);
		expect(shown.chosen?.label).toBe('Cherwell (district)');
		expect(shown.query).toBe('oxf');
		expect((await districtFilterPicker(db, actors.lead, new URLSearchParams(), ids.banbury)).chosen).toBeNull();
		expect((await districtFilterPicker(db, actors.lead, new URLSearchParams(), null)).chosen).toBeNull();
		await expect(callerFor(null).pickers.clusters({ query: 'cherwell', for: 'district' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
	});
});

describe("the bid's partner picker", () => {
	it("the lead's staff see the other settings of the bid's cluster only, without the lead or partners", async () => {
		const caller = callerFor(actors.lead);
		const first = await caller.pickers.settings({ query: '', bidId: ids.bid });
		expect(first.options).toHaveLength(PICKER_LIMIT);
		expect(first.options.map((o) => o.value)).not.toContain(String(ids.banbury1));
		expect(first.options.map((o) => o.value)).not.toContain(String(ids.banbury2));
		expect(labels(await caller.pickers.settings({ query: 'bicester', bidId: ids.bid }))).toEqual(['Langford Village Academy, Bicester']);
		expect(labels(await caller.pickers.settings({ query: 'abbey', bidId: ids.bid }))).toEqual([]);
	});

	it("is refused to a partner's staff, outsiders and officers, and a bid that does not exist is not found", async () => {
		for (const who of ['partner', 'outsider', 'officer']) {
			await expect(callerFor(actors[who]).pickers.settings({ query: '', bidId: ids.bid })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		}
		await expect(callerFor(actors.lead).pickers.settings({ query: '', bidId: 999_999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});
});

describe('a picker as a page renders it', () => {
	it('keeps the choice already made in view, and ignores junk in the address', async () => {
		const state = await pickerState(db, actors.officer, 'setting', { query: 'langford', chosen: String(ids.abbey) });
		expect(state.query).toBe('langford');
		expect(labels(state)).toEqual(['Langford Village Academy, Bicester']);
		expect(state.chosen?.label).toBe('Abbey Woods Academy, Abingdon');
		const junk = await pickerState(db, actors.officer, 'setting', { query: 'x'.repeat(500), chosen: '1e9' });
		expect(junk).toEqual({ query: '', options: [], more: false, chosen: null });
		// A partner picker never shows a choice outside the bid's cluster, even if the address names one.
		const partner = await pickerState(db, actors.lead, 'setting', { query: 'zzz', chosen: String(ids.abbey), bidId: ids.bid });
		expect(partner.chosen).toBeNull();
	});
});
