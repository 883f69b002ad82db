import { sql, type Kysely } from 'kysely';

// Inclusion-base capital, the programme set-up: funding sources (with their financial-year profile
// and the lines each may fund), programme lines (process, allocation, unit assumptions), targets
// (what "places" means, baseline, figures by year, the lines that count), and rounds (lines opened
// with a closing date, weighted criteria frozen when the round opens). Every row carries a version
// so two officers editing one item never silently overwrite each other. Money is whole pence.
// Also who may sign for each kind of setting, as data. Frozen once landed.

const SETTING_TYPES: [type: string, label: string, governance: string, signatories: string[], landownerConsent: boolean][] = [
	['community primary', 'Community primary school', 'maintained', ['headteacher', 'governing_body'], false],
	['community secondary', 'Community secondary school', 'maintained', ['headteacher', 'governing_body'], false],
	['voluntary controlled primary', 'Voluntary controlled primary school', 'maintained', ['headteacher', 'governing_body'], false],
	['voluntary aided primary', 'Voluntary aided primary school', 'maintained', ['headteacher', 'governing_body'], true],
	['voluntary aided secondary', 'Voluntary aided secondary school', 'maintained', ['headteacher', 'governing_body'], true],
	['maintained nursery', 'Maintained nursery school', 'maintained', ['headteacher', 'governing_body'], false],
	['special school', 'Maintained special school', 'maintained', ['headteacher', 'governing_body'], false],
	['alternative provision', 'Pupil referral unit', 'maintained', ['headteacher', 'governing_body'], false],
	['academy', 'Academy', 'academy', ['trust'], false],
	['free school', 'Free school', 'academy', ['trust'], false],
	['FE college', 'Further education college', 'fe', ['principal'], false],
	['day nursery', 'Private, voluntary or independent nursery', 'pvi', ['owner_manager'], false],
	['pre-school', 'Pre-school (private, voluntary or independent)', 'pvi', ['owner_manager'], false],
	['childminder', 'Childminder', 'childminder', ['childminder'], false]
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('setting_type')
		.addColumn('setting_type', 'text', (c) => c.primaryKey())
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('governance', 'text', (c) =>
			c.notNull().check(sql`governance in ('maintained', 'academy', 'fe', 'pvi', 'childminder', 'other')`)
		)
		.addColumn('signatories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addColumn('landowner_consent', 'boolean', (c) => c.notNull().defaultTo(false))
		.execute();
	await db
		.insertInto('setting_type')
		.values(
			SETTING_TYPES.map(([type, label, governance, signatories, landownerConsent]) => ({
				setting_type: type,
				label,
				governance,
				signatories: sql`${sql.val(signatories)}::text[]`,
				landowner_consent: landownerConsent
			}))
		)
		.execute();

	await db.schema
		.createTable('capital_line')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('name', 'text', (c) => c.notNull().unique())
		.addColumn('process', 'text', (c) => c.notNull().check(sql`process in ('grant', 'rollout', 'scheme')`))
		.addColumn('allocation_pence', 'bigint', (c) => c.check(sql`allocation_pence >= 0`))
		.addColumn('max_per_base_pence', 'bigint', (c) => c.check(sql`max_per_base_pence > 0`))
		.addColumn('benchmark_per_place_pence', 'bigint', (c) => c.check(sql`benchmark_per_place_pence > 0`))
		.addColumn('standard_band_pence', 'bigint', (c) => c.check(sql`standard_band_pence > 0`))
		.addColumn('enhanced_band_pence', 'bigint', (c) => c.check(sql`enhanced_band_pence > 0`))
		.addColumn('enhanced_share_percent', 'integer', (c) => c.check(sql`enhanced_share_percent between 0 and 100`))
		.addColumn('places_min', 'integer', (c) => c.check(sql`places_min > 0`))
		.addColumn('places_max', 'integer', (c) => c.check(sql`places_max > 0`))
		.addColumn('planned_bases', 'integer', (c) => c.check(sql`planned_bases >= 0`))
		.addColumn('planned_places', 'integer', (c) => c.check(sql`planned_places >= 0`))
		.addColumn('place_definition', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('assumptions', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('eligible_setting_types', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('capital_line_places_range', sql`places_min is null or places_max is null or places_min <= places_max`)
		.execute();

	await db.schema
		.createTable('capital_source')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('name', 'text', (c) => c.notNull().unique())
		.addColumn('amount_pence', 'bigint', (c) => c.notNull().check(sql`amount_pence >= 0`))
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('assumed', 'confirmed')`))
		// Pence by financial year, keyed by the year it starts ("2026" is 2026/27).
		.addColumn('profile', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createTable('capital_source_line')
		.addColumn('source_id', 'integer', (c) => c.notNull().references('capital_source.id').onDelete('cascade'))
		.addColumn('line_id', 'integer', (c) => c.notNull().references('capital_line.id'))
		.addPrimaryKeyConstraint('capital_source_line_pk', ['source_id', 'line_id'])
		.execute();

	await db.schema
		.createTable('capital_target')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('name', 'text', (c) => c.notNull().unique())
		.addColumn('definition', 'text', (c) => c.notNull())
		.addColumn('baseline', 'integer', (c) => c.check(sql`baseline >= 0`))
		.addColumn('baseline_note', 'text', (c) => c.notNull().defaultTo(''))
		// The target figure by financial year, keyed by the year it starts.
		.addColumn('figures', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createTable('capital_target_line')
		.addColumn('target_id', 'integer', (c) => c.notNull().references('capital_target.id').onDelete('cascade'))
		.addColumn('line_id', 'integer', (c) => c.notNull().references('capital_line.id'))
		.addPrimaryKeyConstraint('capital_target_line_pk', ['target_id', 'line_id'])
		.execute();

	await db.schema
		.createTable('capital_round')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'open', 'closed')`))
		.addColumn('closes_on', 'date', (c) => c.notNull())
		.addColumn('guidance', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('opened_at', 'timestamptz')
		.addColumn('closed_at', 'timestamptz')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('capital_round_status').on('capital_round').columns(['status', 'id']).execute();
	await db.schema
		.createTable('capital_round_line')
		.addColumn('round_id', 'integer', (c) => c.notNull().references('capital_round.id').onDelete('cascade'))
		.addColumn('line_id', 'integer', (c) => c.notNull().references('capital_line.id'))
		.addPrimaryKeyConstraint('capital_round_line_pk', ['round_id', 'line_id'])
		.execute();
	await db.schema
		.createTable('capital_round_criterion')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('round_id', 'integer', (c) => c.notNull().references('capital_round.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('weight', 'integer', (c) => c.notNull().check(sql`weight between 1 and 100`))
		.addUniqueConstraint('capital_round_criterion_position', ['round_id', 'position'])
		.execute();
	// Criteria are published with the round: once it has opened they cannot change, whatever writes.
	await sql`
		create function capital_criteria_frozen() returns trigger language plpgsql as $$
		begin
			if exists (select 1 from capital_round where id = coalesce(new.round_id, old.round_id) and status <> 'draft') then
				raise exception 'criteria of an opened round are frozen' using errcode = 'P0001';
			end if;
			return coalesce(new, old);
		end $$`.execute(db);
	await sql`
		create trigger capital_criteria_frozen before insert or update or delete on capital_round_criterion
		for each row execute function capital_criteria_frozen()`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop trigger if exists capital_criteria_frozen on capital_round_criterion`.execute(db);
	await sql`drop function if exists capital_criteria_frozen()`.execute(db);
	for (const table of [
		'capital_round_criterion',
		'capital_round_line',
		'capital_round',
		'capital_target_line',
		'capital_target',
		'capital_source_line',
		'capital_source',
		'capital_line',
		'setting_type'
	]) {
		await db.schema.dropTable(table).execute();
	}
}
