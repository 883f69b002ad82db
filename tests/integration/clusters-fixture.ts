// The county set-up tests' shared start: Cherwell and Vale districts, an officer, a SENCO, and helpers
// that add clusters, settings and people and read back what a command wrote.
import { afterAll, beforeAll } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';

let test: TestDatabase;
export let db: Database;
export let officer: Actor;
export let senco: Actor;
export const ids = { cherwell: 0, vale: 0, abingdon: 0, officer: 0, senco: 0, lead: 0, otherLead: 0, sencoSchool: 0 };
export let urnCounter = 100000;

export async function district(name: string): Promise<number> {
	const row = await db.insertInto('cluster').values({ kind: 'district', name }).returning('id').executeTakeFirstOrThrow();
	return row.id;
}

export async function locality(parentId: number, name: string): Promise<number> {
	const row = await db.insertInto('cluster').values({ kind: 'locality', name, parent_id: parentId }).returning('id').executeTakeFirstOrThrow();
	return row.id;
}

export async function setting(clusterId: number, name: string): Promise<number> {
	const row = await db
		.insertInto('setting')
		.values({ urn: String(++urnCounter), name, phase: 'primary', setting_type: 'Academy', town: 'Banbury', pupil_count: 210, cluster_id: clusterId })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function user(name: string, countyRole: 'officer' | null): Promise<number> {
	const row = await db
		.insertInto('app_user')
		.values({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`, county_role: countyRole })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function actorFor(id: number): Promise<Actor> {
	const found = await loadActor(db, id);
	if (!found) throw new Error(`no actor ${id}`);
	return found;
}

export async function cluster(id: number) {
	return db.selectFrom('cluster').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function settingRow(id: number) {
	return db.selectFrom('setting').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Everything a county set-up command can write, to prove a refusal wrote nothing. */
export async function snapshot() {
	const [clusters, settings, roles, invitations, counts] = await Promise.all([
		db.selectFrom('cluster').selectAll().orderBy('id').execute(),
		db.selectFrom('setting').select(['id', 'cluster_id', 'version']).orderBy('id').execute(),
		db.selectFrom('cluster_role').select(['id', 'cluster_id', 'user_id', 'role']).orderBy('id').execute(),
		db.selectFrom('invitation').select(['id', 'cluster_id']).orderBy('id').execute(),
		Promise.all(
			(['audit_log', 'activity', 'live_event'] as const).map(async (table) => {
				const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
				return [table, Number(row.n)] as const;
			})
		)
	]);
	return { clusters, settings, roles, invitations, counts: Object.fromEntries(counts) };
}

/** Runs a command that must be refused and hands back its error. */
export { expectRefused as refused } from './refusals';

export async function auditRows(subjectType: string, subjectId: number) {
	return db
		.selectFrom('audit_log')
		.selectAll()
		.where('subject_type', '=', subjectType)
		.where('subject_id', '=', subjectId)
		.orderBy('id')
		.execute();
}

export async function activityIn(clusterId: number) {
	return db.selectFrom('activity').selectAll().where('cluster_id', '=', clusterId).orderBy('id').execute();
}

export async function liveEventsFor(clusterId: number, kind: string) {
	return db.selectFrom('live_event').selectAll().where('room', '=', `cluster:${clusterId}`).where('kind', '=', kind).orderBy('id').execute();
}

/** Each test file that calls this gets a fresh database with two districts, an officer and a SENCO. */
export function useClustersCounty(): void {
	beforeAll(async () => {
		test = await freshDatabase();
		db = test.db;
		ids.cherwell = await district('Cherwell');
		ids.vale = await district('Vale of White Horse');
		ids.abingdon = await locality(ids.vale, 'Abingdon');
		const sencoLocality = await locality(ids.cherwell, 'Banbury');
		ids.sencoSchool = await setting(sencoLocality, 'Hill View Primary');
		ids.officer = await user('Olive Officer', 'officer');
		ids.senco = await user('Sam Senco', null);
		ids.lead = await user('Lee Lead', null);
		ids.otherLead = await user('Lou Lead', null);
		await db.insertInto('setting_membership').values({ user_id: ids.senco, setting_id: ids.sencoSchool, role: 'senco' }).execute();
		officer = await actorFor(ids.officer);
		senco = await actorFor(ids.senco);
	});

	afterAll(async () => {
		await test?.close();
	});
}
