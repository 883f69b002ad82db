import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import { ACTIVITY_PAGE, workspaceActivity } from '../../src/lib/server/workspace/queries';
import { listNotifications } from '../../src/lib/server/notifications';
import { auditHistory } from '../../src/lib/server/audit';
import { mailOutbox, pendingInvitations } from '../../src/lib/server/people/queries';
import { loadActor } from '../../src/lib/server/auth/actor';

// Feeds and timelines read in the order things happened, not the order rows were written:
// imported, back-dated or seeded rows have ids that disagree with their times.

let test: TestDatabase;
let clusterId = 0;
let userId = 0;
const DAY = 86_400_000;
const base = Date.parse('2026-10-01T09:00:00Z');
/** Days after `base` for rows written in id order: deliberately out of time order (one tie on day 7). */
const offsets = [5, 1, 30, 7, 2, 7, 19, 11, 3, 25, 13, 8, 29, 4, 17, 6, 21, 9, 27, 12, 15, 10, 23, 14, 0];

const byTimeThenId = <T extends { id: number; at: number }>(rows: T[]) => [...rows].sort((a, b) => b.at - a.at || b.id - a.id);

beforeAll(async () => {
	test = await freshDatabase();
	clusterId = (await test.db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow()).id;
	userId = (
		await test.db.insertInto('app_user').values({ email: 'officer@portal.example', name: 'Olu Officer', county_role: 'officer' }).returning('id').executeTakeFirstOrThrow()
	).id;
});

afterAll(async () => {
	await test?.close();
});

describe('feeds and timelines are ordered by when things happened, id breaking ties', () => {
	it('the workspace activity feed, on its first and later pages', async () => {
		const rows = await test.db
			.insertInto('activity')
			.values(offsets.map((days, index) => ({ cluster_id: clusterId, verb: 'note', summary: `Entry ${index}`, created_at: new Date(base + days * DAY) })))
			.returning(['id', 'created_at'])
			.execute();
		const expected = byTimeThenId(rows.map((row) => ({ id: row.id, at: row.created_at.getTime() }))).map((row) => row.id);
		// The ids really disagree with the times, or this test proves nothing.
		expect(expected).not.toEqual([...expected].sort((a, b) => b - a));

		const first = await workspaceActivity(test.db, clusterId);
		expect(first.map((row) => row.id)).toEqual(expected.slice(0, ACTIVITY_PAGE));
		const next = await workspaceActivity(test.db, clusterId, first.at(-1)!.id);
		expect(next.map((row) => row.id)).toEqual(expected.slice(ACTIVITY_PAGE));
	});

	it("a person's notifications", async () => {
		const rows = await test.db
			.insertInto('notification')
			.values(offsets.map((days, index) => ({ user_id: userId, kind: 'test', title: `Notice ${index}`, created_at: new Date(base + days * DAY) })))
			.returning(['id', 'created_at'])
			.execute();
		const actor = await loadActor(test.db, userId);
		const listed = await listNotifications(test.db, actor!);
		expect(listed.items.slice(0, 10).map((row) => row.id)).toEqual(byTimeThenId(rows.map((row) => ({ id: row.id, at: row.created_at.getTime() }))).slice(0, 10).map((row) => row.id));
	});

	it('the audit history (bid and cluster timelines)', async () => {
		const rows = await test.db
			.insertInto('audit_log')
			.values(offsets.map((days) => ({ action: 'bid.note', subject_type: 'bid', subject_id: 42, actor_id: userId, created_at: new Date(base + days * DAY) })))
			.returning(['id', 'created_at'])
			.execute();
		const history = await auditHistory(test.db, { subjects: [{ type: 'bid', ids: [42] }] });
		expect(history.map((entry) => entry.id)).toEqual(byTimeThenId(rows.map((row) => ({ id: row.id, at: row.created_at.getTime() }))).map((row) => row.id));
	});

	it('the outgoing mail and pending invitations lists', async () => {
		const mail = await test.db
			.insertInto('mail_outbox')
			.values(offsets.map((days, index) => ({ to_address: `p${index}@portal.example`, subject: 'Hello', body_text: 'Hi', transport: 'log', created_at: new Date(base + days * DAY) })))
			.returning(['id', 'created_at'])
			.execute();
		expect((await mailOutbox(test.db)).items.map((row) => row.id)).toEqual(
			byTimeThenId(mail.map((row) => ({ id: row.id, at: row.created_at.getTime() }))).map((row) => row.id)
		);

		const invitations = await test.db
			.insertInto('invitation')
			.values(
				offsets.slice(0, 6).map((days, index) => ({
					email: `invitee${index}@portal.example`,
					name: `Invitee ${index}`,
					grant_kind: 'county',
					role: 'officer',
					token_hash: `hash-${index}`,
					invited_by: userId,
					created_at: new Date(Date.now() - (40 - days) * DAY),
					expires_at: new Date(Date.now() + DAY)
				}))
			)
			.returning(['id', 'created_at'])
			.execute();
		expect((await pendingInvitations(test.db)).items.map((row) => row.id)).toEqual(
			byTimeThenId(invitations.map((row) => ({ id: row.id, at: row.created_at.getTime() }))).map((row) => row.id)
		);
	});
});
