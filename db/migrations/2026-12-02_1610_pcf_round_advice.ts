import { sql, type Kysely } from 'kysely';

// A themed response across a whole funding round: the forum's position and points may attach to a
// round (every bid of its district in that round) instead of one bid, as a fourth kind of proposal
// (exactly one of bid, application, consultation or round is set). The same approval by the lead,
// answers, two checks and public page follow. One position per group and round. Frozen once landed.

const oneProposal = sql`num_nonnulls(bid_id, capital_application_id, consultation_id, round_id) = 1`;
const oneProposalBefore = sql`num_nonnulls(bid_id, capital_application_id, consultation_id) = 1`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	for (const table of ['pcf_position', 'pcf_point']) {
		await db.schema.alterTable(table).addColumn('round_id', 'integer', (c) => c.references('funding_round.id')).execute();
		await db.schema.alterTable(table).dropConstraint(`${table}_one_proposal`).execute();
		await db.schema.alterTable(table).addCheckConstraint(`${table}_one_proposal`, oneProposal).execute();
	}
	await sql`create unique index pcf_position_round on pcf_position (district_id, round_id) where round_id is not null`.execute(db);
	await db.schema.createIndex('pcf_point_round').on('pcf_point').columns(['round_id', 'id']).where(sql.ref('round_id'), 'is not', null).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('pcf_point_round').execute();
	await sql`drop index pcf_position_round`.execute(db);
	for (const table of ['pcf_point', 'pcf_position']) {
		await db.deleteFrom(table).where('round_id', 'is not', null).execute();
		await db.schema.alterTable(table).dropConstraint(`${table}_one_proposal`).execute();
		await db.schema.alterTable(table).dropColumn('round_id').execute();
		await db.schema.alterTable(table).addCheckConstraint(`${table}_one_proposal`, oneProposalBefore).execute();
	}
}
