import { sql, type Kysely } from 'kysely';

// Decision items of a cluster steering group, as a fourth kind of consultation: a cluster lead or an
// officer puts one on the steering group's agenda in a workspace, with the date of the meeting that
// decides it; the forum's advice closes before that meeting (closes_on < decision_meeting_on). After
// the meeting its owner or an officer records what was decided and how the forum's advice was
// considered (who and when in decided_by / decided_at, and on the timeline).
// The label is a text column with a check constraint (not an enum type), so a new value is a new
// check, which runs inside the migration's transaction like any other.

const LABELS = ['co_design', 'pre_consultation', 'formal', 'steering_decision'];
const OLD_LABELS = ['co_design', 'pre_consultation', 'formal'];
const inList = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('pcf_consultation').dropConstraint('pcf_consultation_label_check').execute();
	await db.schema
		.alterTable('pcf_consultation')
		.addCheckConstraint('pcf_consultation_label_check', sql`label in (${inList(LABELS)})`)
		.execute();
	await db.schema
		.alterTable('pcf_consultation')
		.addColumn('decision_meeting_on', 'date')
		.addColumn('decision', 'text', (c) => c.check(sql`length(decision) between 1 and 4000`))
		.addColumn('decision_advice_considered', 'text', (c) => c.check(sql`length(decision_advice_considered) between 1 and 4000`))
		.addColumn('decided_at', 'timestamptz')
		.addColumn('decided_by', 'integer', (c) => c.references('app_user.id'))
		.execute();
	await db.schema
		.alterTable('pcf_consultation')
		// Only a steering decision item has a meeting, and the forum's advice closes before it.
		.addCheckConstraint('pcf_consultation_meeting', sql`(label = 'steering_decision') = (decision_meeting_on is not null) and (decision_meeting_on is null or closes_on < decision_meeting_on)`)
		.execute();
	await db.schema
		.alterTable('pcf_consultation')
		// A decision is recorded whole (what, who, when), on a steering decision item only.
		.addCheckConstraint(
			'pcf_consultation_decided',
			sql`(decided_at is null) = (decided_by is null) and (decided_at is null) = (decision is null) and (decided_at is null or label = 'steering_decision') and (decision_advice_considered is null or decided_at is not null)`
		)
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('pcf_consultation').dropConstraint('pcf_consultation_decided').execute();
	await db.schema.alterTable('pcf_consultation').dropConstraint('pcf_consultation_meeting').execute();
	// Decision items stay, with their advice, as pre-consultations (their decisions are on their timelines).
	await db.updateTable('pcf_consultation').set({ label: 'pre_consultation' }).where('label', '=', 'steering_decision').execute();
	await db.schema
		.alterTable('pcf_consultation')
		.dropColumn('decision_meeting_on')
		.dropColumn('decision')
		.dropColumn('decision_advice_considered')
		.dropColumn('decided_at')
		.dropColumn('decided_by')
		.execute();
	await db.schema.alterTable('pcf_consultation').dropConstraint('pcf_consultation_label_check').execute();
	await db.schema.alterTable('pcf_consultation').addCheckConstraint('pcf_consultation_label_check', sql`label in (${inList(OLD_LABELS)})`).execute();
}
