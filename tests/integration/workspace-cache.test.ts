import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import { workspaceCluster } from '../../src/lib/server/workspace/queries';
import { workspaceMembers, workspaceSettings } from '../../src/lib/server/workspace/lists';
import { loadActor } from '../../src/lib/server/auth/actor';
import { transact } from '../../src/lib/server/work';
import { clusterRoom } from '../../src/lib/clusters/live';
import { DomainError } from '../../src/lib/server/errors';
import { checkSession } from '../../src/lib/server/auth/session-cache';
import { createSession, generateToken } from '../../src/lib/server/auth/session';
import { publishAccessChanged } from '../../src/lib/server/live/access';

let test: TestDatabase;
let districtId: number;
let localityId: number;
let officerId: number;
let strangerId: number;

beforeAll(async () => {
	test = await freshDatabase();
	const { db } = test;
	districtId = (await db.insertInto('cluster').values({ kind: 'district', name: 'Vale' }).returning('id').executeTakeFirstOrThrow()).id;
	localityId = (
		await db.insertInto('cluster').values({ kind: 'locality', name: 'Abingdon', parent_id: districtId }).returning('id').executeTakeFirstOrThrow()
	).id;
	officerId = (await db.insertInto('app_user').values({ email: 'o@cache.test', name: 'Olu', county_role: 'officer' }).returning('id').executeTakeFirstOrThrow()).id;
	strangerId = (await db.insertInto('app_user').values({ email: 's@cache.test', name: 'Sid' }).returning('id').executeTakeFirstOrThrow()).id;
});

afterAll(async () => {
	await test?.close();
});

describe('the workspace read model kept between commits', () => {
	it('is read once, then refreshed by the next committed change to a workspace', async () => {
		const { db } = test;
		const officer = (await loadActor(db, officerId))!;
		expect((await workspaceSettings(db, localityId)).items).toEqual([]);
		const { id: settingId } = await db
			.insertInto('setting')
			.values({ urn: '955001', name: 'Abbey Fields Primary', phase: 'primary', setting_type: 'academy', town: 'Abingdon', pupil_count: 210, cluster_id: localityId })
			.returning('id')
			.executeTakeFirstOrThrow();
		// A write behind the portal's back is not seen until the portal commits a workspace change.
		expect((await workspaceSettings(db, localityId)).items).toEqual([]);
		await transact(db, officerId, async (work) => {
			await work.trx.insertInto('setting_membership').values({ user_id: strangerId, setting_id: settingId, role: 'senco' }).execute();
			await work.publish(clusterRoom(localityId), 'membership.changed', { clusterId: localityId });
		});
		expect((await workspaceSettings(db, localityId)).items.map((s) => s.name)).toEqual(['Abbey Fields Primary']);
		const cluster = await workspaceCluster(db, officer, localityId);
		expect((await workspaceMembers(db, cluster)).items.map((m) => m.name)).toEqual(['Sid']);
	});

	it('forgets only what the committed event’s kind declares: its own workspace, not others; a bid change nothing', async () => {
		const { db } = test;
		const other = (await db.insertInto('cluster').values({ kind: 'locality', name: 'Wantage', parent_id: districtId }).returning('id').executeTakeFirstOrThrow()).id;
		const named = async (clusterId: number) => (await workspaceSettings(db, clusterId)).items.map((s) => s.name);
		const before = { here: await named(localityId), there: await named(other) };
		for (const [urn, name, clusterId] of [
			['955002', 'Caldecott Primary', localityId],
			['955003', 'Wantage Church of England Primary', other]
		] as const) {
			await db
				.insertInto('setting')
				.values({ urn, name, phase: 'primary', setting_type: 'academy', town: 'Oxfordshire', pupil_count: 100, cluster_id: clusterId })
				.execute();
		}
		// A bid change is never cached against: both workspaces keep what they read.
		await transact(db, officerId, async (work) => {
			await work.publish(clusterRoom(localityId), 'bid.changed', { bidId: 1, roundId: 1, version: 2, section: null });
		});
		expect({ here: await named(localityId), there: await named(other) }).toEqual(before);
		// A membership change in one workspace: that one is read again, the other is not.
		await transact(db, officerId, async (work) => {
			await work.publish(clusterRoom(localityId), 'membership.changed', { clusterId: localityId });
		});
		expect(await named(localityId)).toContain('Caldecott Primary');
		expect(await named(other)).toEqual(before.there);
	});

	it('never caches who may see a workspace: the policy is asked every time', async () => {
		const { db } = test;
		const outsider = (await loadActor(db, (await db.insertInto('app_user').values({ email: 'x@cache.test', name: 'Xan' }).returning('id').executeTakeFirstOrThrow()).id))!;
		const officer = (await loadActor(db, officerId))!;
		await expect(workspaceCluster(db, officer, districtId)).resolves.toMatchObject({ name: 'Vale' });
		const refused = await workspaceCluster(db, outsider, districtId).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(DomainError);
		expect((refused as DomainError).code).toBe('FORBIDDEN');
	});
});

describe('what a change of access forgets', () => {
	it('forgets the remembered sessions of the people whose access changed, and no one else’s', async () => {
		const { db } = test;
		const tokens: Record<string, string> = {};
		for (const [key, userId] of [
			['changed', strangerId],
			['unchanged', officerId]
		] as const) {
			tokens[key] = generateToken();
			await createSession(db, tokens[key], userId);
			expect(await checkSession(db, tokens[key])).not.toBeNull();
		}
		// Both sessions ended behind the portal's back: each is remembered until something says otherwise.
		await db.deleteFrom('user_session').execute();
		expect(await checkSession(db, tokens.changed)).not.toBeNull();
		await transact(db, officerId, (work) => publishAccessChanged(work, [strangerId]));
		expect(await checkSession(db, tokens.changed)).toBeNull();
		expect(await checkSession(db, tokens.unchanged)).not.toBeNull();
	});
});
