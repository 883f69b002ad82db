import { sql } from 'kysely';
import type { Database } from '../db';
import { loadActor, type Actor } from '../auth/actor';
import { assertCan } from '../policy';
import { parseInput } from '../input';
import { transact, type Work } from '../work';
import { conflict, invalid, notFound } from '../errors';
import { discussionRoom } from '$lib/discussions/live';
import { deleteCommentSchema, editCommentSchema, postCommentSchema } from '$lib/schemas/discussions';
import { loadSubject, seenBy, type Subject } from './subjects';
import { mentionedNames, namesMatch } from './mentions';
import type { Trx } from '../pcf/proposals';
import type { SubjectKind } from '$lib/discussions/model';

// Posting, replying, editing and deleting comments: one transaction each, the subject's view rule
// asked under the comment's lock, every change in the audit log, and a `discussion.changed` event
// (ids only) to the room of the discussion's subject. Mentions and replies tell only people who may see the
// subject; the poster is never told who was or was not told.

const changed = (work: Work, subject: { kind: SubjectKind; id: number }, discussionId: number, commentId: number) =>
	work.publish(discussionRoom(subject.kind, subject.id), 'discussion.changed', { discussionId, commentId });
const commentLink = (subject: Subject, commentId: number) => `${subject.link}#comment-${commentId}`;

/** Of the people named, those who may see the subject (never the writer): the rest are passed over without a word. */
async function mayBeTold(trx: Trx, subject: Subject, writerId: number, names: string[], alsoIds: number[] = []): Promise<number[]> {
	if (names.length === 0 && alsoIds.length === 0) return [];
	const lowered = names.map((n) => n.toLowerCase());
	let query = trx.selectFrom('app_user').select(['id', 'name']).where('is_active', '=', true).where('id', '<>', writerId);
	query = query.where((eb) => eb.or([...(lowered.length ? [eb(sql<string>`lower(regexp_replace(trim(name), '\\s+', ' ', 'g'))`, 'in', lowered)] : []), ...(alsoIds.length ? [eb('id', 'in', alsoIds)] : [])]));
	const people = (await query.limit(50).execute()).filter((p) => alsoIds.includes(p.id) || namesMatch(names, p.name));
	const told: number[] = [];
	for (const person of people) {
		const actor = await loadActor(trx, person.id);
		if (actor && subject.visibleTo(actor).allowed) told.push(person.id);
	}
	return told;
}

async function lockComment(trx: Trx, commentId: number, seenVersion: number | null) {
	const comment = await trx
		.selectFrom('discussion_comment as c')
		.innerJoin('discussion as d', 'd.id', 'c.discussion_id')
		.select(['c.id', 'c.discussion_id', 'c.parent_id', 'c.author_id', 'c.body', 'c.created_at', 'c.edited_at', 'c.deleted_at', 'c.version', 'd.subject_kind', 'd.subject_id'])
		.where('c.id', '=', commentId)
		.forUpdate('c')
		.executeTakeFirst();
	if (!comment) throw notFound('That comment');
	if (seenVersion !== null && comment.version !== seenVersion) {
		throw conflict(
			comment.deleted_at
				? 'This comment was deleted while you were working on it.'
				: 'This comment was changed while you were working on it. Check what it says now before you try again.'
		);
	}
	return comment;
}

export async function postComment(db: Database, actor: Actor, raw: unknown): Promise<{ commentId: number; discussionId: number }> {
	const input = parseInput(postCommentSchema, raw);
	return transact(db, actor.id, async (work) => {
		const subject = await loadSubject(work.trx, input.subject.kind, input.subject.id);
		assertCan(actor, { action: 'discussion.post', subject: seenBy(subject, actor) });
		const { id: discussionId } = await work.trx
			.insertInto('discussion')
			.values({ subject_kind: subject.kind, subject_id: subject.id })
			.onConflict((oc) => oc.columns(['subject_kind', 'subject_id']).doUpdateSet({ last_comment_at: sql<Date>`now()` }))
			.returning('id')
			.executeTakeFirstOrThrow();
		let parent: { id: number; author_id: number } | null = null;
		if (input.parentId !== null) {
			const found = await lockComment(work.trx, input.parentId, null);
			if (found.discussion_id !== discussionId) throw invalid('That comment is not in this discussion. Reload the page and try again.');
			if (found.deleted_at) throw invalid('That comment has been deleted, so it cannot be replied to.', { body: ['That comment has been deleted, so it cannot be replied to'] });
			// One level of replies: a reply to a reply joins the thread of the comment it answers; its writer is told.
			parent = { id: found.parent_id ?? found.id, author_id: found.author_id };
		}
		const { id } = await work.trx
			.insertInto('discussion_comment')
			.values({ discussion_id: discussionId, parent_id: parent?.id ?? null, author_id: actor.id, body: input.body })
			.returning('id')
			.executeTakeFirstOrThrow();
		const mentioned = await mayBeTold(work.trx, subject, actor.id, mentionedNames(input.body));
		await work.record({
			action: parent ? 'discussion.replied' : 'discussion.commented',
			subject: { type: 'discussion_comment', id },
			summary: parent ? `replied in the discussion on “${subject.title}”` : `commented in the discussion on “${subject.title}”`,
			detail: { discussionId, subjectKind: subject.kind, subjectId: subject.id, parentId: parent?.id ?? null },
			notify: { userIds: mentioned, kind: 'discussion.mention', title: `${actor.name} mentioned you in the discussion on “${subject.title}”`, link: commentLink(subject, id) }
		});
		if (parent && !mentioned.includes(parent.author_id)) {
			const replyTo = await mayBeTold(work.trx, subject, actor.id, [], [parent.author_id]);
			await work.notify(replyTo, { kind: 'discussion.reply', title: `${actor.name} replied to your comment on “${subject.title}”`, link: commentLink(subject, id) });
		}
		await changed(work, subject, discussionId, id);
		return { commentId: id, discussionId };
	});
}

export async function editComment(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(editCommentSchema, raw);
	return transact(db, actor.id, async (work) => {
		const comment = await lockComment(work.trx, input.commentId, input.version);
		const subject = await loadSubject(work.trx, comment.subject_kind, comment.subject_id);
		assertCan(actor, { action: 'discussion.edit', subject: seenBy(subject, actor), comment: { authorId: comment.author_id, deleted: comment.deleted_at !== null } });
		if (comment.body === input.body) return { version: comment.version };
		await work.trx
			.insertInto('discussion_revision')
			.values({ comment_id: comment.id, body: comment.body, written_at: comment.edited_at ?? comment.created_at })
			.execute();
		const { version } = await work.trx
			.updateTable('discussion_comment')
			.set((eb) => ({ body: input.body, edited_at: new Date(), version: eb('version', '+', 1) }))
			.where('id', '=', comment.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		// Only people newly mentioned are told; those already mentioned heard the first time.
		const before = mentionedNames(comment.body);
		const added = mentionedNames(input.body).filter((name) => !namesMatch(before, name));
		await work.record({
			action: 'discussion.comment_edited',
			subject: { type: 'discussion_comment', id: comment.id },
			summary: `edited a comment in the discussion on “${subject.title}”`,
			detail: { discussionId: comment.discussion_id, version },
			notify: { userIds: await mayBeTold(work.trx, subject, actor.id, added), kind: 'discussion.mention', title: `${actor.name} mentioned you in the discussion on “${subject.title}”`, link: commentLink(subject, comment.id) }
		});
		await changed(work, subject, comment.discussion_id, comment.id);
		return { version };
	});
}

/** Deletes a comment's text and its history; a marker keeps its place, and its replies stay. */
export async function deleteComment(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(deleteCommentSchema, raw);
	await transact(db, actor.id, async (work) => {
		const comment = await lockComment(work.trx, input.commentId, input.version);
		const subject = await loadSubject(work.trx, comment.subject_kind, comment.subject_id);
		assertCan(actor, { action: 'discussion.delete', subject: seenBy(subject, actor), comment: { authorId: comment.author_id, deleted: comment.deleted_at !== null } });
		await work.trx.deleteFrom('discussion_revision').where('comment_id', '=', comment.id).execute();
		await work.trx
			.updateTable('discussion_comment')
			.set((eb) => ({ body: '', deleted_at: new Date(), deleted_by: actor.id, version: eb('version', '+', 1) }))
			.where('id', '=', comment.id)
			.execute();
		const moderated = comment.author_id !== actor.id;
		await work.record({
			action: 'discussion.comment_deleted',
			subject: { type: 'discussion_comment', id: comment.id },
			summary: moderated ? `deleted another person’s comment in the discussion on “${subject.title}” as a moderator` : `deleted their comment in the discussion on “${subject.title}”`,
			detail: { discussionId: comment.discussion_id, authorId: comment.author_id }
		});
		await changed(work, subject, comment.discussion_id, comment.id);
	});
}
