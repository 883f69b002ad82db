import { sql, type Kysely } from 'kysely';

// Inclusion-base capital, assessment: officers assigned as assessors to a round's lines; each
// assessor's declaration of interest on an application (made before they may see anything of it);
// scores per criterion with a justification, append-only (a later set supersedes an earlier one,
// nothing is updated); moderated scores per criterion; the result each write works out (so a
// round's ranking is one index walk); and the recorded decisions after scoring. The width of
// spread that calls for moderation is set per round, and per line where it differs. Frozen once landed.

const APPEND_ONLY = ['capital_declaration', 'capital_score_set', 'capital_score', 'capital_moderation', 'capital_decision'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('capital_round').addColumn('spread_width', 'integer', (c) => c.notNull().defaultTo(2).check(sql`spread_width between 0 and 5`)).execute();
	await db.schema.alterTable('capital_round_line').addColumn('spread_width', 'integer', (c) => c.check(sql`spread_width between 0 and 5`)).execute();

	await db.schema
		.createTable('capital_assessor')
		.addColumn('round_id', 'integer', (c) => c.notNull().references('capital_round.id').onDelete('cascade'))
		.addColumn('line_id', 'integer', (c) => c.notNull().references('capital_line.id'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('assigned_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('assigned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('capital_assessor_pk', ['round_id', 'line_id', 'user_id'])
		.execute();
	await db.schema.createIndex('capital_assessor_by_user').on('capital_assessor').columns(['user_id', 'round_id', 'line_id']).execute();

	// One declaration per assessor and application: "no conflict", or the conflict that removes them.
	await db.schema
		.createTable('capital_declaration')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('conflict', 'text', (c) => c.notNull().check(sql`conflict in ('none', 'governs', 'trust', 'child', 'other')`))
		.addColumn('details', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('declared_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('capital_declaration_once', ['application_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('capital_score_set')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id'))
		.addColumn('assessor_id', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('capital_score_set_latest').on('capital_score_set').columns(['application_id', 'assessor_id', 'id']).execute();
	await db.schema
		.createTable('capital_score')
		.addColumn('score_set_id', 'integer', (c) => c.notNull().references('capital_score_set.id'))
		.addColumn('criterion_id', 'integer', (c) => c.notNull().references('capital_round_criterion.id'))
		.addColumn('score', 'integer', (c) => c.notNull().check(sql`score between 0 and 5`))
		.addColumn('justification', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('capital_score_pk', ['score_set_id', 'criterion_id'])
		.execute();

	await db.schema
		.createTable('capital_moderation')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id'))
		.addColumn('criterion_id', 'integer', (c) => c.notNull().references('capital_round_criterion.id'))
		.addColumn('moderator_id', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('score', 'integer', (c) => c.notNull().check(sql`score between 0 and 5`))
		.addColumn('rationale', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('capital_moderation_latest').on('capital_moderation').columns(['application_id', 'criterion_id', 'id']).execute();

	// Worked out by each scoring write, under the application's lock: the ranking reads it.
	await db.schema
		.createTable('capital_assessment_result')
		.addColumn('application_id', 'integer', (c) => c.primaryKey().references('capital_application.id'))
		.addColumn('round_id', 'integer', (c) => c.notNull().references('capital_round.id'))
		.addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('scoring', 'needs_moderation', 'agreed')`))
		// Weighted score in hundredths of a percent (0 to 10000), once agreed or moderated; -1 before.
		.addColumn('rank_score', 'integer', (c) => c.notNull().defaultTo(-1))
		.addColumn('scorers', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('flagged', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('capital_assessment_result_rank').on('capital_assessment_result').columns(['round_id', 'rank_score', 'application_id']).execute();

	await db.schema
		.createTable('capital_decision')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('application_id', 'integer', (c) => c.notNull().references('capital_application.id'))
		.addColumn('move', 'text', (c) => c.notNull())
		.addColumn('from_stage', 'text', (c) => c.notNull())
		.addColumn('to_stage', 'text', (c) => c.notNull())
		.addColumn('decided_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('score_hundredths', 'integer')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('capital_decision_by_application').on('capital_decision').columns(['application_id', 'id']).execute();

	// Scores, declarations, moderations and decisions are a record: nothing rewrites or removes one.
	await sql`
		create function capital_append_only() returns trigger language plpgsql as $$
		begin
			raise exception '% is append-only', tg_table_name using errcode = 'P0001';
		end $$`.execute(db);
	for (const table of APPEND_ONLY) {
		await sql`create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)} for each row execute function capital_append_only()`.execute(db);
	}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['capital_decision', 'capital_assessment_result', 'capital_moderation', 'capital_score', 'capital_score_set', 'capital_declaration', 'capital_assessor']) {
		await db.schema.dropTable(table).execute();
	}
	await sql`drop function if exists capital_append_only()`.execute(db);
	await db.schema.alterTable('capital_round_line').dropColumn('spread_width').execute();
	await db.schema.alterTable('capital_round').dropColumn('spread_width').execute();
}
