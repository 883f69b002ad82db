import { sql, type Kysely } from 'kysely';

// Retention: a row per scheduled job, claimed with FOR UPDATE SKIP LOCKED so each run happens on
// one instance only, and the indexes the retention job's deletes walk so a sweep never reads a
// whole table. Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('scheduled_job')
		.addColumn('name', 'text', (c) => c.primaryKey())
		// When the job is next due; the instance that runs it moves this on by its interval.
		.addColumn('next_run_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('last_started_at', 'timestamptz')
		.addColumn('last_finished_at', 'timestamptz')
		.addColumn('last_error', 'text')
		.execute();
	await db.schema.createIndex('live_event_created_at').on('live_event').column('created_at').execute();
	await sql`create index mail_outbox_sent_at on mail_outbox (sent_at) where sent_at is not null`.execute(db);
	await sql`create index notification_read_at on notification (read_at) where read_at is not null`.execute(db);
	await db.schema.createIndex('user_session_expires_at').on('user_session').column('expires_at').execute();
	await db.schema.createIndex('signin_throttle_last_attempt_at').on('signin_throttle').column('last_attempt_at').execute();
	await db.schema.createIndex('password_reset_expires_at').on('password_reset').column('expires_at').execute();
	await db.schema.createIndex('known_device_created_at').on('known_device').column('created_at').execute();
	await db.schema.createIndex('socket_io_attachments_created_at').on('socket_io_attachments').column('created_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	for (const index of [
		'socket_io_attachments_created_at',
		'known_device_created_at',
		'password_reset_expires_at',
		'signin_throttle_last_attempt_at',
		'user_session_expires_at',
		'notification_read_at',
		'mail_outbox_sent_at',
		'live_event_created_at'
	]) {
		await db.schema.dropIndex(index).ifExists().execute();
	}
	await db.schema.dropTable('scheduled_job').execute();
}
