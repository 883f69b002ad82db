import { sql, type Kysely } from 'kysely';

// Accounts: sign-in throttles reserved atomically before a password is checked, devices that
// have signed in to an account before (OWASP's device cookie), and password-reset links.
// Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	// rate-limiter-flexible counted a failure only after the password check, so parallel attempts
	// slipped past it; signin_throttle replaces it.
	await db.schema.dropTable('rate_limit').execute();

	// One row per throttled key (a hashed account, address, device or reset request). `attempts`
	// counts the attempts in the current window, including ones still being checked.
	await db.schema
		.createTable('signin_throttle')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('last_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('next_allowed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	// The browser holds a random token in an HttpOnly cookie; only its SHA-256 is kept here.
	await db.schema
		.createTable('known_device')
		.addColumn('token_hash', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('last_used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('known_device_user').on('known_device').column('user_id').execute();

	await db.schema
		.createTable('password_reset')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('used_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('password_reset_user').on('password_reset').column('user_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('password_reset').execute();
	await db.schema.dropTable('known_device').execute();
	await db.schema.dropTable('signin_throttle').execute();
	await sql`create table rate_limit (key varchar(255) primary key, points integer not null default 0, expire bigint)`.execute(db);
}
