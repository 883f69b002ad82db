// A discussion: a thread of comments on one subject (a funding bid, an inclusion-base application, a
// consultation, a funding round; a new kind is one entry here, a loader in
// `$lib/server/discussions/subjects.ts` and its room kind in `./live.ts`).

/** Every kind of subject a discussion can be on. Adding one: one entry here, one loader on the server. */
export const SUBJECT_KINDS = ['bid', 'capital_application', 'pcf_consultation', 'funding_round'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** A comment's longest text, in characters of Markdown. */
export const COMMENT_MAX = 5_000;

/** How a mention is written: `@[Full name]`. */
export const MENTION_HINT = 'To tell someone, write @[their full name], for example @[Priya Shah]. Only people who can see this page are told.';

/** A comment as a page shows it: its text already rendered to safe HTML on the server. */
export interface ShownComment {
	id: number;
	authorName: string;
	mine: boolean;
	html: string;
	/** The Markdown as written, for its author's edit form (null for anyone else). */
	body: string | null;
	createdAt: string;
	editedAt: string | null;
	deleted: boolean;
	version: number;
	canEdit: boolean;
	canDelete: boolean;
}

/** A discussion as a page shows it: one page of comments, oldest first, each with its replies. */
export interface ShownDiscussion {
	subject: { kind: SubjectKind; id: number; title: string; link: string };
	discussionId: number | null;
	threads: (ShownComment & { replies: ShownComment[] })[];
	next: string | null;
	previous: string | null;
}

/** What a page's load depends on, so a `discussion.changed` reloads only the discussion's data. */
export const discussionKey = (kind: SubjectKind, id: number) => `discussion:${kind}:${id}`;
