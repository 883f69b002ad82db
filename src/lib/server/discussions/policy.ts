import { allow, deny, isCountyStaff, type Decision, type RuleMap } from '../decision';

// Who may read and write a discussion. Whoever may see its subject reads it and posts in it: the
// subject's own view rule is asked through `can()` when the subject is loaded (see subjects.ts),
// and its answer travels in the check as `seen`, so each subject keeps one rule for who sees it.
// A comment is edited only by its author, and deleted by its author or a moderator (a council
// officer). Merged into `can()`.

/** A subject as the rules read it: its name, and whether the asking person may see it. */
export interface SubjectSeen {
	title: string;
	/** The subject's own view rule, asked for this person. */
	seen: Decision;
}

export interface CommentRef {
	authorId: number;
	deleted: boolean;
}

export type DiscussionCheck =
	| { action: 'discussion.view'; subject: SubjectSeen }
	| { action: 'discussion.post'; subject: SubjectSeen }
	| { action: 'discussion.edit'; subject: SubjectSeen; comment: CommentRef }
	| { action: 'discussion.delete'; subject: SubjectSeen; comment: CommentRef };

const deleted = deny('This comment has been deleted.');

export const discussionRules: RuleMap<DiscussionCheck> = {
	'discussion.view': (_actor, { subject }) => subject.seen,
	'discussion.post': (_actor, { subject }) => subject.seen,
	'discussion.edit': (actor, { subject, comment }) => {
		if (!subject.seen.allowed) return subject.seen;
		if (comment.deleted) return deleted;
		return comment.authorId === actor.id ? allow : deny('Only the person who wrote a comment can change it.');
	},
	'discussion.delete': (actor, { subject, comment }): Decision => {
		if (!subject.seen.allowed) return subject.seen;
		if (comment.deleted) return deleted;
		if (comment.authorId === actor.id || isCountyStaff(actor)) return allow;
		return deny('Only the person who wrote a comment, or a council officer moderating the discussion, can delete it.');
	}
};
