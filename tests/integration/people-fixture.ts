// The people-administration tests' shared start: accounts, places to give roles in, and helpers that
// read mailed tokens, count rows and call the API.
import { afterAll, beforeAll, expect } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { hashPassword } from '../../src/lib/server/auth/password';
import { DomainError } from '../../src/lib/server/errors';
import { peopleFieldIds } from '../../src/lib/schemas/people';
import type { z } from 'zod';
import { fieldErrorsOf } from '../../src/lib/server/input';
import { appRouter } from '../../src/lib/server/trpc/router';

/** The errors as the people forms show them: keyed by the id of the input each is about. */
export function peopleFieldErrors(error: z.ZodError, options: { kind?: string } = {}): Record<string, string[]> {
	const idFor = peopleFieldIds(options.kind);
	const errors: Record<string, string[]> = {};
	for (const [key, messages] of Object.entries(fieldErrorsOf(error))) (errors[idFor(key) ?? key] ??= []).push(...messages);
	return errors;
}

let test: TestDatabase;
export let db: Database;
export const ids = {
	cherwell: 0,
	banbury: 0,
	vale: 0,
	school: 0,
	otherSchool: 0,
	admin: 0,
	officer: 0,
	senco: 0
};
export let admin: Actor;
export let officer: Actor;
export let senco: Actor;
export let emailCounter = 0;

export const PASSWORD = 'a long enough password';
export const uniqueEmail = (stem: string) => `${stem}.${++emailCounter}@school.example`;

export async function insertUser(name: string, email: string, countyRole: 'officer' | 'admin' | null, password: string | null = PASSWORD) {
	const row = await db
		.insertInto('app_user')
		.values({ name, email, county_role: countyRole, password_hash: password ? await hashPassword(password) : null })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function actor(id: number): Promise<Actor> {
	const found = await loadActor(db, id);
	if (!found) throw new Error(`no actor ${id}`);
	return found;
}

/** The invitation link as the invitee receives it: read from the mail, since only its hash is stored. */
export async function tokenMailedTo(email: string): Promise<string> {
	const mail = await db
		.selectFrom('mail_outbox')
		.select('body_text')
		.where('to_address', '=', email)
		.orderBy('id', 'desc')
		.executeTakeFirstOrThrow();
	const match = /\/invite\/([a-z2-7]{32})/.exec(mail.body_text);
	if (!match) throw new Error('no invitation link in the mail');
	return match[1];
}

/** Row counts of everything a people command can write, to prove a refusal wrote nothing. */
export async function counts() {
	const tables = ['app_user', 'setting_membership', 'cluster_role', 'invitation', 'mail_outbox', 'audit_log', 'activity', 'user_session', 'notification', 'live_event'] as const;
	const result: Record<string, number> = {};
	for (const table of tables) {
		const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		result[table] = Number(row.n);
	}
	return result;
}

export async function expectDomainError(work: Promise<unknown>, code: DomainError['code']): Promise<DomainError> {
	const error = await work.then(
		() => null,
		(caught: unknown) => caught
	);
	expect(error).toBeInstanceOf(DomainError);
	expect((error as DomainError).code).toBe(code);
	return error as DomainError;
}

export function callerFor(who: Actor) {
	return appRouter.createCaller({ db, io: undefined, actor: who, session: null, event: {} as never });
}

/** Each test file that calls this gets a fresh database with an administrator, an officer, a SENCO and their places. */
export function usePeopleCounty(): void {
	beforeAll(async () => {
		test = await freshDatabase();
		db = test.db;
		ids.cherwell = (await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow()).id;
		ids.vale = (await db.insertInto('cluster').values({ kind: 'district', name: 'Vale of White Horse' }).returning('id').executeTakeFirstOrThrow()).id;
		ids.banbury = (
			await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: ids.cherwell }).returning('id').executeTakeFirstOrThrow()
		).id;
		const setting = (urn: string, name: string) => ({
			urn,
			name,
			phase: 'primary',
			setting_type: 'Community school',
			town: 'Banbury',
			pupil_count: 210,
			cluster_id: ids.banbury
		});
		ids.school = (await db.insertInto('setting').values(setting('100001', 'Hill View Primary')).returning('id').executeTakeFirstOrThrow()).id;
		ids.otherSchool = (await db.insertInto('setting').values(setting('100002', 'Queensway Primary')).returning('id').executeTakeFirstOrThrow()).id;
		ids.admin = await insertUser('Ada Admin', 'ada.admin@oxfordshire.example', 'admin');
		ids.officer = await insertUser('Olu Officer', 'olu.officer@oxfordshire.example', 'officer');
		ids.senco = await insertUser('Sam Senco', 'sam.senco@school.example', null);
		await db.insertInto('setting_membership').values({ user_id: ids.senco, setting_id: ids.school, role: 'senco' }).execute();
		admin = await actor(ids.admin);
		officer = await actor(ids.officer);
		senco = await actor(ids.senco);
	});

	afterAll(async () => {
		await test?.close();
	});
}
