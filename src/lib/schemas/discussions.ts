import { z } from 'zod';
import { COMMENT_MAX, SUBJECT_KINDS } from '$lib/discussions/model';
import { idSchema, textSchema, versionSchema } from './common';
import { whole } from './bids';

// A discussion's input, shared by forms, the API and tests: each refusal is a field error in words for people.

const id = whole(idSchema());
const body = textSchema()
	.trim()
	.min(1, 'Write your comment')
	.max(COMMENT_MAX, `Your comment must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`);

export const subjectSchema = z.object({ kind: z.enum(SUBJECT_KINDS), id });
export const postCommentSchema = z.object({ subject: subjectSchema, parentId: id.nullable().default(null), body });
export const editCommentSchema = z.object({ commentId: id, version: whole(versionSchema()), body });
export const deleteCommentSchema = z.object({ commentId: id, version: whole(versionSchema()) });
