import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import { LARGE_TABLES, planRecorder } from './plans';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { APPLICATIONS_KEY, REGISTER_KEY, applicationsPage, districtNeedsPage, registerPage } from '../../src/lib/server/capital/applications';
import { QUEUE_KEY, assessQueue } from '../../src/lib/server/capital/assessment';
import { approvedApplicationsPage } from '../../src/lib/server/capital/money/queries';
import { parseCursor } from '../../src/lib/server/paging';
import { DISTRICT_KEY } from '../../src/lib/server/workspace/queries';
import { buildCountry, firstId, NO_WHOLE_READS as NONE, personId, secondPage as second, settle } from '../fixtures/plan-rows';

// The inclusion-base capital lists, as their pages run them (caught from a logging connection):
// the applications a person may see (an officer every one; setting staff their settings'; a
// district's cluster lead its submitted ones), an assessor's queue, the rollout register (searched
// and filtered) and the approved applications on the money page, first and later pages. Every
// query must have an index to serve it, and a list of one person's rows must not walk the whole
// table filtering for them (see plans.ts). Applications grow with every authority in England.

const CAPITAL_TABLES = [...LARGE_TABLES, 'capital_application', 'capital_application_setting', 'capital_rollout', 'capital_commitment'];

let test: TestDatabase;
let recorder: ReturnType<typeof planRecorder>;
const actors: Record<'officer' | 'staff' | 'lead', Actor> = {} as never;

beforeAll(async () => {
	test = await freshDatabase();
	recorder = planRecorder(test.db, test.url, CAPITAL_TABLES);
	const { db } = test;
	// 100 districts of 5 localities, 5,000 settings (a tenth secondary, on the rollout register),
	// 4 lines in 4 rounds, 10,000 applications across every stage, a tenth with a partner setting.
	await buildCountry(db, { districts: 100, localities: 500, settings: 5000, secondaryEvery: 10, people: 500 });
	await sql`
		insert into capital_line (name, process) select 'Line ' || n, case when n = 1 then 'rollout' else 'scheme' end from generate_series(1, 4) n;
		insert into capital_round (name, status, closes_on) select 'Round ' || n, 'open', date '2027-01-01' from generate_series(1, 4) n;
		insert into capital_round_line (round_id, line_id) select r.id, l.id from capital_round r, capital_line l;
		insert into capital_application (reference, round_id, line_id, setting_id, district_id, stage, title, created_by)
			select 'CAP-' || n, (select min(id) from capital_round) + n % 4, (select min(id) from capital_line) + n % 4, s.id, l.parent_id,
				(array['draft', 'submitted', 'in_assessment', 'approved', 'in_delivery', 'open', 'declined'])[1 + n % 7], 'Application ' || n, (select min(id) from app_user)
			from generate_series(1, 10000) n
			join setting s on s.id = (select min(id) from setting) + (n * 7) % 5000
			join cluster l on l.id = s.cluster_id;
		insert into capital_application_setting (application_id, setting_id)
			select a.id, (select min(id) from setting) + (a.id * 13) % 5000 from capital_application a where a.id % 10 = 0;
		insert into capital_rollout (setting_id, line_id, status)
			select s.id, (select min(id) from capital_line), 'not_engaged' from setting s where s.phase = 'secondary';
	`.execute(db);
	await settle(db);
	const [officer, staff, lead] = [await personId(db, 1), await personId(db, 2), await personId(db, 3)];
	await db.updateTable('app_user').set({ county_role: 'officer' }).where('id', '=', officer).execute();
	const application = await db.selectFrom('capital_application').select(['setting_id', 'district_id']).orderBy('id').executeTakeFirstOrThrow();
	await db.insertInto('setting_membership').values({ user_id: staff, setting_id: application.setting_id, role: 'headteacher' }).execute();
	await db.insertInto('cluster_role').values({ user_id: lead, cluster_id: application.district_id, role: 'cluster_lead' }).execute();
	await sql`insert into capital_assessor (round_id, line_id, user_id) select r.id, l.id, ${officer} from capital_round r, capital_line l`.execute(db);
	for (const [key, id] of [['officer', officer], ['staff', staff], ['lead', lead]] as const) actors[key] = (await loadActor(db, id))!;
}, 120_000);

afterAll(async () => {
	await recorder?.destroy();
	await test?.close();
});

const plansOf = (read: (db: Database) => Promise<unknown>) => recorder.plansOf(read);

describe('capital lists use an index, not a whole-table read', () => {
	it.each(['officer', 'staff', 'lead'] as const)('the applications list (/capital/applications) for %s, first and later pages', async (who) => {
		const first = await applicationsPage(test.db, actors[who], null);
		expect(await plansOf((db) => applicationsPage(db, actors[who], null))).toEqual(NONE);
		if (who === 'staff') return; // a setting's few applications fit on one page
		const next = second(first.next, APPLICATIONS_KEY);
		expect(await plansOf((db) => applicationsPage(db, actors[who], next))).toEqual(NONE);
		const page = await applicationsPage(test.db, actors[who], next);
		expect(await plansOf((db) => applicationsPage(db, actors[who], parseCursor(page.previous, APPLICATIONS_KEY)))).toEqual(NONE);
	});

	it('an assessor’s queue (/capital/assess), first and second page', async () => {
		const first = await assessQueue(test.db, actors.officer, null);
		expect((await plansOf((db) => assessQueue(db, actors.officer, null))).scans).toEqual([]);
		expect((await plansOf((db) => assessQueue(db, actors.officer, second(first.next, QUEUE_KEY)))).scans).toEqual([]);
	});

	it.each([
		['everything', { search: '', districtId: null, status: null }],
		['a name', { search: 'school 3f', districtId: null, status: null }],
		['one or two letters', { search: 'sc', districtId: null, status: null }],
		['a district and a status', { search: '', districtId: -1, status: 'not_engaged' as const }]
	])('the rollout register (/capital/register) searched by %s', async (_, filter) => {
		const districtId = filter.districtId === null ? null : await firstId(test.db, 'cluster');
		const searched = { ...filter, districtId };
		expect((await plansOf((db) => registerPage(db, actors.officer, searched, null))).scans).toEqual([]);
		expect((await plansOf((db) => registerPage(db, actors.officer, searched, { direction: 'after', key: ['School 3', 1] }))).scans).toEqual([]);
	});

	it('the rollout register’s second page, as its Next link gives it', async () => {
		const first = await registerPage(test.db, actors.officer, { search: '', districtId: null, status: null }, null);
		expect((await plansOf((db) => registerPage(db, actors.officer, { search: '', districtId: null, status: null }, second(first.page.next, REGISTER_KEY)))).scans).toEqual([]);
	});

	it('the district need figures (/capital/needs), first and second page of districts, with their history', async () => {
		const first = await districtNeedsPage(test.db, actors.officer, null);
		expect(first.next).not.toBeNull();
		expect((await plansOf((db) => districtNeedsPage(db, actors.officer, null))).scans).toEqual([]);
		expect((await plansOf((db) => districtNeedsPage(db, actors.officer, second(first.next, DISTRICT_KEY)))).scans).toEqual([]);
	});

	it('approved applications on the money page (/capital/money), first and second page', async () => {
		const first = await approvedApplicationsPage(test.db, actors.officer, null);
		expect((await plansOf((db) => approvedApplicationsPage(db, actors.officer, null))).scans).toEqual([]);
		expect((await plansOf((db) => approvedApplicationsPage(db, actors.officer, second(first.next, ['int'])))).scans).toEqual([]);
	});
});
