import { sql, type Kysely } from 'kysely';

// A funding agreement can be reissued as a new version after an approved change alters its terms:
// the old version is kept, marked superseded (who, when, why), and stays downloadable; the new one
// needs every signature again. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table capital_scheme_agreement drop constraint capital_scheme_agreement_status_check`.execute(db);
	await sql`alter table capital_scheme_agreement drop constraint capital_scheme_agreement_signed`.execute(db);
	await db.schema
		.alterTable('capital_scheme_agreement')
		.addColumn('superseded_by', 'integer', (c) => c.references('app_user.id'))
		.addColumn('superseded_at', 'timestamptz')
		.addColumn('superseded_reason', 'text')
		.execute();
	await sql`alter table capital_scheme_agreement
		add constraint capital_scheme_agreement_status_check check (status in ('issued', 'signed', 'superseded')),
		add constraint capital_scheme_agreement_signed check (status <> 'signed' or signed_at is not null),
		add constraint capital_scheme_agreement_unsigned check (status <> 'issued' or signed_at is null),
		add constraint capital_scheme_agreement_superseded check ((status = 'superseded') = (superseded_at is not null and superseded_by is not null and superseded_reason is not null))`.execute(db);
	// At most one version in force (issued or signed) per application.
	await sql`create unique index capital_scheme_agreement_current on capital_scheme_agreement (application_id) where status <> 'superseded'`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index if exists capital_scheme_agreement_current`.execute(db);
	await sql`alter table capital_scheme_agreement drop constraint capital_scheme_agreement_superseded, drop constraint capital_scheme_agreement_unsigned,
		drop constraint capital_scheme_agreement_signed, drop constraint capital_scheme_agreement_status_check`.execute(db);
	await db.schema.alterTable('capital_scheme_agreement').dropColumn('superseded_reason').dropColumn('superseded_at').dropColumn('superseded_by').execute();
	await sql`alter table capital_scheme_agreement add constraint capital_scheme_agreement_status_check check (status in ('issued', 'signed')),
		add constraint capital_scheme_agreement_signed check ((status = 'signed') = (signed_at is not null))`.execute(db);
}
