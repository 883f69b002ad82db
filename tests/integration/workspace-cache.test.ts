import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import { workspaceCluster, workspaceMembers, workspaceSettings } from '../../src/lib/server/workspace/queries';
import { loadActor } from '../../src/lib/server/auth/actor';
import { transact } from '../../src/lib/server/work';
import { clusterRoom } from '../../src/lib/live/events';
import { DomainError } from '../../src/lib/server/errors';

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
		expect(await workspaceSettings(db, localityId)).toEqual([]);
		const { id: settingId } = await db
			.insertInto('setting')
			.values({ urn: '955001', name: 'Abbey Fields Primary', phase: 'primary', setting_type: 'academy', town: 'Abingdon', pupil_count: 210, cluster_id: localityId })
			.returning('id')
			.executeTakeFirstOrThrow();
		// A write behind the portal's back is not seen until the portal commits a workspace change.
		expect(await workspaceSettings(db, localityId)).toEqual([]);
		await transact(db, officerId, async (work) => {
			await work.trx.insertInto('setting_membership').values({ user_id: strangerId, setting_id: settingId, role: 'senco' }).execute();
			await work.publish(clusterRoom(localityId), 'membership.changed', { clusterId: localityId });
		});
		expect((await workspaceSettings(db, localityId)).map((s) => s.name)).toEqual(['Abbey Fields Primary']);
		const cluster = await workspaceCluster(db, officer, localityId);
		expect((await workspaceMembers(db, cluster)).map((m) => m.name)).toEqual(['Sid']);
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
