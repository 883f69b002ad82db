import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import { countingStatements } from './statements';
import type { Database } from '../../src/lib/server/db';
import { childClusters, workspaceActivity, workspaceCluster } from '../../src/lib/server/workspace/queries';
import { workspaceMembers, workspaceSettings } from '../../src/lib/server/workspace/lists';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { transact } from '../../src/lib/server/work';
import { clusterRoom } from '../../src/lib/live/rooms';
import { DomainError } from '../../src/lib/server/errors';
import { checkSession, forgetSessionsOf } from '../../src/lib/server/auth/session-cache';
import { createSession, generateToken } from '../../src/lib/server/auth/session';
import { publishAccessChanged } from '../../src/lib/server/live/access';
import { installHub } from '../../src/lib/server/live/hub';
import { forgetStale } from '../../src/lib/server/live/stale';
import { grantRole } from '../../src/lib/server/people';
import { userRoom } from '../../src/lib/live/rooms';
import { renameCluster } from '../../src/lib/server/clusters';
import { roundsForCluster } from '../../src/lib/server/bids/queries';
import { workspaceConsultations } from '../../src/lib/server/pcf/consultations';
import { consultationsRoom } from '../../src/lib/pcf/live';
import { currentSeq, currentSeqs } from '../../src/lib/server/live/catch-up';
import type { LiveEnvelope } from '../../src/lib/live/events';

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

	it('forgets only what the committed event’s kind declares: its own workspace, not others; a bid change only its rounds', async () => {
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
		// A bid change forgets its workspace’s rounds alone: both workspaces keep their settings.
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

describe('the parts of a workspace remembered apart', () => {
	it('keeps its rounds with their totals until a bid or round in that workspace changes, and nothing else is forgotten with them', async () => {
		const { db } = test;
		const here = countingStatements(db);
		const officer = (await loadActor(db, officerId))!;
		const other = (await db.insertInto('cluster').values({ kind: 'locality', name: 'Faringdon', parent_id: districtId }).returning('id').executeTakeFirstOrThrow()).id;
		const round = (clusterId: number, name: string, closesInMs: number) =>
			db
				.insertInto('funding_round')
				.values({ cluster_id: clusterId, name, pot_pence: 1_000_000, max_request_pence: 100_000, opens_at: new Date(Date.now() - 1000), closes_at: new Date(Date.now() + closesInMs), endorsement_rule: 'majority', created_by: officerId })
				.returning('id')
				.executeTakeFirstOrThrow();
		const { id: roundId } = await round(localityId, 'Spring', 86_400_000);
		await round(other, 'Spring in Faringdon', 86_400_000);
		const names = async (clusterId: number) => (await roundsForCluster(here.db, clusterId)).map((r) => r.name);
		const statements = async (read: () => Promise<unknown>) => {
			here.reset();
			await read();
			return here.count();
		};
		expect(await names(localityId)).toContain('Spring');
		expect(await names(other)).toEqual(['Spring in Faringdon']);
		await workspaceSettings(here.db, localityId);
		expect(await statements(() => roundsForCluster(here.db, localityId))).toBe(0);

		// A round that closes while remembered is no longer accepting: the clock is read every time.
		const { id: closing } = await round(localityId, 'Closing soon', 300);
		await transact(here.db, officerId, async (work) => {
			await work.publish(clusterRoom(localityId), 'round.changed', { roundId: closing, version: 1 });
		});
		expect((await roundsForCluster(here.db, localityId)).find((r) => r.id === closing)?.accepting).toBe(true);
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect(await statements(async () => expect((await roundsForCluster(here.db, localityId)).find((r) => r.id === closing)?.accepting).toBe(false))).toBe(0);

		// A bid committed in the locality’s round: its totals are read again; its settings, and the other locality’s rounds, are not.
		await db.insertInto('bid').values({ round_id: roundId, cluster_id: localityId, title: 'Nurture group', lead_setting_id: (await db.selectFrom('setting').select('id').where('cluster_id', '=', localityId).executeTakeFirstOrThrow()).id, created_by: officerId }).execute();
		expect((await roundsForCluster(here.db, localityId)).find((r) => r.id === roundId)?.bid_count).toBe(0);
		await transact(here.db, officerId, async (work) => {
			await work.publish(clusterRoom(localityId), 'bid.changed', { bidId: 1, roundId, version: 1, section: null });
		});
		expect(await statements(() => workspaceSettings(here.db, localityId))).toBe(0);
		expect(await statements(() => roundsForCluster(here.db, other))).toBe(0);
		expect((await roundsForCluster(here.db, localityId)).find((r) => r.id === roundId)?.bid_count).toBe(1);
		// The workspace page asks who may open a round of the remembered cluster row, never a cached answer.
		expect((await workspaceCluster(here.db, officer, localityId)).leadsMayOpenRounds).toBe(false);
	});

	it('keeps its newest consultations until one of them changes, told to its consultations list', async () => {
		const { db } = test;
		const here = countingStatements(db);
		const officer = (await loadActor(db, officerId))!;
		const workspace = { clusterId: localityId, clusterName: 'Abingdon', districtId };
		const titles = async () => (await workspaceConsultations(here.db, officer, workspace))?.newest.map((k) => k.title);
		expect(await titles()).toEqual([]);
		const { id } = await db
			.insertInto('pcf_consultation')
			.values({ title: 'Transport to bases', body: 'How children get there', cluster_id: localityId, district_id: districtId, owner_id: officerId, label: 'co_design', coproduction_stage: 'co_design', status: 'open', opens_on: '2026-12-01', closes_on: '2027-01-15' })
			.returning('id')
			.executeTakeFirstOrThrow();
		here.reset();
		expect(await titles()).toEqual([]);
		expect(here.count()).toBe(0);
		// Another workspace’s list changing forgets nothing here.
		await transact(here.db, officerId, async (work) => {
			await work.publish(consultationsRoom(districtId), 'pcf.consultations.changed', { consultationId: id, change: 'opened' });
		});
		expect(await titles()).toEqual([]);
		await transact(here.db, officerId, async (work) => {
			await work.publish(consultationsRoom(localityId), 'pcf.consultations.changed', { consultationId: id, change: 'opened' });
		});
		expect(await titles()).toEqual(['Transport to bases']);
	});
});

describe('a room’s latest event number', () => {
	it('is read once, then moved on by each commit here or relayed from another instance, with no statement', async () => {
		const { db } = test;
		const here = countingStatements(db);
		const room = clusterRoom(localityId);
		const first = await currentSeq(here.db, room);
		expect(first).toBe((await db.selectFrom('live_room').select('seq').where('room', '=', room).executeTakeFirst())?.seq ?? 0);
		here.reset();
		expect(await currentSeq(here.db, room)).toBe(first);
		expect(here.count()).toBe(0);
		// A commit here: two events in the room.
		await transact(here.db, officerId, async (work) => {
			await work.publish(room, 'membership.changed', { clusterId: localityId });
			await work.publish(room, 'membership.changed', { clusterId: localityId });
		});
		here.reset();
		expect(await currentSeq(here.db, room)).toBe(first + 2);
		expect(here.count()).toBe(0);
		// Another instance’s commit, relayed here (its events carry their numbers).
		let relayed: LiveEnvelope[] = [];
		await transact(db, officerId, async (work) => {
			await work.publish(room, 'membership.changed', { clusterId: localityId });
			relayed = work.events;
		});
		expect(await currentSeq(here.db, room)).toBe(first + 2);
		forgetStale(here.db, { events: relayed });
		expect(await currentSeq(here.db, room)).toBe(first + 3);
		expect(here.count()).toBe(0);
		// Rooms it has not read are read, all in one statement; one nothing was said in is at 0.
		expect(await currentSeqs(here.db, [room, clusterRoom(districtId), clusterRoom(999_999)])).toMatchObject({ [room]: first + 3, [clusterRoom(999_999)]: 0 });
		expect(here.count()).toBe(1);
	});
});

describe('what a rename forgets', () => {
	it('the workspaces that show the name (its own, its district’s, its localities’), and no others, and no one’s session', async () => {
		const { db } = test;
		const elsewhere = (await db.insertInto('cluster').values({ kind: 'district', name: 'South Oxfordshire' }).returning('id').executeTakeFirstOrThrow()).id;
		const didcot = (await db.insertInto('cluster').values({ kind: 'locality', name: 'Didcot', parent_id: elsewhere }).returning('id').executeTakeFirstOrThrow()).id;
		const here = countingStatements(db);
		const officer = (await loadActor(db, officerId))!;
		const token = generateToken();
		await createSession(db, token, strangerId);
		const statementsToRead = async (read: () => Promise<unknown>) => {
			here.reset();
			await read();
			return here.count();
		};
		for (const id of [districtId, localityId, didcot]) await workspaceCluster(here.db, officer, id);
		await checkSession(here.db, token);
		const { version } = await db.selectFrom('cluster').select('version').where('id', '=', districtId).executeTakeFirstOrThrow();
		await renameCluster(here.db, officer, { clusterId: districtId, name: 'Vale of White Horse', version, reason: 'Its full name' });
		try {
			// Elsewhere is still remembered, and so is the session: nobody's access changed.
			expect(await statementsToRead(() => workspaceCluster(here.db, officer, didcot))).toBe(0);
			expect(await statementsToRead(() => checkSession(here.db, token))).toBe(0);
			// The district and its locality show the new name at once.
			expect((await workspaceCluster(here.db, officer, districtId)).name).toBe('Vale of White Horse');
			expect((await workspaceCluster(here.db, officer, localityId)).parentName).toBe('Vale of White Horse');
		} finally {
			const { version: now } = await db.selectFrom('cluster').select('version').where('id', '=', districtId).executeTakeFirstOrThrow();
			await renameCluster(db, officer, { clusterId: districtId, name: 'Vale', version: now, reason: 'Back as the other tests expect' });
		}
	});
});

describe('a session checked by several requests at once', () => {
	it('is looked up once for all of them (a page’s refetches after one live event), and a check under way when access changes is not remembered', async () => {
		const { db } = test;
		const here = countingStatements(db);
		const token = generateToken();
		await createSession(db, token, strangerId);
		const alone = countingStatements(db);
		await checkSession(alone.db, token);
		const oneCheck = alone.count();
		// The session, its person and all their roles: one statement.
		expect(oneCheck).toBe(1);
		const together = await Promise.all([checkSession(here.db, token), checkSession(here.db, token), checkSession(here.db, token)]);
		expect(together.map((checked) => checked?.actor.id)).toEqual([strangerId, strangerId, strangerId]);
		expect(here.count()).toBe(oneCheck);

		// Access changes while a check is under way: that check answers its own request, but the next
		// one looks again rather than trusting what it read.
		const later = countingStatements(db);
		const underWay = checkSession(later.db, token);
		forgetSessionsOf(later.db, [strangerId]);
		expect((await underWay)?.actor.id).toBe(strangerId);
		later.reset();
		await checkSession(later.db, token);
		expect(later.count()).toBe(oneCheck);
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

/** Everything the workspace page reads through the cache. */
async function readWorkspace(db: Database, officer: Actor, clusterId: number) {
	const cluster = await workspaceCluster(db, officer, clusterId);
	await Promise.all([childClusters(db, clusterId), workspaceSettings(db, clusterId), workspaceMembers(db, cluster), workspaceActivity(db, clusterId)]);
}

describe('a steady stream of writes to one workspace', () => {
	it('leaves another workspace’s cached read alone, here and on another instance, while its own is read again', async () => {
		const { db } = test;
		const quietDistrict = (await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow()).id;
		const quiet = (await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: quietDistrict }).returning('id').executeTakeFirstOrThrow()).id;
		await db
			.insertInto('setting')
			.values({ urn: '955101', name: 'Banbury Cross Primary', phase: 'primary', setting_type: 'academy', town: 'Banbury', pupil_count: 300, cluster_id: quiet })
			.execute();
		// Two instances' caches (each database handle has its own), the SQL each runs counted. What one
		// commits reaches the other as the socket.io relay delivers it: its events and ended connections.
		const [here, there] = [countingStatements(db), countingStatements(db)];
		installHub({
			emit: (events) => forgetStale(there.db, { events }),
			deliverMail: () => undefined,
			disconnectUsers: (userIds) => forgetStale(there.db, { userIds }),
			disconnectSessions: (sessionIds) => forgetStale(there.db, { sessionIds })
		});
		const officer = (await loadActor(db, officerId))!;
		const statementsToRead = async (instance: typeof here, clusterId: number) => {
			instance.reset();
			await readWorkspace(instance.db, officer, clusterId);
			return instance.count();
		};
		try {
			for (const instance of [here, there]) {
				await readWorkspace(instance.db, officer, quiet);
				await readWorkspace(instance.db, officer, localityId);
			}
			const { id: settingId } = await db.selectFrom('setting').select('id').where('cluster_id', '=', localityId).executeTakeFirstOrThrow();
			for (let write = 0; write < 10; write++) {
				// A feed line, a member list change and someone's access changing, all in the busy workspace.
				await transact(here.db, officerId, (work) =>
					work.record({
						action: 'note.added',
						subject: { type: 'cluster', id: localityId },
						summary: `Note ${write}`,
						activity: { clusterId: localityId },
						events: [{ room: clusterRoom(localityId), kind: 'bid.changed', payload: { bidId: 1, roundId: 1, version: write, section: null } }]
					})
				);
				const person = (await db.insertInto('app_user').values({ email: `p${write}@stream.test`, name: `Pat ${write}` }).returning('id').executeTakeFirstOrThrow()).id;
				await grantRole(here.db, officer, { userId: person, grant: { kind: 'setting', settingId, role: 'senco' } });
				for (const instance of [here, there]) {
					expect(await statementsToRead(instance, quiet), 'the quiet workspace is read from the cache').toBe(0);
					expect(await statementsToRead(instance, localityId), 'the busy workspace is read again').toBeGreaterThan(0);
				}
			}
		} finally {
			installHub(undefined);
		}
	});
});

describe('who is told their access changed', () => {
	it('a role given tells that person in their own room, and nobody else', async () => {
		const { db } = test;
		const { id: settingId } = await db.selectFrom('setting').select('id').where('cluster_id', '=', localityId).executeTakeFirstOrThrow();
		const person = (await db.insertInto('app_user').values({ email: 'told@cache.test', name: 'Tola' }).returning('id').executeTakeFirstOrThrow()).id;
		const before = (await db.selectFrom('live_event').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id ?? 0;
		await grantRole(db, (await loadActor(db, officerId))!, { userId: person, grant: { kind: 'setting', settingId, role: 'headteacher' } });
		const told = await db.selectFrom('live_event').select(['room', 'payload']).where('kind', '=', 'access.changed').where('id', '>', before).execute();
		expect(told).toEqual([{ room: userRoom(person), payload: { userIds: [person] } }]);
	});
});
