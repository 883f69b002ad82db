import type { Insertable } from 'kysely';
import type { Database } from '../../src/lib/server/db';
import type { DB } from '../../src/lib/server/db/schema';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import type { ClusterRoleName, SettingRoleName } from '../../src/lib/roles';

// What every disputes integration test starts from: two districts (Cherwell with a Banbury
// locality and one school in it, and Oxford for "another district's officer"), the people with
// their roles, and cases at the stage a test needs.

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

/** Where a test person works: a role in Cherwell or Oxford, a role at the Cherwell school (or another setting a file adds), a council officer, or nowhere. */
export type DisputeRoleSpec =
	| { district: 'cherwell' | 'oxford'; role: ClusterRoleName }
	| { atSchool: SettingRoleName; settingId?: number }
	| { county: 'officer' | null };

/** The people most dispute tests need: `cast(...)` picks a file's own, and a file adds any others. */
export const DISPUTE_CAST = {
	sendiass: { name: 'Sunita Sendiass', district: 'cherwell', role: 'sendiass_officer' },
	oxfordSendiass: { name: 'Omar Oxford', district: 'oxford', role: 'sendiass_officer' },
	member: { name: 'Mo Member', district: 'cherwell', role: 'panel_member' },
	head: { name: 'Hana Head', atSchool: 'headteacher' },
	senco: { name: 'Sam Senco', atSchool: 'senco' },
	pcfRep: { name: 'Pat Parent', district: 'cherwell', role: 'pcf_rep' },
	councilOfficer: { name: 'Col Council', county: 'officer' }
} as const satisfies Record<string, { name: string } & DisputeRoleSpec>;
export type DisputeCastKey = keyof typeof DISPUTE_CAST;

/** Some of the usual people, for `disputePeople`. */
export const cast = <K extends DisputeCastKey>(...keys: K[]) => Object.fromEntries(keys.map((key) => [key, DISPUTE_CAST[key]])) as Pick<typeof DISPUTE_CAST, K>;

/**
 * The people a test needs, each made with their role and loaded as an actor, in one call: the
 * set-up every dispute test file repeated. Names become distinct email addresses.
 */
export async function disputePeople<K extends string>(
	db: Database,
	ids: { cherwell: number; oxford: number; school: number },
	spec: Record<K, { name: string } & DisputeRoleSpec>
): Promise<Record<K, Actor>> {
	const people = {} as Record<K, Actor>;
	for (const key of Object.keys(spec) as K[]) {
		const who = spec[key];
		const id = await addUser(db, who.name, 'county' in who ? who.county : null);
		if ('district' in who) await db.insertInto('cluster_role').values({ user_id: id, cluster_id: ids[who.district], role: who.role }).execute();
		if ('atSchool' in who) await db.insertInto('setting_membership').values({ user_id: id, setting_id: who.settingId ?? ids.school, role: who.atSchool }).execute();
		const actor = await loadActor(db, id);
		if (!actor) throw new Error(`${who.name} could not be loaded`);
		people[key] = actor;
	}
	return people;
}

/**
 * A Cherwell case about the fixture's school, for a panel, with the least a referral holds (the
 * child's initials and year group); `values` set the stage, agreement and free text a test needs.
 */
export async function insertCase(
	db: Database,
	ids: { cherwell: number; school: number },
	values: Partial<Insertable<DB['dispute_case']>> = {}
): Promise<{ id: number; reference: string }> {
	return db
		.insertInto('dispute_case')
		.values({
			reference: `DR-CHE-X${Math.floor(Math.random() * 1e9)}`,
			district_id: ids.cherwell,
			other_party: 'maintained_school',
			setting_id: ids.school,
			category: 'sen_support',
			route: 'panel',
			status: 'referred',
			child_initials: 'JS',
			year_group: 'Year 4',
			tried: 'A meeting',
			outcome_sought: 'A plan',
			child_views: '',
			...values
		})
		.returning(['id', 'reference'])
		.executeTakeFirstOrThrow();
}

/** The case's scheduling poll with these members booked, and, given a start, its booked meeting (two hours long). */
export async function insertPoll(db: Database, caseId: number, booking: { memberIds?: number[]; startsAt?: Date } = {}): Promise<{ pollId: number }> {
	const poll = await db
		.insertInto('dispute_poll')
		.values({ case_id: caseId, family_availability: 'Mornings', school_availability: 'Any day', closes_at: new Date(), ics_uid: `uid-${caseId}@test`, booked_member_ids: booking.memberIds ?? [] })
		.returning('id')
		.executeTakeFirstOrThrow();
	if (booking.startsAt) {
		const slot = await db
			.insertInto('dispute_slot')
			.values({ poll_id: poll.id, starts_at: booking.startsAt, ends_at: new Date(booking.startsAt.getTime() + 2 * 3_600_000), mode: 'in_person', place: 'Banbury Library' })
			.returning('id')
			.executeTakeFirstOrThrow();
		await db.updateTable('dispute_poll').set({ booked_slot_id: slot.id }).where('id', '=', poll.id).execute();
	}
	return { pollId: poll.id };
}
