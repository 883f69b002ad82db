import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import { seedDemoCounty } from '../../db/seed/index';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SETTINGS, demoAccount, type DemoAccountKey } from '../../db/seed/demo-accounts';
import { verifyPassword } from '../../src/lib/server/auth/password';

const PHASES = ['early_years', 'primary', 'secondary', 'all_through', 'special', 'alternative_provision', 'post16'];
const DISTRICTS = ['Cherwell', 'Oxford', 'South Oxfordshire', 'Vale of White Horse', 'West Oxfordshire'];

let test: TestDatabase;
let firstSummary: Awaited<ReturnType<typeof seedDemoCounty>>;

beforeAll(async () => {
	test = await freshDatabase();
	firstSummary = await seedDemoCounty(test.db);
});

afterAll(async () => {
	await test?.close();
});

async function tableCounts() {
	const counts: Record<string, number> = {};
	for (const table of ['cluster', 'setting', 'app_user', 'setting_membership', 'cluster_role', 'activity'] as const) {
		const row = await test.db
			.selectFrom(table)
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		counts[table] = Number(row.n);
	}
	return counts;
}

/** One person's grants, as "setting name:role", "cluster name:role" and the county role. */
async function grantsOf(key: DemoAccountKey) {
	const user = await test.db
		.selectFrom('app_user')
		.select(['id', 'name', 'county_role', 'password_hash'])
		.where((eb) => eb(eb.fn('lower', ['email']), '=', demoAccount(key).email.toLowerCase()))
		.executeTakeFirstOrThrow();
	const settings = await test.db
		.selectFrom('setting_membership as m')
		.innerJoin('setting as s', 's.id', 'm.setting_id')
		.innerJoin('cluster as c', 'c.id', 's.cluster_id')
		.select(['s.name', 'm.role', 'c.name as cluster'])
		.where('m.user_id', '=', user.id)
		.execute();
	const clusters = await test.db
		.selectFrom('cluster_role as r')
		.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
		.select(['c.name', 'c.kind', 'r.role'])
		.where('r.user_id', '=', user.id)
		.execute();
	return { user, settings, clusters };
}

describe('demo county seed', () => {
	it('creates the five real districts, each with 3-4 locality clusters', async () => {
		const districts = await test.db.selectFrom('cluster').select(['id', 'name']).where('kind', '=', 'district').execute();
		expect(districts.map((d) => d.name).sort()).toEqual([...DISTRICTS].sort());
		for (const district of districts) {
			const localities = await test.db
				.selectFrom('cluster')
				.select('id')
				.where('kind', '=', 'locality')
				.where('parent_id', '=', district.id)
				.execute();
			expect(localities.length, district.name).toBeGreaterThanOrEqual(3);
			expect(localities.length, district.name).toBeLessThanOrEqual(4);
		}
		expect(firstSummary.districts).toBe(5);
	});

	it('creates at least 150 fictional settings covering every phase, with about 42 secondaries and 3 FE colleges', async () => {
		const settings = await test.db.selectFrom('setting').select(['urn', 'phase', 'setting_type']).execute();
		expect(settings.length).toBeGreaterThanOrEqual(150);
		expect(settings.length).toBe(firstSummary.settings);
		expect(new Set(settings.map((s) => s.phase))).toEqual(new Set(PHASES));
		expect(settings.every((s) => /^9\d{5}$/.test(s.urn))).toBe(true);
		expect(settings.filter((s) => s.phase === 'secondary')).toHaveLength(42);
		expect(settings.filter((s) => s.setting_type === 'FE college')).toHaveLength(3);
	});

	it('gives every locality settings, and every district a special school', async () => {
		const empty = await test.db
			.selectFrom('cluster as c')
			.leftJoin('setting as s', 's.cluster_id', 'c.id')
			.select('c.name')
			.where('c.kind', '=', 'locality')
			.groupBy('c.name')
			.having((eb) => eb.fn.count('s.id'), '=', 0)
			.execute();
		expect(empty).toEqual([]);
		const withSpecial = await test.db
			.selectFrom('setting as s')
			.innerJoin('cluster as l', 'l.id', 's.cluster_id')
			.innerJoin('cluster as d', 'd.id', 'l.parent_id')
			.select('d.name')
			.distinct()
			.where('s.phase', '=', 'special')
			.execute();
		expect(withSpecial).toHaveLength(5);
	});

	it('creates each demo account with the role it describes', async () => {
		expect((await grantsOf('officer')).user.county_role).toBe('officer');
		expect((await grantsOf('admin')).user.county_role).toBe('admin');

		const banbury = (key: DemoAccountKey) => grantsOf(key).then((g) => g.settings);
		expect(await banbury('headteacher')).toEqual([{ name: DEMO_SETTINGS.banburyPrimary, role: 'headteacher', cluster: 'Banbury' }]);
		expect(await banbury('senco')).toEqual([{ name: DEMO_SETTINGS.banburyPrimary, role: 'senco', cluster: 'Banbury' }]);
		expect(await banbury('partnerHeadteacher')).toEqual([
			{ name: DEMO_SETTINGS.banburySecondary, role: 'headteacher', cluster: 'Banbury' }
		]);
		expect(await banbury('partnerSenco')).toEqual([{ name: DEMO_SETTINGS.banburySecondary, role: 'senco', cluster: 'Banbury' }]);
		expect(await banbury('otherHeadteacher')).toEqual([{ name: DEMO_SETTINGS.banburyPathways, role: 'headteacher', cluster: 'Banbury' }]);

		const partnerPhase = await test.db
			.selectFrom('setting')
			.select('phase')
			.where('name', '=', DEMO_SETTINGS.banburySecondary)
			.executeTakeFirstOrThrow();
		expect(partnerPhase.phase).toBe('secondary');

		const lead = await grantsOf('clusterLead');
		expect(lead.clusters).toEqual([{ name: 'Banbury', kind: 'locality', role: 'cluster_lead' }]);
		expect(lead.settings).toEqual([{ name: DEMO_SETTINGS.banburyLeadPrimary, role: 'headteacher', cluster: 'Banbury' }]);

		expect((await grantsOf('pcfRep')).clusters).toEqual([{ name: 'Cherwell', kind: 'district', role: 'pcf_rep' }]);
		expect((await grantsOf('sendiass')).clusters).toEqual([{ name: 'Cherwell', kind: 'district', role: 'sendiass_officer' }]);
		expect((await grantsOf('panelMember')).clusters).toEqual([{ name: 'Cherwell', kind: 'district', role: 'panel_member' }]);

		const oxford = await grantsOf('oxfordSenco');
		expect(oxford.settings).toEqual([{ name: DEMO_SETTINGS.oxfordPrimary, role: 'senco', cluster: 'North & Central Oxford' }]);
		expect(oxford.clusters).toEqual([]);

		// Only the two council accounts hold a county role.
		for (const account of DEMO_ACCOUNTS) {
			const { user } = await grantsOf(account.key);
			expect(user.name).toBe(account.name);
			if (account.key !== 'officer' && account.key !== 'admin') expect(user.county_role).toBeNull();
		}
	});

	it('puts further staff in Cherwell settings and opens the Banbury and Cherwell feeds', async () => {
		const cherwellStaff = await test.db
			.selectFrom('setting_membership as m')
			.innerJoin('setting as s', 's.id', 'm.setting_id')
			.innerJoin('cluster as l', 'l.id', 's.cluster_id')
			.innerJoin('cluster as d', 'd.id', 'l.parent_id')
			.select(sql<number>`count(distinct m.user_id)`.as('n'))
			.where('d.name', '=', 'Cherwell')
			.executeTakeFirstOrThrow();
		expect(Number(cherwellStaff.n)).toBeGreaterThanOrEqual(15);
		const feeds = await test.db
			.selectFrom('activity as a')
			.innerJoin('cluster as c', 'c.id', 'a.cluster_id')
			.select(['c.name', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('c.name')
			.execute();
		expect(Object.fromEntries(feeds.map((f) => [f.name, Number(f.n)]))).toEqual({ Banbury: 4, Cherwell: 4 });
	});

	it('gives every person a name no one else has, and every demo scenario its own application', async () => {
		// Each feature seeds its own people and applications; two seeds reusing a name or a reference
		// would make a person ambiguous in every list, or one seed silently skip its scenario.
		const sameName = await test.db.selectFrom('app_user').select('name').groupBy('name').having(sql<boolean>`count(*) > 1`).execute();
		expect(sameName).toEqual([]);
		const scenarios = await test.db.selectFrom('capital_application').select(['reference', 'stage']).where('reference', 'in', ['CAP-DEMO-SP1', 'CAP-DEMO-PILOT1']).orderBy('reference').execute();
		expect(scenarios).toEqual([
			{ reference: 'CAP-DEMO-PILOT1', stage: 'in_assessment' },
			{ reference: 'CAP-DEMO-SP1', stage: 'in_assessment' }
		]);
	});

	it('leaves every table unchanged when run a second time', async () => {
		const before = await tableCounts();
		const again = await seedDemoCounty(test.db);
		expect(await tableCounts()).toEqual(before);
		expect(again).toEqual(firstSummary);
	});

	it('lets a demo account sign in with the shared demo password', async () => {
		const { user } = await grantsOf('senco');
		expect(user.password_hash).toBeTruthy();
		expect(await verifyPassword(user.password_hash ?? '', DEMO_PASSWORD)).toBe(true);
		expect(await verifyPassword(user.password_hash ?? '', 'not-the-demo-password')).toBe(false);
	});
});
