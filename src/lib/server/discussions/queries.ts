import { sql, type Kysely } from 'kysely';
import type { DB } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan, can } from '../policy';
import { notFound } from '../errors';
import { keysetPage, timeKey, type Cursor, type KeyKind, type Keyset } from '../paging';
import type { ShownComment, ShownDiscussion, SubjectKind } from '$lib/discussions/model';
import { loadSubject, seenBy } from './subjects';
import { renderComment } from './markdown';

// What a page shows of a discussion: its comments oldest first, a page at a time, each with its
// replies, rendered to safe HTML; and a comment's edit history. Asked of the subject's view rule.

type Reader = Kysely<DB>;
export const COMMENTS_PAGE_SIZE = 30;
export const OLDEST_FIRST_KEY: KeyKind[] = ['time', 'int'];

const sqlRef = (column: string) => sql.ref(column);
const oldestFirst = (cursor: Cursor | null): Keyset<{ at_key: string; id: number }> => ({
	order: [sqlRef('c.created_at'), sqlRef('c.id')],
	direction: 'asc',
	keyOf: (row) => [row.at_key, row.id],
	cursor,
	size: COMMENTS_PAGE_SIZE
});


function commentsOf(db: Reader) {
	return db
		.selectFrom('discussion_comment as c')
		.innerJoin('app_user as u', 'u.id', 'c.author_id')
		.select(['c.id', 'c.parent_id', 'c.author_id', 'u.name as author_name', 'c.body', 'c.created_at', 'c.edited_at', 'c.deleted_at', 'c.version', timeKey('c.created_at')]);
}

/** One page of a subject's discussion for this person (refused if they may not see the subject). */
export async function discussionFor(db: Reader, actor: Actor, kind: SubjectKind, subjectId: number, cursor: Cursor | null = null): Promise<ShownDiscussion> {
	const subject = await loadSubject(db, kind, subjectId);
	const seen = seenBy(subject, actor);
	assertCan(actor, { action: 'discussion.view', subject: seen });
	const discussion = await db.selectFrom('discussion').select('id').where('subject_kind', '=', kind).where('subject_id', '=', subjectId).executeTakeFirst();
	const show = (row: Awaited<ReturnType<ReturnType<typeof commentsOf>['execute']>>[number]): ShownComment => {
		const ref = { authorId: row.author_id, deleted: row.deleted_at !== null };
		const canEdit = can(actor, { action: 'discussion.edit', subject: seen, comment: ref }).allowed;
		return {
			id: row.id,
			authorName: row.author_name,
			mine: row.author_id === actor.id,
			html: row.deleted_at ? '' : renderComment(row.body),
			body: canEdit ? row.body : null,
			createdAt: row.created_at.toISOString(),
			editedAt: row.edited_at?.toISOString() ?? null,
			deleted: row.deleted_at !== null,
			version: row.version,
			canEdit,
			canDelete: can(actor, { action: 'discussion.delete', subject: seen, comment: ref }).allowed
		};
	};
	if (!discussion) return { subject: { kind, id: subjectId, title: subject.title, link: subject.link }, discussionId: null, threads: [], next: null, previous: null };
	const page = await keysetPage(commentsOf(db).where('c.discussion_id', '=', discussion.id).where('c.parent_id', 'is', null), oldestFirst(cursor));
	const parentIds = page.items.map((c) => c.id);
	const replies = parentIds.length ? await commentsOf(db).where('c.parent_id', 'in', parentIds).orderBy('c.created_at').orderBy('c.id').execute() : [];
	return {
		subject: { kind, id: subjectId, title: subject.title, link: subject.link },
		discussionId: discussion.id,
		threads: page.items.map((c) => ({ ...show(c), replies: replies.filter((r) => r.parent_id === c.id).map(show) })),
		next: page.next,
		previous: page.previous
	};
}

/** A comment's texts, newest first: what it says now and each earlier text with when it was written. */
export async function commentHistory(db: Reader, actor: Actor, commentId: number) {
	const comment = await db
		.selectFrom('discussion_comment as c')
		.innerJoin('discussion as d', 'd.id', 'c.discussion_id')
		.innerJoin('app_user as u', 'u.id', 'c.author_id')
		.select(['c.id', 'c.body', 'c.created_at', 'c.edited_at', 'c.deleted_at', 'u.name as author_name', 'd.subject_kind', 'd.subject_id'])
		.where('c.id', '=', commentId)
		.executeTakeFirst();
	if (!comment) throw notFound('That comment');
	const subject = await loadSubject(db, comment.subject_kind, comment.subject_id);
	assertCan(actor, { action: 'discussion.view', subject: seenBy(subject, actor) });
	const revisions = comment.deleted_at
		? []
		: await db.selectFrom('discussion_revision').select(['id', 'body', 'written_at']).where('comment_id', '=', commentId).orderBy('id', 'desc').limit(100).execute();
	return {
		subject: { title: subject.title, link: subject.link },
		comment: { id: comment.id, authorName: comment.author_name, deleted: comment.deleted_at !== null, html: comment.deleted_at ? '' : renderComment(comment.body), writtenAt: (comment.edited_at ?? comment.created_at).toISOString() },
		revisions: revisions.map((r) => ({ id: r.id, html: renderComment(r.body), writtenAt: r.written_at.toISOString() }))
	};
}
