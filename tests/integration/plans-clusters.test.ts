import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import { LARGE_TABLES, planRecorder } from './plans';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { clusterDirectory, settingCounts, workspaceActivity, workspaceCluster, childClusters } from '../../src/lib/server/workspace/queries';
import { MEMBER_KEY, SETTING_KEY, workspaceMembers, workspaceSettings } from '../../src/lib/server/workspace/lists';
import { clusterForSetUp, clusterHistory, countyTree, HISTORY_KEY } from '../../src/lib/server/clusters';
import { secondPage as second } from '../fixtures/plan-rows';
import { ROUND_BID_KEY, roundDetail, roundsForCluster } from '../../src/lib/server/bids/queries';
import { openRoundExport } from '../../src/lib/server/bids/export';

// Every query the cluster-side lists and feeds run, as the pages run them (caught from a logging
// connection), must have an index able to serve it: no sequential scan of a table that grows
// with the country (see plans.ts). Second pages are checked too: their cursor conditions must
// still walk an index.

let test: TestDatabase;
let recorder: ReturnType<typeof planRecorder>;
let officer: Actor;
const ids = { district: 0, locality: 0, other: 0, round: 0 };

beforeAll(async () => {
	test = await freshDatabase();
	recorder = planRecorder(test.db, test.url, LARGE_TABLES);
	const { db } = test;
	ids.district = (await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow()).id;
	await db.insertInto('cluster').values({ kind: 'district', name: 'Vale of White Horse' }).execute();
	ids.locality = (await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: ids.district }).returning('id').executeTakeFirstOrThrow()).id;
	ids.other = (await db.insertInto('cluster').values({ kind: 'locality', name: 'Bicester', parent_id: ids.district }).returning('id').executeTakeFirstOrThrow()).id;
	const officerId = (await db.insertInto('app_user').values({ email: 'o@example.org', name: 'Olive Officer', county_role: 'officer' }).returning('id').executeTakeFirstOrThrow()).id;
	for (let n = 0; n < 30; n++) {
		const setting = await db
			.insertInto('setting')
			.values({ urn: String(700000 + n), name: `School ${n}`, phase: 'primary', setting_type: 'Academy', town: 'Banbury', pupil_count: 100, cluster_id: n % 2 ? ids.locality : ids.other })
			.returning('id')
			.executeTakeFirstOrThrow();
		const person = await db.insertInto('app_user').values({ email: `p${n}@example.org`, name: `Person ${n}` }).returning('id').executeTakeFirstOrThrow();
		await db.insertInto('setting_membership').values({ user_id: person.id, setting_id: setting.id, role: 'senco' }).execute();
	}
	await db.insertInto('cluster_role').values({ user_id: officerId, cluster_id: ids.district, role: 'cluster_lead' }).execute();
	await db
		.insertInto('activity')
		.values(Array.from({ length: 50 }, (_, n) => ({ cluster_id: n % 2 ? ids.locality : ids.other, verb: 'note', summary: `Entry ${n}`, actor_id: officerId })))
		.execute();
	await db
		.insertInto('audit_log')
		.values(Array.from({ length: 50 }, (_, n) => ({ action: 'cluster.renamed', subject_type: 'cluster', subject_id: ids.locality, detail: JSON.stringify({ clusterIds: [ids.locality] }), actor_id: officerId, reason: `Reason ${n}` })))
		.execute();
	ids.round = (
		await db
			.insertInto('funding_round')
			.values({ cluster_id: ids.locality, name: 'Autumn', pot_pence: 1_000_000, max_request_pence: 100_000, opens_at: new Date(), closes_at: new Date(Date.now() + 86_400_000), endorsement_rule: 'majority', created_by: officerId })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	const lead = await db.selectFrom('setting').select('id').where('cluster_id', '=', ids.locality).executeTakeFirstOrThrow();
	await db
		.insertInto('bid')
		.values(Array.from({ length: 60 }, (_, n) => ({ round_id: ids.round, cluster_id: ids.locality, lead_setting_id: lead.id, title: `Bid ${n}`, created_by: officerId })))
		.execute();
	const actor = await loadActor(db, officerId);
	if (!actor) throw new Error('no officer');
	officer = actor;
});

afterAll(async () => {
	await recorder?.destroy();
	await test?.close();
});

/** The large tables read end to end by any query `read` runs. */
const scansOf = async (read: (db: Database) => Promise<unknown>) => (await recorder.plansOf(read)).scans;

describe('cluster-side lists and feeds use an index, not a whole-table read', () => {
	it('grouped setting counts', async () => {
		expect(await scansOf((db) => settingCounts(db, [ids.district, ids.locality, ids.other]))).toEqual([]);
	});

	it('county set-up: a page of districts with their localities and counts', async () => {
		expect(await scansOf((db) => countyTree(db))).toEqual([]);
	});

	it('county set-up: one cluster, and its history on the first and a later page', async () => {
		expect(await scansOf((db) => clusterForSetUp(db, ids.locality).then(() => undefined))).toEqual([]);
		const first = await clusterHistory(test.db, ids.locality);
		expect(await scansOf((db) => clusterHistory(db, ids.locality))).toEqual([]);
		expect(await scansOf((db) => clusterHistory(db, ids.locality, second(first.next, HISTORY_KEY)))).toEqual([]);
	});

	it('/clusters for an officer: a page of districts with localities and counts', async () => {
		expect(await scansOf((db) => clusterDirectory(db, officer, null))).toEqual([]);
	});

	it('the workspace summary and its localities', async () => {
		expect(await scansOf((db) => workspaceCluster(db, officer, ids.district).then(() => childClusters(db, ids.district)))).toEqual([]);
	});

	it('the workspace feed of a district, first page and older', async () => {
		const first = await workspaceActivity(test.db, ids.district);
		expect(await scansOf((db) => workspaceActivity(db, ids.district))).toEqual([]);
		expect(await scansOf((db) => workspaceActivity(db, ids.district, first[first.length - 1].id))).toEqual([]);
	});

	it('the workspace settings and people, first and second pages', async () => {
		const cluster = { id: ids.district, parentId: null };
		const settings = await workspaceSettings(test.db, ids.district);
		const members = await workspaceMembers(test.db, cluster);
		expect(await scansOf((db) => workspaceSettings(db, ids.district))).toEqual([]);
		expect(await scansOf((db) => workspaceSettings(db, ids.district, second(settings.next, SETTING_KEY)))).toEqual([]);
		expect(await scansOf((db) => workspaceMembers(db, cluster))).toEqual([]);
		expect(await scansOf((db) => workspaceMembers(db, cluster, second(members.next, MEMBER_KEY)))).toEqual([]);
	});

	it('a round’s bids, first and second pages, its totals, and a cluster’s rounds with theirs', async () => {
		const first = await roundDetail(test.db, officer, ids.round);
		expect(await scansOf((db) => roundDetail(db, officer, ids.round))).toEqual([]);
		expect(await scansOf((db) => roundDetail(db, officer, ids.round, second(first.bidPage.next, ROUND_BID_KEY)))).toEqual([]);
		expect(await scansOf((db) => roundsForCluster(db, ids.locality))).toEqual([]);
	});

	it('a round’s CSV export: its widest bid (one grouped join) and every batch of rows, with drafts and without', async () => {
		for (const includeDrafts of [true, false]) {
			const everyBatch = async (db: Database) => {
				const exported = await openRoundExport(db, officer, ids.round, { includeDrafts });
				for await (const rows of exported.batches()) expect(rows.length).toBeGreaterThan(0);
			};
			expect(await scansOf(everyBatch)).toEqual([]);
		}
	});
});
