import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import { LARGE_TABLES, planRecorder } from './plans';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { EDITIONS_KEY, editionsFor, publicEditions } from '../../src/lib/server/pcf/editions';
import { CONSULTATIONS_KEY, consultationsFor, districtConsultations, workspaceConsultations } from '../../src/lib/server/pcf/consultations';
import { GROUP_APPLICATIONS_KEY, GROUP_BIDS_KEY, GROUP_ROUNDS_KEY, PUBLIC_POINTS_KEY, groupPage, publicChoices, publicPoints } from '../../src/lib/server/pcf/queries';
import { parseCursor } from '../../src/lib/server/paging';
import { buildCountry, firstId, NO_WHOLE_READS as NONE, personId, secondPage as second, settle } from '../fixtures/plan-rows';

// The PCF lists, as their pages run them (caught from a logging connection), must each have an
// index to serve every query: the editions (staff and public), the consultations, a group's bids
// and the public "you said, we did" points, first and later pages. Editions, consultations and
// points grow with every district. A person who sees only some of a list (a representative, a
// setting's staff) must not walk the whole table filtering for theirs either (see plans.ts).

const PCF_TABLES = [...LARGE_TABLES, 'pcf_edition', 'pcf_consultation', 'pcf_point', 'pcf_point_theme', 'capital_application'];

let test: TestDatabase;
let recorder: ReturnType<typeof planRecorder>;
const actors: Record<'officer' | 'rep' | 'staff', Actor> = {} as never;
let district = 0;

beforeAll(async () => {
	test = await freshDatabase();
	recorder = planRecorder(test.db, test.url, PCF_TABLES);
	const { db } = test;
	// 40 districts of 10 localities; 2,000 people; 8,000 consultations (3 points each), 2,000
	// editions (most published), 1,200 rounds (30 a district), 12,000 bids (half submitted), 8,000 inclusion-base
	// applications of the three lines (a quarter drafts); every fourth point published.
	await buildCountry(db, { districts: 40, localities: 400, settings: 2000, people: 2000 });
	await sql`
		insert into pcf_consultation (cluster_id, district_id, title, body, label, coproduction_stage, opens_on, closes_on, owner_id)
			select l.id, l.parent_id, 'Consultation ' || n, 'Body', 'co_design', 'consulting', date '2026-01-01', date '2026-03-01', (select min(id) from app_user) + n % 2000
			from generate_series(1, 8000) n join cluster l on l.id = (select min(id) from cluster where kind = 'locality') + n % 400;
		insert into pcf_point (district_id, consultation_id, source, body, heard_on, raised_count, answer, answer_text, officer_checked_by, officer_checked_at,
				lead_checked_by, lead_checked_at, answer_published_at, public_at)
			select k.district_id, k.id, 'survey', 'Point', date '2026-01-10', 3, 'partly', 'Answer',
				u.id, now(), u.id, now(), now(), case when (k.id + n) % 4 = 0 then now() - k.id * interval '1 minute' end
			from pcf_consultation k, generate_series(1, 3) n, (select min(id) as id from app_user) u;
		insert into pcf_edition (district_id, title, period_from, period_to, introduction, created_by, officer_approved_by, officer_approved_at, lead_approved_by, lead_approved_at, published_at, points_snapshot)
			select case when n % 50 = 0 then null else (select min(id) from cluster) + n % 40 end, 'Edition ' || n, date '2026-01-01', date '2026-03-31', 'Introduction',
				u.id, u.id, now(), u.id, now(), case when n % 3 > 0 then now() end, case when n % 3 > 0 then '[]'::jsonb end
			from generate_series(1, 2000) n, (select min(id) as id from app_user) u;
		insert into funding_round (cluster_id, name, pot_pence, max_request_pence, opens_at, closes_at, endorsement_rule, created_by)
			select id, 'Round ' || n, 1000000, 100000, now(), now() + interval '30 days', 'majority', (select min(id) from app_user) from cluster, generate_series(1, 3) n where kind = 'locality';
		insert into bid (round_id, cluster_id, lead_setting_id, title, created_by, submission_no)
			select r.id, r.cluster_id, (select min(id) from setting s where s.cluster_id = r.cluster_id), 'Bid ' || n, r.created_by, n % 2
			from funding_round r, generate_series(1, 10) n;
		insert into capital_line (name, process) select 'Line ' || n, (array['scheme', 'grant', 'rollout'])[n] from generate_series(1, 3) n;
		insert into capital_round (name, status, closes_on) values ('Capital round', 'open', date '2027-01-01');
		insert into capital_round_line (round_id, line_id) select r.id, l.id from capital_round r, capital_line l;
		insert into capital_application (reference, round_id, line_id, setting_id, district_id, stage, title, created_by)
			select 'CAP-' || n, (select min(id) from capital_round), (select min(id) from capital_line) + n % 3, s.id, l.parent_id,
				(array['draft', 'submitted', 'in_assessment', 'approved'])[1 + n % 4], 'Application ' || n, (select min(id) from app_user)
			from generate_series(1, 8000) n
			join setting s on s.id = (select min(id) from setting) + (n * 7) % 2000
			join cluster l on l.id = s.cluster_id;
	`.execute(db);
	await settle(db);
	district = await firstId(db, 'cluster');
	const [officer, rep, staff] = [await personId(db, 1), await personId(db, 2), await personId(db, 3)];
	await db.updateTable('app_user').set({ county_role: 'officer' }).where('id', '=', officer).execute();
	await db.insertInto('cluster_role').values({ user_id: rep, cluster_id: district, role: 'pcf_rep' }).execute();
	const setting = await db.selectFrom('setting as s').innerJoin('cluster as l', 'l.id', 's.cluster_id').select('s.id').where('l.parent_id', '=', district).orderBy('s.id').executeTakeFirstOrThrow();
	await db.insertInto('setting_membership').values({ user_id: staff, setting_id: setting.id, role: 'senco' }).execute();
	for (const [key, id] of [['officer', officer], ['rep', rep], ['staff', staff]] as const) actors[key] = (await loadActor(db, id))!;
}, 120_000);

afterAll(async () => {
	await recorder?.destroy();
	await test?.close();
});

const plansOf = (read: (db: Database) => Promise<unknown>) => recorder.plansOf(read);

describe('PCF lists use an index, not a whole-table read', () => {
	it.each(['officer', 'rep'] as const)('the staff editions list (/pcf/editions) for a %s, first and second page', async (who) => {
		const first = await editionsFor(test.db, actors[who], null);
		expect(await plansOf((db) => editionsFor(db, actors[who], null))).toEqual(NONE);
		expect(await plansOf((db) => editionsFor(db, actors[who], second(first.next, EDITIONS_KEY)))).toEqual(NONE);
		// A previous page reads the same windows the other way.
		const back = second(first.next, EDITIONS_KEY);
		const page = await editionsFor(test.db, actors[who], back);
		expect(await plansOf((db) => editionsFor(db, actors[who], parseCursor(page.previous, EDITIONS_KEY)))).toEqual(NONE);
	});

	it('the public editions list (/you-said-we-did/editions), first and second page', async () => {
		const first = await publicEditions(test.db, null);
		expect((await plansOf((db) => publicEditions(db, null))).scans).toEqual([]);
		expect((await plansOf((db) => publicEditions(db, second(first.next, EDITIONS_KEY)))).scans).toEqual([]);
	});

	it.each(['officer', 'rep', 'staff'] as const)('the consultations list (/pcf/consultations) for %s, first and second page', async (who) => {
		const first = await consultationsFor(test.db, actors[who], null);
		expect(await plansOf((db) => consultationsFor(db, actors[who], null))).toEqual(NONE);
		expect(await plansOf((db) => consultationsFor(db, actors[who], second(first.next, CONSULTATIONS_KEY)))).toEqual(NONE);
	});

	it('a group’s consultations and steering decisions (/pcf/<district>), first and second page, and a workspace’s newest', async () => {
		const first = await districtConsultations(test.db, actors.rep, district, null);
		expect(first.items.length).toBeGreaterThan(0);
		expect(await plansOf((db) => districtConsultations(db, actors.rep, district, null))).toEqual(NONE);
		expect(await plansOf((db) => districtConsultations(db, actors.rep, district, second(first.next, CONSULTATIONS_KEY)))).toEqual(NONE);
		const locality = (await test.db.selectFrom('cluster').select(['id', 'name']).where('parent_id', '=', district).orderBy('id').executeTakeFirstOrThrow());
		const workspace = { clusterId: locality.id, clusterName: locality.name, districtId: district };
		expect((await workspaceConsultations(test.db, actors.officer, workspace))?.newest.length).toBeGreaterThan(0);
		expect(await plansOf((db) => workspaceConsultations(db, actors.officer, workspace))).toEqual(NONE);
	});

	it('a group’s page (/pcf/<district>): its submitted bids, its rounds and its applications, first and second pages', async () => {
		const none = { bids: null, rounds: null, applications: null };
		const first = await groupPage(test.db, actors.rep, district, none);
		// Through the district's clusters and their own indexes: never every bid or round in the country, read or walked.
		expect(await plansOf((db) => groupPage(db, actors.rep, district, none))).toEqual(NONE);
		const bids = second(first.bids.next, GROUP_BIDS_KEY);
		expect(await plansOf((db) => groupPage(db, actors.rep, district, { ...none, bids }))).toEqual(NONE);
		const rounds = second(first.rounds.next, GROUP_ROUNDS_KEY);
		expect(await plansOf((db) => groupPage(db, actors.rep, district, { ...none, rounds }))).toEqual(NONE);
		// A previous page reads the same windows the other way.
		const page = await groupPage(test.db, actors.rep, district, { bids, rounds, applications: null });
		// The district's applications on their own index (district, stage, id), a later page too.
		const applications = second(first.applications.next, GROUP_APPLICATIONS_KEY);
		expect(await plansOf((db) => groupPage(db, actors.rep, district, { ...none, applications }))).toEqual(NONE);
		expect(await plansOf((db) => groupPage(db, actors.rep, district, { bids: parseCursor(page.bids.previous, GROUP_BIDS_KEY), rounds: parseCursor(page.rounds.previous, GROUP_ROUNDS_KEY), applications: null }))).toEqual(NONE);
	});

	it.each([
		['every district', { districtId: null }],
		['one district', { districtId: -1 }]
	])('the public points (/you-said-we-did) of %s, first and second page', async (_, { districtId }) => {
		const filter = { districtId: districtId === null ? null : district, clusterId: null, themeId: null, status: null };
		const first = await publicPoints(test.db, filter, null);
		expect((await plansOf((db) => publicPoints(db, filter, null))).scans).toEqual([]);
		expect((await plansOf((db) => publicPoints(db, filter, second(first.next, PUBLIC_POINTS_KEY)))).scans).toEqual([]);
	});

	it('the public filters’ choices (/you-said-we-did): a district’s localities, or a locality chosen by its link', async () => {
		const locality = await test.db.selectFrom('cluster').select('id').where('parent_id', '=', district).executeTakeFirstOrThrow();
		expect((await plansOf((db) => publicChoices(db, { districtId: district, clusterId: null }))).scans).toEqual([]);
		expect((await plansOf((db) => publicChoices(db, { districtId: null, clusterId: locality.id }))).scans).toEqual([]);
	});
});
