import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { DomainError, type DomainErrorCode } from '../../src/lib/server/errors';
import {
	clusterForSetUp,
	clusterHistory,
	countyTree,
	createLocality,
	mergeLocalities,
	moveSetting,
	renameCluster,
	retireLocality
} from '../../src/lib/server/clusters';
import { appRouter } from '../../src/lib/server/trpc/router';
import { closeRound, openRound } from '../../src/lib/server/bids/commands';
import type { Context } from '../../src/lib/server/trpc/context';

let test: TestDatabase;
let db: Database;
let officer: Actor;
let senco: Actor;
const ids = { cherwell: 0, vale: 0, abingdon: 0, officer: 0, senco: 0, lead: 0, otherLead: 0, sencoSchool: 0 };
let urnCounter = 100000;

async function district(name: string): Promise<number> {
	const row = await db.insertInto('cluster').values({ kind: 'district', name }).returning('id').executeTakeFirstOrThrow();
	return row.id;
}

async function locality(parentId: number, name: string): Promise<number> {
	const row = await db.insertInto('cluster').values({ kind: 'locality', name, parent_id: parentId }).returning('id').executeTakeFirstOrThrow();
	return row.id;
}

async function setting(clusterId: number, name: string): Promise<number> {
	const row = await db
		.insertInto('setting')
		.values({ urn: String(++urnCounter), name, phase: 'primary', setting_type: 'Academy', town: 'Banbury', pupil_count: 210, cluster_id: clusterId })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

async function user(name: string, countyRole: 'officer' | null): Promise<number> {
	const row = await db
		.insertInto('app_user')
		.values({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`, county_role: countyRole })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

async function actorFor(id: number): Promise<Actor> {
	const found = await loadActor(db, id);
	if (!found) throw new Error(`no actor ${id}`);
	return found;
}

async function cluster(id: number) {
	return db.selectFrom('cluster').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function settingRow(id: number) {
	return db.selectFrom('setting').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Everything a county set-up command can write, to prove a refusal wrote nothing. */
async function snapshot() {
	const [clusters, settings, roles, invitations, counts] = await Promise.all([
		db.selectFrom('cluster').selectAll().orderBy('id').execute(),
		db.selectFrom('setting').select(['id', 'cluster_id', 'version']).orderBy('id').execute(),
		db.selectFrom('cluster_role').select(['id', 'cluster_id', 'user_id', 'role']).orderBy('id').execute(),
		db.selectFrom('invitation').select(['id', 'cluster_id']).orderBy('id').execute(),
		Promise.all(
			(['audit_log', 'activity', 'live_event'] as const).map(async (table) => {
				const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
				return [table, Number(row.n)] as const;
			})
		)
	]);
	return { clusters, settings, roles, invitations, counts: Object.fromEntries(counts) };
}

/** Runs a command that must be refused and hands back its error. */
async function refused(call: Promise<unknown>, code: DomainErrorCode): Promise<DomainError> {
	const caught = await call.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(caught, 'the command should have been refused').toBeInstanceOf(DomainError);
	expect((caught as DomainError).code).toBe(code);
	return caught as DomainError;
}

async function auditRows(subjectType: string, subjectId: number) {
	return db
		.selectFrom('audit_log')
		.selectAll()
		.where('subject_type', '=', subjectType)
		.where('subject_id', '=', subjectId)
		.orderBy('id')
		.execute();
}

async function activityIn(clusterId: number) {
	return db.selectFrom('activity').selectAll().where('cluster_id', '=', clusterId).orderBy('id').execute();
}

async function liveEventsFor(clusterId: number, kind: string) {
	return db.selectFrom('live_event').selectAll().where('room', '=', `cluster:${clusterId}`).where('kind', '=', kind).orderBy('id').execute();
}

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	ids.cherwell = await district('Cherwell');
	ids.vale = await district('Vale of White Horse');
	ids.abingdon = await locality(ids.vale, 'Abingdon');
	const sencoLocality = await locality(ids.cherwell, 'Banbury');
	ids.sencoSchool = await setting(sencoLocality, 'Hill View Primary');
	ids.officer = await user('Olive Officer', 'officer');
	ids.senco = await user('Sam Senco', null);
	ids.lead = await user('Lee Lead', null);
	ids.otherLead = await user('Lou Lead', null);
	await db.insertInto('setting_membership').values({ user_id: ids.senco, setting_id: ids.sencoSchool, role: 'senco' }).execute();
	officer = await actorFor(ids.officer);
	senco = await actorFor(ids.senco);
});

afterAll(async () => {
	await test?.close();
});

describe('creating a locality cluster', () => {
	it('an officer creates one in a district, with an audit entry, an activity line and a live event', async () => {
		const created = await createLocality(db, officer, { districtId: ids.cherwell, name: '  Bicester   North ', reason: 'Agreed at steering group' });
		const row = await cluster(created.id);
		expect(row).toMatchObject({ kind: 'locality', name: 'Bicester North', parent_id: ids.cherwell, status: 'active', version: 1 });

		const [audit] = await auditRows('cluster', created.id);
		expect(audit).toMatchObject({ action: 'cluster.created', actor_id: ids.officer, reason: 'Agreed at steering group' });
		expect(audit.detail).toMatchObject({ after: { name: 'Bicester North', districtId: ids.cherwell } });

		const [activity] = await activityIn(created.id);
		expect(activity).toMatchObject({ actor_id: ids.officer, summary: 'Bicester North locality cluster created in Cherwell' });
		expect(await liveEventsFor(created.id, 'cluster.changed')).toHaveLength(1);
		expect(await liveEventsFor(ids.cherwell, 'cluster.changed')).not.toHaveLength(0);
	});

	it('a name already used by an active locality of the district is a field error, whatever its case', async () => {
		await locality(ids.cherwell, 'Deddington');
		const before = await snapshot();
		const error = await refused(createLocality(db, officer, { districtId: ids.cherwell, name: 'deddington' }), 'BAD_REQUEST');
		expect(error.fieldErrors?.name?.[0]).toBe('There is already an active locality cluster called deddington in Cherwell. Choose a different name.');
		expect(await snapshot()).toEqual(before);
	});

	it('the same name may be used in another district', async () => {
		const created = await createLocality(db, officer, { districtId: ids.vale, name: 'Deddington' });
		expect((await cluster(created.id)).parent_id).toBe(ids.vale);
	});

	it('malformed input comes back field by field and writes nothing', async () => {
		const before = await snapshot();
		const error = await refused(createLocality(db, officer, { districtId: undefined, name: 'x', reason: 'y'.repeat(1001) }), 'BAD_REQUEST');
		expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(['districtId', 'name', 'reason']);
		expect(await snapshot()).toEqual(before);
	});

	it('a locality cannot be created under another locality', async () => {
		const error = await refused(createLocality(db, officer, { districtId: ids.abingdon, name: 'Abingdon South' }), 'BAD_REQUEST');
		expect(error.fieldErrors?.districtId?.[0]).toContain('Abingdon is a locality cluster');
	});
});

describe('renaming a cluster', () => {
	it('an officer renames one: the version goes up and the decision is recorded with before, after and why', async () => {
		const id = await locality(ids.cherwell, 'Bicester S');
		await renameCluster(db, officer, { clusterId: id, name: 'Bicester South', version: 1, reason: 'Spell it out' });
		expect(await cluster(id)).toMatchObject({ name: 'Bicester South', version: 2 });

		const [audit] = await auditRows('cluster', id);
		expect(audit).toMatchObject({ action: 'cluster.renamed', actor_id: ids.officer, reason: 'Spell it out' });
		expect(audit.detail).toMatchObject({ before: { name: 'Bicester S', version: 1 }, after: { name: 'Bicester South', version: 2 } });
		expect((await activityIn(id)).map((a) => a.summary)).toEqual(['Bicester S renamed to Bicester South']);
		const [event] = await liveEventsFor(id, 'cluster.changed');
		expect(event.payload).toEqual({ clusterId: id, version: 2 });
	});

	it('a stale version is a CONFLICT that says what the cluster is now called, and nothing changes', async () => {
		const id = await locality(ids.cherwell, 'Heyford');
		await renameCluster(db, officer, { clusterId: id, name: 'Upper Heyford', version: 1, reason: 'Local name' });
		const before = await snapshot();
		const error = await refused(renameCluster(db, officer, { clusterId: id, name: 'Lower Heyford', version: 1, reason: 'Mine' }), 'CONFLICT');
		expect(error.message).toContain('Someone else changed this cluster while you were working on it. It is now called Upper Heyford.');
		expect(await snapshot()).toEqual(before);
	});

	it('renaming to the name of an active sibling is a field error, not a crash', async () => {
		const id = await locality(ids.cherwell, 'Adderbury');
		await locality(ids.cherwell, 'Bloxham');
		const before = await snapshot();
		const error = await refused(renameCluster(db, officer, { clusterId: id, name: 'BLOXHAM', version: 1, reason: 'Join up' }), 'BAD_REQUEST');
		expect(error.fieldErrors?.name?.[0]).toContain('already an active locality cluster called BLOXHAM in Cherwell');
		expect(await snapshot()).toEqual(before);
	});

	it('of two officers renaming at once from the same version, exactly one succeeds and the other is told', async () => {
		const id = await locality(ids.cherwell, 'Launton');
		const results = await Promise.allSettled([
			renameCluster(db, officer, { clusterId: id, name: 'Launton East', version: 1, reason: 'First' }),
			renameCluster(db, officer, { clusterId: id, name: 'Launton West', version: 1, reason: 'Second' })
		]);
		const fulfilled = results.filter((r) => r.status === 'fulfilled');
		const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(fulfilled).toHaveLength(1);
		expect(rejected).toHaveLength(1);
		expect(rejected[0].reason).toBeInstanceOf(DomainError);
		expect((rejected[0].reason as DomainError).code).toBe('CONFLICT');
		const row = await cluster(id);
		expect(row.version).toBe(2);
		expect((rejected[0].reason as DomainError).message).toContain(`It is now called ${row.name}.`);
		expect(await auditRows('cluster', id)).toHaveLength(1);
	});
});

describe('merging locality clusters', () => {
	it('moves every setting, cluster role and open invitation to the target and retires the source, pointing at it', async () => {
		const source = await locality(ids.cherwell, 'Bicester West');
		const target = await locality(ids.cherwell, 'Bicester East');
		const meadowside = await setting(source, 'Meadowside Primary');
		const brookside = await setting(source, 'Brookside Nursery');
		await db
			.insertInto('cluster_role')
			.values([
				{ user_id: ids.lead, cluster_id: source, role: 'cluster_lead' },
				{ user_id: ids.otherLead, cluster_id: source, role: 'cluster_lead' },
				{ user_id: ids.otherLead, cluster_id: target, role: 'cluster_lead' }
			])
			.execute();
		const invitation = await db
			.insertInto('invitation')
			.values({
				token_hash: `hash-${source}`,
				email: 'new.lead@example.org',
				name: 'New Lead',
				grant_kind: 'cluster',
				role: 'cluster_lead',
				cluster_id: source,
				invited_by: ids.officer,
				expires_at: new Date(Date.now() + 86_400_000)
			})
			.returning('id')
			.executeTakeFirstOrThrow();

		const outcome = await mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: 1, targetVersion: 1, reason: 'Too small alone' });

		expect(await cluster(source)).toMatchObject({ status: 'retired', merged_into_id: target, version: 2 });
		expect((await cluster(source)).retired_at).toBeInstanceOf(Date);
		expect(await cluster(target)).toMatchObject({ status: 'active', version: 2 });
		expect(outcome.targetVersion).toBe(2);
		for (const id of [meadowside, brookside]) expect(await settingRow(id)).toMatchObject({ cluster_id: target, version: 2 });

		const roles = await db.selectFrom('cluster_role').select(['user_id', 'cluster_id']).where('cluster_id', 'in', [source, target]).orderBy('user_id').execute();
		// Lou already led the target, so her identical role on the source is not copied.
		expect(roles).toEqual([
			{ user_id: ids.lead, cluster_id: target },
			{ user_id: ids.otherLead, cluster_id: target }
		]);
		expect((await db.selectFrom('invitation').select('cluster_id').where('id', '=', invitation.id).executeTakeFirstOrThrow()).cluster_id).toBe(target);

		const [audit] = await auditRows('cluster', source);
		expect(audit).toMatchObject({ action: 'cluster.merged', actor_id: ids.officer, reason: 'Too small alone' });
		expect(audit.detail).toMatchObject({
			before: { source: { name: 'Bicester West', status: 'active', version: 1 }, target: { name: 'Bicester East', version: 1 } },
			after: { source: { status: 'retired', mergedIntoId: target, version: 2 }, target: { version: 2 } }
		});
		expect((await auditRows('setting', meadowside)).map((a) => a.action)).toEqual(['setting.moved']);

		for (const id of [source, target]) {
			expect((await activityIn(id)).map((a) => a.summary)).toEqual(['Bicester West merged into Bicester East']);
			expect(await liveEventsFor(id, 'cluster.changed')).toHaveLength(1);
		}
		// The merge shows in the target's history too, with who did it and why.
		const { items: history } = await clusterHistory(db, target);
		expect(history[0]).toMatchObject({ action: 'cluster.merged', actorName: 'Olive Officer', reason: 'Too small alone' });
		expect(history[0].summary).toBe('Merged Bicester West into Bicester East (2 settings moved)');
	});

	it('localities in different districts cannot be merged, and nothing changes', async () => {
		const source = await locality(ids.cherwell, 'Ambrosden');
		await setting(source, 'Ambrosden Primary');
		const before = await snapshot();
		const error = await refused(
			mergeLocalities(db, officer, { sourceId: source, targetId: ids.abingdon, sourceVersion: 1, targetVersion: 1, reason: 'Try it' }),
			'BAD_REQUEST'
		);
		expect(error.fieldErrors?.targetId?.[0]).toContain('Ambrosden and Abingdon are in different districts');
		expect(await snapshot()).toEqual(before);
	});

	it('a locality cannot be merged into itself', async () => {
		const id = await locality(ids.cherwell, 'Bodicote');
		const error = await refused(mergeLocalities(db, officer, { sourceId: id, targetId: id, sourceVersion: 1, targetVersion: 1, reason: 'Oops' }), 'BAD_REQUEST');
		expect(error.fieldErrors?.targetId?.[0]).toContain('cannot be merged into itself');
	});

	it('a stale version of either cluster is a CONFLICT and nothing changes', async () => {
		const source = await locality(ids.cherwell, 'Cropredy');
		const target = await locality(ids.cherwell, 'Wroxton');
		await setting(source, 'Cropredy Primary');
		await renameCluster(db, officer, { clusterId: target, name: 'Wroxton and Balscote', version: 1, reason: 'Wider area' });
		const before = await snapshot();
		const staleTarget = await refused(
			mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: 1, targetVersion: 1, reason: 'Join' }),
			'CONFLICT'
		);
		expect(staleTarget.message).toContain('Someone else changed the locality cluster you chose to merge into');
		expect(staleTarget.message).toContain('It is now called Wroxton and Balscote.');
		await refused(mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: 7, targetVersion: 2, reason: 'Join' }), 'CONFLICT');
		expect(await snapshot()).toEqual(before);
	});

	it('a merged locality tells a late officer where it went', async () => {
		const source = await locality(ids.cherwell, 'Hook Norton');
		const target = await locality(ids.cherwell, 'Sibford');
		await mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: 1, targetVersion: 1, reason: 'Shared staff' });
		const error = await refused(renameCluster(db, officer, { clusterId: source, name: 'Hook Norton Area', version: 1, reason: 'Late' }), 'CONFLICT');
		expect(error.message).toContain('It is now called Hook Norton and has been merged into Sibford.');
	});

	it('of two officers merging two localities into each other at once, exactly one succeeds', async () => {
		const a = await locality(ids.cherwell, 'Steeple Aston');
		const b = await locality(ids.cherwell, 'Middle Barton');
		await setting(a, 'Dr Radcliffe’s School');
		await setting(b, 'Middle Barton School');
		const results = await Promise.allSettled([
			mergeLocalities(db, officer, { sourceId: a, targetId: b, sourceVersion: 1, targetVersion: 1, reason: 'One way' }),
			mergeLocalities(db, officer, { sourceId: b, targetId: a, sourceVersion: 1, targetVersion: 1, reason: 'Other way' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const [failure] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect((failure.reason as DomainError).code).toBe('CONFLICT');
		const statuses = (await Promise.all([cluster(a), cluster(b)])).map((c) => c.status).sort();
		expect(statuses).toEqual(['active', 'retired']);
	});
});

describe('retiring a locality cluster', () => {
	it('an officer retires an empty locality, recording who and why', async () => {
		const id = await locality(ids.cherwell, 'Fringford');
		await retireLocality(db, officer, { clusterId: id, version: 1, reason: 'No schools left' });
		const row = await cluster(id);
		expect(row).toMatchObject({ status: 'retired', version: 2, merged_into_id: null });
		expect(row.retired_at).toBeInstanceOf(Date);
		const [audit] = await auditRows('cluster', id);
		expect(audit).toMatchObject({ action: 'cluster.retired', actor_id: ids.officer, reason: 'No schools left' });
		expect((await activityIn(id)).map((a) => a.summary)).toEqual(['Fringford locality cluster retired']);
		// Its name is free again for a new active locality.
		await createLocality(db, officer, { districtId: ids.cherwell, name: 'Fringford' });
	});

	it('a locality that still has settings cannot be retired: move or merge them first', async () => {
		const id = await locality(ids.cherwell, 'Ardley');
		await setting(id, 'Ardley School');
		const before = await snapshot();
		const error = await refused(retireLocality(db, officer, { clusterId: id, version: 1, reason: 'Tidy up' }), 'BAD_REQUEST');
		expect(error.message).toBe('Ardley still has 1 setting. Move it to another locality cluster, or merge Ardley into another locality cluster, first.');
		expect(await snapshot()).toEqual(before);
	});

	it('a stale version is a CONFLICT and nothing changes', async () => {
		const id = await locality(ids.cherwell, 'Souldern');
		await renameCluster(db, officer, { clusterId: id, name: 'Souldern Village', version: 1, reason: 'Name' });
		const before = await snapshot();
		await refused(retireLocality(db, officer, { clusterId: id, version: 1, reason: 'Close' }), 'CONFLICT');
		expect(await snapshot()).toEqual(before);
	});
});

describe('moving a setting', () => {
	it('an officer moves a setting to a locality in another district, recorded in both clusters’ histories', async () => {
		const banbury = await locality(ids.cherwell, 'Banbury Town');
		const meadowside = await setting(banbury, 'Meadowside Primary');
		const outcome = await moveSetting(db, officer, { settingId: meadowside, toClusterId: ids.abingdon, version: 1, reason: 'Nearer Abingdon' });
		expect(outcome).toEqual({ settingId: meadowside, fromClusterId: banbury, toClusterId: ids.abingdon, version: 2 });
		expect(await settingRow(meadowside)).toMatchObject({ cluster_id: ids.abingdon, version: 2 });

		const [audit] = await auditRows('setting', meadowside);
		expect(audit).toMatchObject({ action: 'setting.moved', actor_id: ids.officer, reason: 'Nearer Abingdon' });
		expect(audit.detail).toMatchObject({ before: { clusterId: banbury, version: 1 }, after: { clusterId: ids.abingdon, version: 2 } });
		const summary = 'Meadowside Primary moved from Banbury Town to Abingdon';
		expect((await activityIn(banbury)).map((a) => a.summary)).toEqual([summary]);
		expect((await activityIn(ids.abingdon)).map((a) => a.summary)).toContain(summary);
		for (const id of [banbury, ids.abingdon]) {
			const [latest] = (await clusterHistory(db, id)).items;
			expect(latest).toMatchObject({ action: 'setting.moved', actorName: 'Olive Officer', reason: 'Nearer Abingdon' });
			expect(latest.summary).toBe('Moved Meadowside Primary from Banbury Town to Abingdon');
		}
	});

	it('a stale setting version is a CONFLICT that says where it is now, and nothing changes', async () => {
		const from = await locality(ids.cherwell, 'Wendlebury');
		const to = await locality(ids.cherwell, 'Chesterton');
		const school = await setting(from, 'Chesterton Primary');
		await moveSetting(db, officer, { settingId: school, toClusterId: to, version: 1, reason: 'Catchment' });
		const before = await snapshot();
		const error = await refused(moveSetting(db, officer, { settingId: school, toClusterId: ids.abingdon, version: 1, reason: 'Mine' }), 'CONFLICT');
		expect(error.message).toContain('Someone else changed Chesterton Primary while you were working on it. It is now in Chesterton.');
		expect(await snapshot()).toEqual(before);
	});

	it('a setting cannot move to a retired locality or a district', async () => {
		const from = await locality(ids.cherwell, 'Weston-on-the-Green');
		const gone = await locality(ids.cherwell, 'Kirtlington');
		await retireLocality(db, officer, { clusterId: gone, version: 1, reason: 'Empty' });
		const school = await setting(from, 'Weston Primary');
		const before = await snapshot();
		const retired = await refused(moveSetting(db, officer, { settingId: school, toClusterId: gone, version: 1, reason: 'Try' }), 'BAD_REQUEST');
		expect(retired.fieldErrors?.toClusterId?.[0]).toContain('Kirtlington has been retired');
		const toDistrict = await refused(moveSetting(db, officer, { settingId: school, toClusterId: ids.vale, version: 1, reason: 'Try' }), 'BAD_REQUEST');
		expect(toDistrict.fieldErrors?.toClusterId?.[0]).toContain('is a district');
		expect(await snapshot()).toEqual(before);
	});
});

describe('only council officers manage clusters', () => {
	it('a SENCO is refused each command with the policy’s reason, and nothing changes', async () => {
		const a = await locality(ids.cherwell, 'Yarnton');
		const b = await locality(ids.cherwell, 'Begbroke');
		const school = await setting(a, 'Yarnton Primary');
		const before = await snapshot();
		const calls = [
			createLocality(db, senco, { districtId: ids.cherwell, name: 'Senco Land' }),
			renameCluster(db, senco, { clusterId: a, name: 'Yarnton Village', version: 1, reason: 'Because' }),
			mergeLocalities(db, senco, { sourceId: a, targetId: b, sourceVersion: 1, targetVersion: 1, reason: 'Because' }),
			retireLocality(db, senco, { clusterId: b, version: 1, reason: 'Because' }),
			moveSetting(db, senco, { settingId: school, toClusterId: b, version: 1, reason: 'Because' })
		];
		// Each call is settled as it starts: a refusal waiting in a list would be an unhandled rejection.
		for (const error of await Promise.all(calls.map((call) => refused(call, 'FORBIDDEN')))) {
			expect(error.message).toBe('Only council officers can create, rename, merge or retire clusters, or move settings between them.');
		}
		expect(await refused(createLocality(db, null, { districtId: ids.cherwell, name: 'Nobody' }), 'FORBIDDEN')).toBeTruthy();
		expect(await snapshot()).toEqual(before);
	});
});

describe('county tree and set-up view', () => {
	it('lists each district with its localities and setting counts, retired ones flagged with where they went', async () => {
		const source = await locality(ids.vale, 'Wantage');
		const target = await locality(ids.vale, 'Grove');
		await setting(source, 'Wantage Primary');
		await setting(target, 'Grove Primary');
		await mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: 1, targetVersion: 1, reason: 'One town' });

		const tree = (await countyTree(db)).districts;
		expect(tree.map((d) => d.name)).toEqual(['Cherwell', 'Vale of White Horse']);
		const vale = tree[1];
		const grove = vale.localities.find((l) => l.id === target);
		const wantage = vale.localities.find((l) => l.id === source);
		expect(grove).toMatchObject({ isRetired: false, settingCount: 2 });
		expect(wantage).toMatchObject({ isRetired: true, settingCount: 0, mergedInto: { id: target, name: 'Grove' } });
		// Active localities come first; retired ones after.
		const firstRetired = vale.localities.findIndex((l) => l.isRetired);
		expect(vale.localities.slice(firstRetired).every((l) => l.isRetired)).toBe(true);
		expect(vale.activeLocalityCount).toBe(vale.localities.filter((l) => !l.isRetired).length);

		const view = await clusterForSetUp(db, target);
		expect(view.retireRefusal[0]).toContain('Grove still has 2 settings');
		expect(view.mergeTargets.every((t) => t.id !== source && t.id !== target)).toBe(true);
		expect(view.moveTargets.some((t) => t.id === target)).toBe(false);
		expect(view.moveTargets.some((t) => t.districtName === 'Cherwell')).toBe(true);
	});
});

describe('the clusters API', () => {
	const contextFor = (actor: Actor | null): Context => ({ db, io: undefined, actor, session: null, event: {} as never });
	const callerFor = (actor: Actor | null) => appRouter.createCaller(contextFor(actor));

	async function trpcRefusal(call: Promise<unknown>): Promise<TRPCError> {
		const caught = await call.then(
			() => undefined,
			(e: unknown) => e
		);
		expect(caught, 'the call should have been refused').toBeInstanceOf(TRPCError);
		return caught as TRPCError;
	}

	it('lets an officer rename a cluster and read its history', async () => {
		const id = await locality(ids.cherwell, 'Shipton');
		const renamed = await callerFor(officer).clusters.rename({ clusterId: id, name: 'Shipton-on-Cherwell', version: 1, reason: 'Full name' });
		expect(renamed).toEqual({ id, name: 'Shipton-on-Cherwell', version: 2 });
		const { items: history } = await callerFor(officer).clusters.history({ clusterId: id });
		expect(history[0]).toMatchObject({ action: 'cluster.renamed', actorName: 'Olive Officer', reason: 'Full name' });
		expect((await callerFor(officer).clusters.tree()).districts.length).toBe(2);
	});

	it('refuses a SENCO with FORBIDDEN, and changes nothing', async () => {
		const id = await locality(ids.cherwell, 'Thrupp');
		const before = await snapshot();
		const error = await trpcRefusal(callerFor(senco).clusters.rename({ clusterId: id, name: 'Thrupp Lane', version: 1, reason: 'Mine' }));
		expect(error.code).toBe('FORBIDDEN');
		expect((await trpcRefusal(callerFor(senco).clusters.tree())).code).toBe('FORBIDDEN');
		expect(await snapshot()).toEqual(before);
	});

	it('answers malformed input with BAD_REQUEST, field by field', async () => {
		const before = await snapshot();
		const error = await trpcRefusal(
			callerFor(officer).clusters.createLocality({ districtId: -1, name: 'x'.repeat(81), reason: undefined })
		);
		expect(error.code).toBe('BAD_REQUEST');
		expect(error.cause).toBeInstanceOf(z.ZodError);
		const fieldErrors = z.flattenError(error.cause as z.ZodError).fieldErrors as Record<string, string[]>;
		expect(fieldErrors.districtId).toEqual(['Choose the district the locality cluster belongs to']);
		expect(fieldErrors.name).toEqual(['Name must be 80 characters or fewer']);
		expect(await snapshot()).toEqual(before);
	});

	it('answers a stale version with CONFLICT and a duplicate name with field errors', async () => {
		const id = await locality(ids.cherwell, 'Islip');
		await locality(ids.cherwell, 'Oddington');
		const stale = await trpcRefusal(callerFor(officer).clusters.rename({ clusterId: id, name: 'Islip Village', version: 9, reason: 'Old page' }));
		expect(stale.code).toBe('CONFLICT');
		expect(stale.message).toContain('It is now called Islip.');
		const taken = await trpcRefusal(callerFor(officer).clusters.rename({ clusterId: id, name: 'Oddington', version: 1, reason: 'Join' }));
		expect(taken.code).toBe('BAD_REQUEST');
		expect((taken.cause as DomainError).fieldErrors?.name?.[0]).toContain('already an active locality cluster called Oddington');
	});
});

describe('a locality with a funding round not yet closed', () => {
	const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
	const round = (clusterId: number, name: string) =>
		openRound(db, officer, {
			clusterId,
			name,
			potPence: 1_000_000,
			maxRequestPence: 500_000,
			opensOn: day(0),
			closesOn: day(30),
			guidance: '',
			endorsementRule: 'majority',
			endorsementValue: 0
		});

	it('is not merged: the set-up page says why before the officer confirms, the refusal is on its history, and after closing the round it merges', async () => {
		const source = await locality(ids.cherwell, 'Piddington Green');
		const target = await locality(ids.cherwell, 'Arncott Green');
		const school = await setting(source, 'Launton Primary');
		const roundId = await round(source, 'Launton pooled fund');

		// Before confirming: no merge form, the reason and a link to the round instead.
		const setUp = await clusterForSetUp(db, source);
		expect(setUp.mergeRefusal).toEqual([
			'Piddington Green has a funding round that is not closed (“Launton pooled fund”). Close it first: a cluster cannot be merged while its bids can still be written, endorsed or decided.'
		]);
		expect(setUp.openRounds).toEqual([{ id: roundId, name: 'Launton pooled fund' }]);

		const version = (await cluster(source)).version;
		const targetVersion = (await cluster(target)).version;
		const error = await refused(
			mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: version, targetVersion, reason: 'Villages together' }),
			'BAD_REQUEST'
		);
		expect(error.message).toMatch(/^Piddington Green has a funding round that is not closed/);
		expect(await cluster(source)).toMatchObject({ status: 'active', version });
		expect((await settingRow(school)).cluster_id).toBe(source);
		const { items: history } = await clusterHistory(db, source);
		expect(history[0]).toMatchObject({ action: 'cluster.merge_refused', reason: 'Villages together', actorName: officer.name });
		expect(history[0].summary).toMatch(/Launton pooled fund/);

		await closeRound(db, officer, { roundId, version: 1, reason: 'Round over' });
		expect((await clusterForSetUp(db, source)).mergeRefusal).toEqual([]);
		await mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: version, targetVersion, reason: 'Villages together' });
		expect(await cluster(source)).toMatchObject({ status: 'retired', merged_into_id: target });
	});

	it('is not retired until its rounds are closed, and the page and history say so', async () => {
		const id = await locality(ids.cherwell, 'Stratton Audley');
		const first = await round(id, 'Stratton fund A');
		const second = await round(id, 'Stratton fund B');
		const setUp = await clusterForSetUp(db, id);
		expect(setUp.retireRefusal).toEqual([
			'Stratton Audley has 2 funding rounds that are not closed (“Stratton fund A”, “Stratton fund B”). Close them first: a cluster cannot be retired while its bids can still be written, endorsed or decided.'
		]);
		const version = (await cluster(id)).version;
		await refused(retireLocality(db, officer, { clusterId: id, version, reason: 'Empty now' }), 'BAD_REQUEST');
		expect((await cluster(id)).status).toBe('active');
		expect((await clusterHistory(db, id)).items[0]).toMatchObject({ action: 'cluster.retire_refused', reason: 'Empty now' });

		await closeRound(db, officer, { roundId: first, version: 1, reason: 'Done' });
		await refused(retireLocality(db, officer, { clusterId: id, version, reason: 'Empty now' }), 'BAD_REQUEST');
		await closeRound(db, officer, { roundId: second, version: 1, reason: 'Done' });
		await retireLocality(db, officer, { clusterId: id, version, reason: 'Empty now' });
		expect((await cluster(id)).status).toBe('retired');
	});

	it('a round cannot be opened in a cluster retired a moment before (the open takes the cluster row)', async () => {
		const id = await locality(ids.cherwell, 'Bucknell');
		await retireLocality(db, officer, { clusterId: id, version: 1, reason: 'Gone' });
		await refused(round(id, 'Too late'), 'FORBIDDEN');
	});
});
