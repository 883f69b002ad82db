import { sql, type Kysely } from 'kysely';

// Discussions: one thread per subject (a funding bid, an inclusion-base application; the subject
// kinds are the application's list in `$lib/discussions/model.ts`, so adding consultations needs no
// migration), its comments with one level of replies, every earlier text of an edited comment,
// and when each person was last sent the digest of their unread mentions and replies. A deleted
// comment keeps its row (its replies keep their place) with its text gone. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('discussion')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('subject_kind', 'text', (c) => c.notNull().check(sql`subject_kind ~ '^[a-z_]{1,40}$'`))
		.addColumn('subject_id', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('last_comment_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('discussion_subject', ['subject_kind', 'subject_id'])
		.execute();

	await db.schema
		.createTable('discussion_comment')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('discussion_id', 'integer', (c) => c.notNull().references('discussion.id').onDelete('cascade'))
		// One level of replies: a reply's parent is a comment with no parent (the command checks).
		.addColumn('parent_id', 'integer', (c) => c.references('discussion_comment.id'))
		.addColumn('author_id', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('body', 'text', (c) => c.notNull().check(sql`length(body) <= 5000`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('edited_at', 'timestamptz')
		.addColumn('deleted_at', 'timestamptz')
		.addColumn('deleted_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
		.addCheckConstraint('discussion_comment_deleted', sql`(deleted_at is null) = (deleted_by is null) and (deleted_at is null or body = '')`)
		.addCheckConstraint('discussion_comment_text', sql`deleted_at is not null or length(body) >= 1`)
		.execute();
	await db.schema.createIndex('discussion_comment_thread').on('discussion_comment').columns(['discussion_id', 'created_at', 'id']).execute();
	await db.schema.createIndex('discussion_comment_parent').on('discussion_comment').column('parent_id').where('parent_id', 'is not', null).execute();

	// Each earlier text of an edited comment, kept for its history page until the comment is deleted.
	await db.schema
		.createTable('discussion_revision')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('comment_id', 'integer', (c) => c.notNull().references('discussion_comment.id').onDelete('cascade'))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('written_at', 'timestamptz', (c) => c.notNull())
		.addColumn('replaced_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('discussion_revision_comment').on('discussion_revision').columns(['comment_id', 'id']).execute();

	// When each person was last sent the digest: the next one holds only what came after.
	await db.schema
		.createTable('discussion_digest')
		.addColumn('user_id', 'integer', (c) => c.primaryKey().references('app_user.id'))
		.addColumn('sent_up_to', 'timestamptz', (c) => c.notNull())
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['discussion_digest', 'discussion_revision', 'discussion_comment', 'discussion']) await db.schema.dropTable(table).execute();
}
