import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { transact } from '../../src/lib/server/work';
import { auditHistory, auditSummary } from '../../src/lib/server/audit';
import { clusterRoom, userRoom } from '../../src/lib/live/rooms';

// `work.record` writes what happened once: the audit entry with its summary, the feed line (in the
// cluster's and its district's rooms), the notifications (never to the person who did it) and the
// live events, all in the action's transaction, so a rolled-back action leaves none of them.

let test: TestDatabase;
let db: Database;
let district: number;
let locality: number;
let actor: number;
let colleague: number;

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	district = (await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow()).id;
	locality = (await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: district }).returning('id').executeTakeFirstOrThrow()).id;
	const people = await db
		.insertInto('app_user')
		.values([
			{ email: 'doer@record.test', name: 'Doer' },
			{ email: 'colleague@record.test', name: 'Colleague' }
		])
		.returning('id')
		.execute();
	[actor, colleague] = people.map((p) => p.id);
});

afterAll(() => test?.close());

const happened = () => ({
	action: 'example.decided',
	subject: { type: 'example', id: 41 },
	summary: 'Decided the example',
	reason: 'Because the panel agreed',
	detail: { exampleId: 41 },
	activity: { clusterId: locality, link: '/examples/41' },
	notify: { userIds: [actor, colleague], email: true },
	events: [{ room: clusterRoom(locality), kind: 'membership.changed' as const, payload: { clusterId: locality } }]
});

describe('work.record', () => {
	it('writes the audit entry with its summary, the feed line, the notifications and the events in one go', async () => {
		await transact(db, actor, (work) => work.record(happened()));

		const [entry] = await auditHistory(db, { subjects: [{ type: 'example', ids: [41] }] });
		expect(entry).toMatchObject({ action: 'example.decided', reason: 'Because the panel agreed', actorName: 'Doer' });
		expect(auditSummary(entry)).toBe('Decided the example');

		const feed = await db.selectFrom('activity').selectAll().where('cluster_id', '=', locality).execute();
		expect(feed).toMatchObject([{ verb: 'example.decided', summary: 'Decided the example', link: '/examples/41', actor_id: actor }]);

		// The person who did it is not told about it; the colleague is, with the feed's link.
		const notes = await db.selectFrom('notification').selectAll().execute();
		expect(notes).toMatchObject([{ user_id: colleague, title: 'Decided the example', kind: 'example.decided', link: '/examples/41' }]);
		const mail = await db.selectFrom('mail_outbox').select(['to_address', 'subject']).execute();
		expect(mail).toEqual([{ to_address: 'colleague@record.test', subject: 'Decided the example' }]);

		const events = await db.selectFrom('live_event').select(['room', 'kind']).orderBy('room').orderBy('seq').execute();
		expect(events).toEqual(
			expect.arrayContaining([
				{ room: clusterRoom(district), kind: 'activity.created' },
				{ room: clusterRoom(locality), kind: 'activity.created' },
				{ room: clusterRoom(locality), kind: 'membership.changed' },
				{ room: userRoom(colleague), kind: 'notification.created' }
			])
		);
		expect(events).toHaveLength(4);
	});

	it('leaves nothing behind when the action fails after recording', async () => {
		const before = await Promise.all(
			(['audit_log', 'activity', 'notification', 'mail_outbox', 'live_event'] as const).map((table) =>
				db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
			)
		);
		await expect(
			transact(db, actor, async (work) => {
				await work.record(happened());
				throw new Error('the write after it failed');
			})
		).rejects.toThrow('the write after it failed');
		const after = await Promise.all(
			(['audit_log', 'activity', 'notification', 'mail_outbox', 'live_event'] as const).map((table) =>
				db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
			)
		);
		expect(after).toEqual(before);
	});
});
