import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import { LARGE_TABLES, planRecorder } from './plans';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { todoFor } from '../../src/lib/server/todo';
import { councilOfficers } from '../../src/lib/server/bids/access';
import { NO_WHOLE_READS } from '../fixtures/plan-rows';

// The home page's to-do list runs on every sign-in, for everyone: each of its queries, as the page
// runs them (caught from a logging connection), must have an index able to serve it, for a SENCO
// with funded bids whose milestones fall due (every funded bid's milestones grow with the country),
// a council officer deciding bids, and a SENDIASS officer with flagged cases and overdue actions.

const HOME_TABLES = [...LARGE_TABLES, 'bid_milestone', 'bid_endorsement', 'dispute_case', 'dispute_flag', 'dispute_action'];

let test: TestDatabase;
let recorder: ReturnType<typeof planRecorder>;
const people: Record<'senco' | 'officer' | 'sendiass', Actor | null> = { senco: null, officer: null, sendiass: null };

beforeAll(async () => {
	test = await freshDatabase();
	recorder = planRecorder(test.db, test.url, HOME_TABLES);
	const { db } = test;
	const district = (await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow()).id;
	const locality = (await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: district }).returning('id').executeTakeFirstOrThrow()).id;
	const officerId = (await db.insertInto('app_user').values({ email: 'o@example.org', name: 'Olive Officer', county_role: 'officer' }).returning('id').executeTakeFirstOrThrow()).id;
	const sendiassId = (await db.insertInto('app_user').values({ email: 's@example.org', name: 'Sunita Sendiass' }).returning('id').executeTakeFirstOrThrow()).id;
	await db.insertInto('cluster_role').values({ user_id: sendiassId, cluster_id: district, role: 'sendiass_officer' }).execute();
	const settings = await db
		.insertInto('setting')
		.values(Array.from({ length: 40 }, (_, n) => ({ urn: String(710000 + n), name: `School ${n}`, phase: 'primary', setting_type: 'Academy', town: 'Banbury', pupil_count: 100, cluster_id: locality })))
		.returning('id')
		.execute();
	const sencoId = (await db.insertInto('app_user').values({ email: 'senco@example.org', name: 'Sam Senco' }).returning('id').executeTakeFirstOrThrow()).id;
	await db.insertInto('setting_membership').values({ user_id: sencoId, setting_id: settings[0].id, role: 'senco' }).execute();
	const round = (
		await db
			.insertInto('funding_round')
			.values({ cluster_id: locality, name: 'Autumn', pot_pence: 1_000_000, max_request_pence: 100_000, opens_at: new Date(), closes_at: new Date(Date.now() + 86_400_000), endorsement_rule: 'majority', created_by: officerId })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	const statuses = ['funded', 'review', 'endorsement', 'draft'] as const;
	const bids = await db
		.insertInto('bid')
		.values(settings.map((s, n) => ({ round_id: round, cluster_id: locality, lead_setting_id: s.id, title: `Bid ${n}`, created_by: officerId, status: statuses[n % statuses.length] })))
		.returning(['id', 'status'])
		.execute();
	await db
		.insertInto('bid_milestone')
		.values(bids.filter((b) => b.status === 'funded').flatMap((b) => [0, 1, 2].map((position) => ({ bid_id: b.id, position, title: `Step ${position}`, due_on: '2026-12-10' }))))
		.execute();
	for (const [key, id] of [['senco', sencoId], ['officer', officerId], ['sendiass', sendiassId]] as const) people[key] = await loadActor(db, id);
});

afterAll(async () => {
	await recorder?.destroy();
	await test?.close();
});

describe('the home page’s to-do list uses an index, not a whole-table read', () => {
	for (const who of ['senco', 'officer', 'sendiass'] as const) {
		it(`for a ${who}`, async () => {
			expect(await recorder.plansOf((db) => todoFor(db, people[who]!))).toEqual(NO_WHOLE_READS);
		});
	}
});

describe('the council officers told when a bid’s endorsement is complete', () => {
	it('are found on the county staff index, not by reading every person', async () => {
		expect(await recorder.plansOf((db) => councilOfficers(db))).toEqual(NO_WHOLE_READS);
	});
});
