import type { Action } from '@sveltejs/kit';
import { formAction, type FormContext } from '../forms';
import { parseId } from '../pages';
import { idFromText } from '$lib/schemas/common';
import type { SubjectKind } from '$lib/discussions/model';
import { deleteComment, editComment, postComment } from './commands';
import { discussionRoom } from '$lib/discussions/live';
import { discussionFor, OLDEST_FIRST_KEY } from './queries';
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { readCursor } from '../paging';
import { currentSeq } from '../live/server';
import { discussionKey } from '$lib/discussions/model';

// The discussion's form actions, for any page that shows one: spread into the page's `actions`
// with the subject's kind and the route parameter holding its id. Plain form posts (the page
// works without JavaScript); each refusal is a GOV.UK error beside its field; a repeated post
// (a double click) gets the first one's answer, by the form token every form carries.

/** One form per comment: its ids carry the comment's id. */
const perComment = (form: string) => (values: Record<string, string>) => `${form}-${/^\d+$/.test(values.commentId) ? values.commentId : 'x'}`;
const back = (url: URL, anchor: string) => `${url.pathname}?discussed=1#${anchor}`;

export function discussionActions(kind: SubjectKind, param: string): Record<'comment' | 'reply' | 'editComment' | 'deleteComment', Action> {
	const subject = (c: FormContext) => ({ kind, id: parseId(c.params[param] ?? '') });
	return {
		comment: formAction({
			form: 'comment',
			fields: ['body'],
			run: (c) => postComment(c.db, c.actor, { subject: subject(c), parentId: null, body: c.values.body }),
			done: (r, c) => back(c.url, `comment-${r.commentId}`)
		}),
		reply: formAction({
			form: 'reply',
			formFor: perComment('reply'),
			fields: ['commentId', 'body'],
			visible: ['body'],
			run: (c) => postComment(c.db, c.actor, { subject: subject(c), parentId: idFromText(c.values.commentId) ?? Number.NaN, body: c.values.body }),
			done: (r, c) => back(c.url, `comment-${r.commentId}`)
		}),
		editComment: formAction({
			form: 'edit',
			formFor: perComment('edit'),
			fields: ['commentId', 'version', 'body'],
			visible: ['body'],
			run: (c) => editComment(c.db, c.actor, c.values),
			done: (_, c) => back(c.url, `comment-${c.values.commentId}`)
		}),
		deleteComment: formAction({
			form: 'delete',
			formFor: perComment('delete'),
			fields: ['commentId', 'version'],
			visible: [],
			confirm: 'delete this comment',
			run: (c) => deleteComment(c.db, c.actor, c.values),
			done: (_, c) => back(c.url, `comment-${c.values.commentId}`)
		})
	};
}

/**
 * The discussion for a page's load: this person's view of it (refused with the subject's own
 * reason), the page of comments named by `?comments=`, and where its live room stands.
 */
export async function discussionOnPage(db: Database, actor: Actor, kind: SubjectKind, id: number, url: URL, depends: (key: string) => void) {
	depends(discussionKey(kind, id));
	const cursor = readCursor(url.searchParams.get('comments'), OLDEST_FIRST_KEY);
	// Read before the comments, so whatever commits after it is replayed when the page connects.
	const discussionSeq = await currentSeq(db, discussionRoom(kind, id));
	return { discussion: await discussionFor(db, actor, kind, id, cursor), discussionSeq };
}
