import type { Database } from '../../src/lib/server/db';

// What every disputes integration test starts from: two districts (Cherwell with a Banbury
// locality and one school in it, and Oxford for "another district's officer") and plain users.

/** A user with no roles yet (a council officer if asked); the email is made from the name. */
export async function addUser(db: Database, name: string, countyRole: 'officer' | null = null): Promise<number> {
	const row = await db
		.insertInto('app_user')
		.values({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`, county_role: countyRole })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Cherwell and Oxford districts, and a primary school in Cherwell's Banbury locality (URN given, unique per file). */
export async function twoDistricts(db: Database, urn: string): Promise<{ cherwell: number; oxford: number; banbury: number; school: number }> {
	const cherwell = (await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow()).id;
	const oxford = (await db.insertInto('cluster').values({ kind: 'district', name: 'Oxford' }).returning('id').executeTakeFirstOrThrow()).id;
	const banbury = (await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: cherwell }).returning('id').executeTakeFirstOrThrow()).id;
	const school = (
		await db
			.insertInto('setting')
			.values({ urn, name: 'Hill View Primary', phase: 'primary', setting_type: 'community primary', town: 'Banbury', pupil_count: 200, cluster_id: banbury })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	return { cherwell, oxford, banbury, school };
}
