import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { deleteComment, discussionFor, commentHistory, editComment, postComment, sendDigests, sweepDiscussions } from '../../src/lib/server/discussions';
import { can } from '../../src/lib/server/policy';
import { loadSubject, seenBy } from '../../src/lib/server/discussions/subjects';
import { discussionsLive } from '../../src/lib/server/discussions/live';
import { discussionRoom } from '../../src/lib/discussions/live';
import { actors, db, expectRefusal, ids, usePcfCounty } from './pcf-fixture';

// A bid's discussion against a real PostgreSQL: who may read and post (whoever may see the bid,
// asked of the bid's own rule), mentions that tell only people who may see it (and give the
// writer no hint), replies, edits with history and version checks, deletion with a marker, the
// daily digest, retention and the live event.

usePcfCounty();

const onBid = () => ({ kind: 'bid' as const, id: ids.bid });
const count = async (table: 'discussion_comment' | 'notification' | 'mail_outbox' | 'discussion_revision', where = sql`true`) =>
	Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(db)).rows[0].n);
const toldOf = async (userId: number, kind: string) => count('notification', sql`user_id = ${userId} and kind = ${kind}`);
const versionOf = async (commentId: number) => (await db.selectFrom('discussion_comment').select('version').where('id', '=', commentId).executeTakeFirstOrThrow()).version;

describe('who may read and post', () => {
	it('is whoever may see the bid: its settings’ staff, the district’s PCF group and officers', async () => {
		const subject = await loadSubject(db, 'bid', ids.bid);
		for (const key of ['sencoMeadow', 'headCastle', 'pcf', 'pcfLead', 'officer']) {
			expect(can(actors[key], { action: 'discussion.view', subject: seenBy(subject, actors[key]) }).allowed, key).toBe(true);
			expect(can(actors[key], { action: 'discussion.post', subject: seenBy(subject, actors[key]) }).allowed, key).toBe(true);
		}
		const page = await discussionFor(db, actors.pcf, 'bid', ids.bid);
		expect(page.threads).toEqual([]);
	});

	it('refuses a PCF representative of another district and someone outside the cluster, writing nothing', async () => {
		const before = await count('discussion_comment');
		await expectRefusal(discussionFor(db, actors.pcfOxford, 'bid', ids.bid), 'FORBIDDEN', /open to its members/);
		await expectRefusal(discussionFor(db, actors.outsider, 'bid', ids.bid), 'FORBIDDEN');
		await expectRefusal(postComment(db, actors.pcfOxford, { subject: onBid(), parentId: null, body: 'From Oxford' }), 'FORBIDDEN');
		await expectRefusal(postComment(db, actors.outsider, { subject: onBid(), parentId: null, body: 'Hello' }), 'FORBIDDEN');
		expect(await count('discussion_comment')).toBe(before);
	});

	it('refuses empty and oversized comments with a field error', async () => {
		await expectRefusal(postComment(db, actors.pcf, { subject: onBid(), parentId: null, body: '   ' }), 'BAD_REQUEST');
		await expectRefusal(postComment(db, actors.pcf, { subject: onBid(), parentId: null, body: 'x'.repeat(5001) }), 'BAD_REQUEST');
		await expectRefusal(postComment(db, actors.pcf, { subject: { kind: 'consultation', id: ids.bid }, parentId: null, body: 'x' }), 'BAD_REQUEST');
		await expectRefusal(postComment(db, actors.pcf, { subject: { kind: 'bid', id: 999_999 }, parentId: null, body: 'x' }), 'NOT_FOUND');
		expect(await count('discussion_comment')).toBe(0);
	});
});

describe('mentions', () => {
	it('tell only the people who may see the bid, and the writer learns nothing either way', async () => {
		const body = 'Thanks @[Pat Parent] and @[Omar Oxford-Rep] and @[Olga Outsider] and @[Nobody At All] — see <script>alert(1)</script> [x](javascript:alert(1))';
		const posted = await postComment(db, actors.sencoMeadow, { subject: onBid(), parentId: null, body });
		ids.first = posted.commentId;
		ids.discussion = posted.discussionId;
		expect(Object.keys(posted).sort()).toEqual(['commentId', 'discussionId']);
		expect(await toldOf(ids.pcf, 'discussion.mention')).toBe(1);
		expect(await toldOf(ids.pcfOxford, 'discussion.mention')).toBe(0);
		expect(await toldOf(ids.outsider, 'discussion.mention')).toBe(0);
		// The audit entry says nothing of who was or was not told.
		const audit = await db.selectFrom('audit_log').select('detail').where('subject_type', '=', 'discussion_comment').where('subject_id', '=', ids.first).executeTakeFirstOrThrow();
		expect(JSON.stringify(audit.detail)).not.toMatch(/Omar|Olga|Pat/);
		const page = await discussionFor(db, actors.pcf, 'bid', ids.bid);
		expect(page.threads[0].html).not.toMatch(/<script|javascript:/);
		expect(page.threads[0].authorName).toBe('Sam Senco');
	});

	it('never tells the writer about their own mention', async () => {
		const { commentId } = await postComment(db, actors.pcf, { subject: onBid(), parentId: null, body: 'Noting this myself, @[Pat Parent].' });
		ids.second = commentId;
		expect(await toldOf(ids.pcf, 'discussion.mention')).toBe(1);
	});
});

describe('replies', () => {
	it('tell the writer of the comment answered, and a reply to a reply joins the same thread', async () => {
		const reply = await postComment(db, actors.headMeadow, { subject: onBid(), parentId: ids.first, body: 'Agreed.' });
		expect(await toldOf(ids.sencoMeadow, 'discussion.reply')).toBe(1);
		const deeper = await postComment(db, actors.pcf, { subject: onBid(), parentId: reply.commentId, body: 'Me too.' });
		expect(await toldOf(ids.headMeadow, 'discussion.reply')).toBe(1);
		const parent = await db.selectFrom('discussion_comment').select('parent_id').where('id', '=', deeper.commentId).executeTakeFirstOrThrow();
		expect(parent.parent_id).toBe(ids.first);
		ids.reply = reply.commentId;
		const page = await discussionFor(db, actors.officer, 'bid', ids.bid);
		expect(page.threads.map((t) => t.replies.length)).toEqual([2, 0]);
	});
});

describe('editing', () => {
	it('is for the author only, against the version they saw, and keeps the earlier text', async () => {
		await expectRefusal(editComment(db, actors.pcf, { commentId: ids.first, version: 0, body: 'Hijacked' }), 'FORBIDDEN', /Only the person who wrote/);
		await expectRefusal(editComment(db, actors.officer, { commentId: ids.first, version: 0, body: 'Hijacked' }), 'FORBIDDEN');
		await expectRefusal(editComment(db, actors.sencoMeadow, { commentId: ids.first, version: 0, body: '' }), 'BAD_REQUEST');
		const { version } = await editComment(db, actors.sencoMeadow, { commentId: ids.first, version: 0, body: 'Thanks @[Pat Parent] and @[Lena Lead-Rep].' });
		expect(version).toBe(1);
		// Pat heard the first time; Lena is newly mentioned.
		expect(await toldOf(ids.pcf, 'discussion.mention')).toBe(1);
		expect(await toldOf(ids.pcfLead, 'discussion.mention')).toBe(1);
		// A second tab still on version 0 is told, not allowed to overwrite.
		await expectRefusal(editComment(db, actors.sencoMeadow, { commentId: ids.first, version: 0, body: 'Stale' }), 'CONFLICT', /changed while you were working/);
		const history = await commentHistory(db, actors.pcf, ids.first);
		expect(history.comment.html).toContain('Lena Lead-Rep');
		expect(history.revisions).toHaveLength(1);
		expect(history.revisions[0].html).toContain('Omar Oxford-Rep');
		expect(history.revisions[0].html).not.toMatch(/<script/);
		await expectRefusal(commentHistory(db, actors.pcfOxford, ids.first), 'FORBIDDEN');
		const page = await discussionFor(db, actors.pcf, 'bid', ids.bid);
		expect(page.threads[0].editedAt).not.toBeNull();
		expect(page.threads[0].body).toBeNull(); // only the author gets the Markdown to edit
	});
});

describe('deleting', () => {
	it('is for the author or a moderator; a marker keeps its place, its replies stay and its history goes', async () => {
		await expectRefusal(deleteComment(db, actors.headCastle, { commentId: ids.first, version: 1 }), 'FORBIDDEN', /moderating/);
		await expectRefusal(deleteComment(db, actors.sencoMeadow, { commentId: ids.first, version: 0 }), 'CONFLICT');
		await deleteComment(db, actors.sencoMeadow, { commentId: ids.first, version: 1 });
		await expectRefusal(deleteComment(db, actors.sencoMeadow, { commentId: ids.first, version: 2 }), 'FORBIDDEN', /has been deleted/);
		await expectRefusal(editComment(db, actors.sencoMeadow, { commentId: ids.first, version: 2, body: 'Back' }), 'FORBIDDEN', /has been deleted/);
		await expectRefusal(postComment(db, actors.pcf, { subject: onBid(), parentId: ids.first, body: 'Reply to gone' }), 'BAD_REQUEST', /deleted/);
		expect(await count('discussion_revision', sql`comment_id = ${ids.first}`)).toBe(0);
		const page = await discussionFor(db, actors.pcf, 'bid', ids.bid);
		expect(page.threads[0]).toMatchObject({ id: ids.first, deleted: true, html: '' });
		expect(page.threads[0].replies).toHaveLength(2);
		// An officer moderates another person's comment; the audit says so.
		await deleteComment(db, actors.officer, { commentId: ids.second, version: await versionOf(ids.second) });
		const audit = await db.selectFrom('audit_log').select(['actor_id', 'detail']).where('action', '=', 'discussion.comment_deleted').where('subject_id', '=', ids.second).executeTakeFirstOrThrow();
		expect(audit.actor_id).toBe(ids.officer);
		expect(JSON.stringify(audit.detail)).toMatch(/as a moderator/);
	});
});

describe('live', () => {
	it('tells the room of the discussion’s subject with kinds and ids only', async () => {
		const events = await db.selectFrom('live_event').select(['kind', 'payload']).where('room', '=', discussionRoom('bid', ids.bid)).execute();
		expect(events.length).toBeGreaterThanOrEqual(5);
		for (const event of events) {
			expect(event.kind).toBe('discussion.changed');
			expect(Object.keys(event.payload as object).sort()).toEqual(['commentId', 'discussionId']);
		}
	});

	it('has a room for a subject nobody has commented on yet, joined by whoever may see the subject, so the first comment reaches them', async () => {
		const room = discussionsLive.rooms!.find((r) => r.kind === 'discussround')!;
		expect(await db.selectFrom('discussion').select('id').where('subject_kind', '=', 'funding_round').where('subject_id', '=', ids.round).execute()).toHaveLength(0);
		for (const key of ['pcf', 'officer']) expect((await room.authorize(db, actors[key], ids.round)).allowed, key).toBe(true);
		// A setting's staff in the round's workspace may not follow it: the round speaks of each other's bids.
		expect((await room.authorize(db, actors.sencoMeadow, ids.round)).allowed).toBe(false);
		const oxford = await room.authorize(db, actors.pcfOxford, ids.round);
		expect(oxford.allowed ? '' : oxford.reason).toMatch(/Cherwell PCF advisory group/);
		expect((await room.authorize(db, actors.outsider, ids.round)).allowed).toBe(false);
		expect((await room.authorize(db, null, ids.round)).allowed).toBe(false);
		expect((await room.authorize(db, actors.officer, 999_999)).allowed).toBe(false);
		const { commentId, discussionId } = await postComment(db, actors.pcf, { subject: { kind: 'funding_round', id: ids.round }, parentId: null, body: 'The first word on the round.' });
		const events = await db.selectFrom('live_event').select(['kind', 'payload']).where('room', '=', discussionRoom('funding_round', ids.round)).execute();
		expect(events).toEqual([{ kind: 'discussion.changed', payload: { discussionId, commentId } }]);
	});

	it('on a round is for whoever may read the round’s advice: another district’s representative is refused, nothing written', async () => {
		const before = await count('discussion_comment');
		await expectRefusal(postComment(db, actors.pcfOxford, { subject: { kind: 'funding_round', id: ids.round }, parentId: null, body: 'From Oxford' }), 'FORBIDDEN', /Cherwell PCF advisory group/);
		await expectRefusal(discussionFor(db, actors.outsider, 'funding_round', ids.round), 'FORBIDDEN');
		expect(await count('discussion_comment')).toBe(before);
		const page = await discussionFor(db, actors.officer, 'funding_round', ids.round);
		expect(page.subject.link).toBe(`/pcf/rounds/${ids.round}`);
		expect(page.threads.map((t) => t.html)).toEqual(['<p>The first word on the round.</p>']);
	});
});

describe('the daily digest', () => {
	it('sends each person one email of unread mentions and replies, then nothing until there is more', async () => {
		const before = await count('mail_outbox');
		const sent = await sendDigests(db);
		expect(sent).toBeGreaterThanOrEqual(3); // Pat, Lena, Sam (reply) and Helen (reply)
		const pat = await db.selectFrom('mail_outbox as m').innerJoin('app_user as u', 'u.email', 'm.to_address').select(['m.subject', 'm.body_text']).where('u.id', '=', ids.pcf).execute();
		expect(pat).toHaveLength(1);
		expect(pat[0].body_text).toMatch(/mentioned you/);
		expect(await count('mail_outbox')).toBe(before + sent);
		expect(await sendDigests(db)).toBe(0);
		// Read in the portal before the next digest: not mailed.
		await postComment(db, actors.headCastle, { subject: onBid(), parentId: null, body: 'For @[Pat Parent] again.' });
		await db.updateTable('notification').set({ read_at: new Date() }).where('user_id', '=', ids.pcf).execute();
		expect(await sendDigests(db)).toBe(0);
	});
});

describe('retention', () => {
	it('removes a deleted comment’s marker after 30 days once nothing replies to it', async () => {
		const lonely = await postComment(db, actors.pcf, { subject: onBid(), parentId: null, body: 'Soon gone' });
		await deleteComment(db, actors.pcf, { commentId: lonely.commentId, version: 0 });
		expect(await sweepDiscussions(db, new Date())).toEqual({ comments: 0, discussions: 0 });
		const later = new Date(Date.now() + 31 * 86_400_000);
		const swept = await sweepDiscussions(db, later);
		expect(swept.comments).toBeGreaterThanOrEqual(1);
		expect(await count('discussion_comment', sql`id = ${lonely.commentId}`)).toBe(0);
		// The first comment has replies, so its marker stays.
		expect(await count('discussion_comment', sql`id = ${ids.first}`)).toBe(1);
	});
});
