// Signed-in people for the benchmark, made the way the portal makes them (the lucia-auth.com
// recipe in src/lib/server/auth/session.ts): the client holds a random token, the database the
// SHA-256 of it. Written straight into user_session so that 500 sign-ins do not dominate the run
// (sign-in is rate limited and argon2id-hashed on purpose).
import { createHash, randomBytes } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import pg from 'pg';

export const SESSION_COOKIE = 'portal_session';
const LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

function newToken() {
	return encodeBase32LowerCaseNoPadding(randomBytes(20));
}

/** @param {string} token */
export const cookieFor = (token) => `${SESSION_COOKIE}=${token}`;

/**
 * The benchmark's workspace (the demo county's Banbury locality), its members and the officer.
 * @param {string} databaseUrl
 */
export async function benchWorkspace(databaseUrl) {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		const cluster = await client.query(
			`select c.id, c.name, c.version from cluster c join cluster d on d.id = c.parent_id
			 where c.kind = 'locality' and c.name = 'Banbury' and d.name = 'Cherwell'`
		);
		if (cluster.rowCount !== 1) throw new Error('The demo county has no Banbury locality: was it seeded (SEED_DEMO=1)?');
		const clusterId = cluster.rows[0].id;
		// Staff of its settings and holders of roles on it: people whose workspace this is.
		const members = await client.query(
			`select distinct u.id from app_user u
			 left join setting_membership m on m.user_id = u.id
			 left join setting s on s.id = m.setting_id
			 left join cluster_role r on r.user_id = u.id
			 where u.is_active and (s.cluster_id = $1 or r.cluster_id = $1)
			 order by u.id`,
			[clusterId]
		);
		const officer = await client.query(`select id from app_user where email = 'officer@portal.example' and is_active`);
		if (members.rowCount === 0) throw new Error('Nobody belongs to the Banbury locality in the demo county.');
		if (officer.rowCount !== 1) throw new Error('The demo officer account (officer@portal.example) is missing.');
		return {
			clusterId: /** @type {number} */ (clusterId),
			clusterName: /** @type {string} */ (cluster.rows[0].name),
			memberIds: members.rows.map((row) => /** @type {number} */ (row.id)),
			officerId: /** @type {number} */ (officer.rows[0].id)
		};
	} finally {
		await client.end();
	}
}

/**
 * Creates one session per entry of userIds (a person may hold several, like several browsers).
 * @param {string} databaseUrl
 * @param {number[]} userIds
 * @returns {Promise<string[]>} the tokens, in the same order
 */
export async function createSessions(databaseUrl, userIds) {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		const tokens = userIds.map(() => newToken());
		const expires = new Date(Date.now() + LIFETIME_MS);
		const ids = tokens.map((token) => createHash('sha256').update(token).digest('hex'));
		await client.query(
			`insert into user_session (id, user_id, expires_at)
			 select * from unnest($1::text[], $2::int[], array_fill($3::timestamptz, array[$4::int]))`,
			[ids, userIds, expires, userIds.length]
		);
		return tokens;
	} finally {
		await client.end();
	}
}
