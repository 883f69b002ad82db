import { describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Actor } from '../../src/lib/server/auth/actor';
import { DomainError } from '../../src/lib/server/errors';
import { clusterForSetUp, clusterHistory, countyTree, createLocality, mergeLocalities, moveSetting, renameCluster, retireLocality } from '../../src/lib/server/clusters';
import { appRouter } from '../../src/lib/server/trpc/router';
import type { Context } from '../../src/lib/server/trpc/context';
import { activityIn, auditRows, db, ids, locality, officer, refused, senco, setting, settingRow, snapshot, useClustersCounty } from './clusters-fixture';

// Moving settings, who may manage clusters, the county tree and the clusters API.
useClustersCounty();

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
