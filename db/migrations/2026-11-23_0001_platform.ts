import { sql, type Kysely } from 'kysely';

// The portal's foundation: the county's cluster tree, settings, people and their roles, sessions,
// invitations, mail, notifications, the activity feed, the live-event outbox and the audit log.
// Frozen once landed: later changes go in a new migration.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('cluster')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('district', 'locality')`))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('parent_id', 'integer', (c) => c.references('cluster.id'))
		.addColumn('status', 'text', (c) =>
			c.notNull().defaultTo('active').check(sql`status in ('active', 'retired')`)
		)
		.addColumn('merged_into_id', 'integer', (c) => c.references('cluster.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('retired_at', 'timestamptz')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addCheckConstraint(
			'cluster_tree',
			sql`(kind = 'district' and parent_id is null) or (kind = 'locality' and parent_id is not null)`
		)
		.execute();
	// Two active clusters under one parent may not share a name; retired names can be reused.
	await sql`create unique index cluster_active_name on cluster (coalesce(parent_id, 0), lower(name)) where status = 'active'`.execute(
		db
	);

	await db.schema
		.createTable('setting')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('urn', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('phase', 'text', (c) =>
			c
				.notNull()
				.check(
					sql`phase in ('early_years', 'primary', 'secondary', 'all_through', 'special', 'alternative_provision', 'post16')`
				)
		)
		.addColumn('setting_type', 'text', (c) => c.notNull())
		.addColumn('town', 'text', (c) => c.notNull())
		.addColumn('pupil_count', 'integer', (c) => c.notNull().check(sql`pupil_count >= 0`))
		.addColumn('cluster_id', 'integer', (c) => c.notNull().references('cluster.id'))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();
	await db.schema.createIndex('setting_cluster').on('setting').column('cluster_id').execute();

	await db.schema
		.createTable('app_user')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('password_hash', 'text')
		.addColumn('county_role', 'text', (c) => c.check(sql`county_role in ('officer', 'admin')`))
		.addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('deactivated_at', 'timestamptz')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();
	await sql`create unique index app_user_email on app_user (lower(email))`.execute(db);

	await db.schema
		.createTable('setting_membership')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('setting_id', 'integer', (c) => c.notNull().references('setting.id'))
		.addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('headteacher', 'senco')`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('setting_membership_unique', ['user_id', 'setting_id', 'role'])
		.execute();
	await db.schema.createIndex('setting_membership_setting').on('setting_membership').column('setting_id').execute();

	await db.schema
		.createTable('cluster_role')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('cluster_id', 'integer', (c) => c.notNull().references('cluster.id'))
		.addColumn('role', 'text', (c) =>
			c.notNull().check(sql`role in ('pcf_rep', 'sendiass_officer', 'cluster_lead', 'panel_member')`)
		)
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('cluster_role_unique', ['user_id', 'cluster_id', 'role'])
		.execute();
	await db.schema.createIndex('cluster_role_cluster').on('cluster_role').column('cluster_id').execute();

	await db.schema
		.createTable('user_session')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('user_session_user').on('user_session').column('user_id').execute();

	await db.schema
		.createTable('invitation')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('grant_kind', 'text', (c) =>
			c.notNull().check(sql`grant_kind in ('setting', 'cluster', 'county')`)
		)
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('setting_id', 'integer', (c) => c.references('setting.id'))
		.addColumn('cluster_id', 'integer', (c) => c.references('cluster.id'))
		.addColumn('invited_by', 'integer', (c) => c.notNull().references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('used_at', 'timestamptz')
		.addColumn('revoked_at', 'timestamptz')
		.addColumn('user_id', 'integer', (c) => c.references('app_user.id'))
		.execute();

	await db.schema
		.createTable('mail_outbox')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('to_address', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('body_text', 'text', (c) => c.notNull())
		.addColumn('transport', 'text', (c) => c.notNull().check(sql`transport in ('smtp', 'log')`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('sent_at', 'timestamptz')
		.addColumn('error', 'text')
		.execute();

	await db.schema
		.createTable('notification')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('link', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('read_at', 'timestamptz')
		.execute();
	await sql`create index notification_unread on notification (user_id, created_at desc) where read_at is null`.execute(
		db
	);
	await db.schema.createIndex('notification_user').on('notification').columns(['user_id', 'id']).execute();

	await db.schema
		.createTable('activity')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('cluster_id', 'integer', (c) => c.notNull().references('cluster.id'))
		.addColumn('actor_id', 'integer', (c) => c.references('app_user.id'))
		.addColumn('verb', 'text', (c) => c.notNull())
		.addColumn('summary', 'text', (c) => c.notNull())
		.addColumn('link', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('activity_cluster').on('activity').columns(['cluster_id', 'id']).execute();

	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('actor_id', 'integer', (c) => c.references('app_user.id'))
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('subject_type', 'text', (c) => c.notNull())
		.addColumn('subject_id', 'integer', (c) => c.notNull())
		.addColumn('reason', 'text')
		.addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject_type', 'subject_id', 'id']).execute();

	// The live outbox: one counter per room so a client can see a gap in what it received and fetch
	// the events it missed. The counter row is locked by the writing transaction, so sequence order
	// is commit order within a room.
	await db.schema
		.createTable('live_room')
		.addColumn('room', 'text', (c) => c.primaryKey())
		.addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema
		.createTable('live_event')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('room', 'text', (c) => c.notNull())
		.addColumn('seq', 'integer', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('live_event_room_seq', ['room', 'seq'])
		.execute();

	// Used by rate-limiter-flexible's Postgres store (shape as that library expects it).
	await sql`create table rate_limit (key varchar(255) primary key, points integer not null default 0, expire bigint)`.execute(
		db
	);
	// Used by @socket.io/postgres-adapter for payloads too large for NOTIFY.
	await sql`create table socket_io_attachments (id bigserial unique, created_at timestamptz default now(), payload bytea)`.execute(
		db
	);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'socket_io_attachments',
		'rate_limit',
		'live_event',
		'live_room',
		'audit_log',
		'activity',
		'notification',
		'mail_outbox',
		'invitation',
		'user_session',
		'cluster_role',
		'setting_membership',
		'app_user',
		'setting',
		'cluster'
	]) {
		await db.schema.dropTable(table).ifExists().execute();
	}
}
