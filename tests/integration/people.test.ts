import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { createSession, generateToken, hashToken, validateSessionToken } from '../../src/lib/server/auth/session';
import { hashPassword, verifyPassword } from '../../src/lib/server/auth/password';
import { DomainError } from '../../src/lib/server/errors';
import {
	acceptInvitation,
	deactivate,
	grantRole,
	invitationByToken,
	invitePerson,
	listPeople,
	personDetail,
	reactivate,
	revokeRole,
	setCountyRole,
	InvitationUnusable
} from '../../src/lib/server/people';
import { inviteSchema, peopleFieldIds } from '../../src/lib/schemas/people';
import type { z } from 'zod';
import { fieldErrorsOf } from '../../src/lib/server/input';
import { appRouter } from '../../src/lib/server/trpc/router';

/** The errors as the people forms show them: keyed by the id of the input each is about. */
function peopleFieldErrors(error: z.ZodError, options: { kind?: string } = {}): Record<string, string[]> {
	const idFor = peopleFieldIds(options.kind);
	const errors: Record<string, string[]> = {};
	for (const [key, messages] of Object.entries(fieldErrorsOf(error))) (errors[idFor(key) ?? key] ??= []).push(...messages);
	return errors;
}


let test: TestDatabase;
let db: Database;
const ids = {
	cherwell: 0,
	banbury: 0,
	vale: 0,
	school: 0,
	otherSchool: 0,
	admin: 0,
	officer: 0,
	senco: 0
};
let admin: Actor;
let officer: Actor;
let senco: Actor;
let emailCounter = 0;

const PASSWORD = 'a long enough password';
const uniqueEmail = (stem: string) => `${stem}.${++emailCounter}@school.example`;

async function insertUser(name: string, email: string, countyRole: 'officer' | 'admin' | null, password: string | null = PASSWORD) {
	const row = await db
		.insertInto('app_user')
		.values({ name, email, county_role: countyRole, password_hash: password ? await hashPassword(password) : null })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

async function actor(id: number): Promise<Actor> {
	const found = await loadActor(db, id);
	if (!found) throw new Error(`no actor ${id}`);
	return found;
}

/** The invitation link as the invitee receives it: read from the mail, since only its hash is stored. */
async function tokenMailedTo(email: string): Promise<string> {
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
async function counts() {
	const tables = ['app_user', 'setting_membership', 'cluster_role', 'invitation', 'mail_outbox', 'audit_log', 'activity', 'user_session', 'notification', 'live_event'] as const;
	const result: Record<string, number> = {};
	for (const table of tables) {
		const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		result[table] = Number(row.n);
	}
	return result;
}

async function expectDomainError(work: Promise<unknown>, code: DomainError['code']): Promise<DomainError> {
	const error = await work.then(
		() => null,
		(caught: unknown) => caught
	);
	expect(error).toBeInstanceOf(DomainError);
	expect((error as DomainError).code).toBe(code);
	return error as DomainError;
}

function callerFor(who: Actor) {
	return appRouter.createCaller({ db, io: undefined, actor: who, session: null, event: {} as never });
}

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

describe('inviting and accepting', () => {
	it('an officer invites a new person, who sets a password from the link and is signed in', async () => {
		const email = uniqueEmail('new.senco');
		const result = await invitePerson(db, officer, {
			email,
			name: 'Nia New',
			grant: { kind: 'setting', settingId: ids.school, role: 'senco' }
		});
		expect(result.kind).toBe('invited');

		const invitation = await db.selectFrom('invitation').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
		const token = await tokenMailedTo(email);
		// Only the hash is kept.
		expect(invitation.token_hash).not.toContain(token);
		expect(invitation.expires_at.getTime() - invitation.created_at.getTime()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
		const lookup = await invitationByToken(db, token);
		expect(lookup).toMatchObject({ ok: true, invitation: { email, name: 'Nia New', role: 'SENCO at Hill View Primary' } });

		const invitedAudit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'person.invited').where('subject_id', '=', invitation.id).executeTakeFirstOrThrow();
		expect(invitedAudit.actor_id).toBe(ids.officer);
		const activity = await db.selectFrom('activity').select(['summary', 'cluster_id']).where('verb', '=', 'person.invited').orderBy('id', 'desc').executeTakeFirstOrThrow();
		expect(activity).toEqual({ summary: 'Nia New was invited as SENCO at Hill View Primary', cluster_id: ids.banbury });

		const lastEvent = await db.selectFrom('live_event').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
		const accepted = await acceptInvitation(db, token, PASSWORD);
		if (accepted.kind !== 'signedIn') throw new Error('expected to be signed in');
		const validated = await validateSessionToken(db, accepted.token);
		expect(validated?.actor.email).toBe(email);
		expect(validated?.actor.settingRoles).toEqual([expect.objectContaining({ settingId: ids.school, role: 'senco' })]);

		const user = await db.selectFrom('app_user').select(['password_hash']).where('id', '=', accepted.userId).executeTakeFirstOrThrow();
		expect(user.password_hash).toMatch(/^\$argon2id\$/);
		expect(await verifyPassword(user.password_hash ?? '', PASSWORD)).toBe(true);
		const used = await db.selectFrom('invitation').select(['used_at', 'user_id']).where('id', '=', invitation.id).executeTakeFirstOrThrow();
		expect(used.used_at).not.toBeNull();
		expect(used.user_id).toBe(accepted.userId);
		const acceptedAudit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'invitation.accepted').where('subject_id', '=', accepted.userId).executeTakeFirstOrThrow();
		expect(acceptedAudit.actor_id).toBe(accepted.userId);
		const joined = await db.selectFrom('activity').select(['summary', 'actor_id']).where('verb', '=', 'person.joined').orderBy('id', 'desc').executeTakeFirstOrThrow();
		expect(joined).toEqual({ summary: 'Nia New joined as SENCO at Hill View Primary', actor_id: accepted.userId });
		// Open workspaces hear about the new member (the locality and its district).
		const events = await db
			.selectFrom('live_event')
			.select(['room', 'kind'])
			.where('id', '>', Number(lastEvent.id ?? 0))
			.where('room', 'like', 'cluster:%')
			.execute();
		expect(events).toHaveLength(4);
		expect(events).toEqual(
			expect.arrayContaining([
				{ room: `cluster:${ids.banbury}`, kind: 'membership.changed' },
				{ room: `cluster:${ids.cherwell}`, kind: 'membership.changed' },
				{ room: `cluster:${ids.banbury}`, kind: 'activity.created' },
				{ room: `cluster:${ids.cherwell}`, kind: 'activity.created' }
			])
		);
		const told = await db.selectFrom('notification').select('title').where('user_id', '=', ids.officer).where('kind', '=', 'invitation.accepted').executeTakeFirst();
		expect(told?.title).toBe('Nia New accepted your invitation');
	});

	it('a used invitation link is refused and writes nothing', async () => {
		const email = uniqueEmail('twice');
		await invitePerson(db, officer, { email, name: 'Tom Twice', grant: { kind: 'setting', settingId: ids.school, role: 'headteacher' } });
		const token = await tokenMailedTo(email);
		await acceptInvitation(db, token, PASSWORD);

		const before = await counts();
		const error = await expectDomainError(acceptInvitation(db, token, 'another long password'), 'CONFLICT');
		expect(error.message).toBe('This invitation link has already been used. Sign in instead.');
		expect((error as InvitationUnusable).problem).toBe('used');
		expect(await counts()).toEqual(before);
		expect(await invitationByToken(db, token)).toMatchObject({ ok: false, problem: 'used' });
	});

	it('an expired invitation link is refused and writes nothing', async () => {
		const email = uniqueEmail('late');
		await invitePerson(db, officer, { email, name: 'Lee Late', grant: { kind: 'setting', settingId: ids.school, role: 'senco' } });
		const token = await tokenMailedTo(email);
		await db.updateTable('invitation').set({ expires_at: new Date(Date.now() - 60_000) }).where('email', '=', email).execute();

		const before = await counts();
		const error = await expectDomainError(acceptInvitation(db, token, PASSWORD), 'CONFLICT');
		expect(error.message).toBe('This invitation link has expired. Ask the officer who invited you to send a new one.');
		expect(await counts()).toEqual(before);
		expect(await invitationByToken(db, token)).toMatchObject({ ok: false, problem: 'expired' });
	});

	it('an unknown or malformed link is refused as not found', async () => {
		await expectDomainError(acceptInvitation(db, generateToken(), PASSWORD), 'NOT_FOUND');
		await expectDomainError(acceptInvitation(db, 'not-a-token', PASSWORD), 'NOT_FOUND');
		expect(await invitationByToken(db, generateToken())).toMatchObject({ ok: false, problem: 'unknown' });
	});

	it('a second invitation for the same role replaces the first link', async () => {
		const email = uniqueEmail('again');
		const grant = { kind: 'setting', settingId: ids.otherSchool, role: 'senco' } as const;
		await invitePerson(db, officer, { email, name: 'Ash Again', grant });
		const first = await tokenMailedTo(email);
		await invitePerson(db, officer, { email, name: 'Ash Again', grant });
		const second = await tokenMailedTo(email);
		expect(second).not.toBe(first);
		expect(await invitationByToken(db, first)).toMatchObject({ ok: false, problem: 'revoked' });
		await expectDomainError(acceptInvitation(db, first, PASSWORD), 'CONFLICT');
		expect((await acceptInvitation(db, second, PASSWORD)).kind).toBe('signedIn');
	});

	it('a password that is too short is refused before anything is written', async () => {
		const email = uniqueEmail('short');
		await invitePerson(db, officer, { email, name: 'Sid Short', grant: { kind: 'setting', settingId: ids.school, role: 'senco' } });
		const token = await tokenMailedTo(email);
		const before = await counts();
		const error = await expectDomainError(acceptInvitation(db, token, 'short'), 'BAD_REQUEST');
		expect(error.fieldErrors?.password?.[0]).toMatch(/at least|between/);
		expect(await counts()).toEqual(before);
	});

	it('a person who already has an active account gets the role straight away, with no invitation', async () => {
		const email = uniqueEmail('existing');
		const userId = await insertUser('Eve Existing', email, null);
		const before = await counts();
		const result = await invitePerson(db, officer, {
			email: email.toUpperCase(),
			name: 'Eve E.',
			grant: { kind: 'cluster', clusterId: ids.cherwell, role: 'pcf_rep' }
		});
		expect(result).toEqual({ kind: 'granted', userId, name: 'Eve Existing' });
		const after = await counts();
		expect(after.invitation).toBe(before.invitation);
		expect(after.cluster_role).toBe(before.cluster_role + 1);
		const note = await db.selectFrom('notification').select(['title']).where('user_id', '=', userId).executeTakeFirstOrThrow();
		expect(note.title).toBe('You are now PCF representative for the Cherwell district cluster');
		const mail = await db.selectFrom('mail_outbox').select(['subject', 'body_text']).where('to_address', '=', email).executeTakeFirstOrThrow();
		expect(mail.subject).toBe(note.title);
		expect(mail.body_text).not.toMatch(/\/invite\//);
		const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'role.granted').where('subject_id', '=', userId).executeTakeFirstOrThrow();
		expect(audit.actor_id).toBe(ids.officer);
		const event = await db.selectFrom('live_event').select(['room']).where('kind', '=', 'membership.changed').orderBy('id', 'desc').executeTakeFirstOrThrow();
		expect(event.room).toBe(`cluster:${ids.cherwell}`);

		await expectDomainError(
			invitePerson(db, officer, { email, name: 'Eve', grant: { kind: 'cluster', clusterId: ids.cherwell, role: 'pcf_rep' } }),
			'CONFLICT'
		);
	});

	it('accepting adds the role to an account that already has a password, without changing the password or signing in', async () => {
		const email = uniqueEmail('later');
		await invitePerson(db, officer, { email, name: 'Lou Later', grant: { kind: 'setting', settingId: ids.otherSchool, role: 'headteacher' } });
		const token = await tokenMailedTo(email);
		// The account appears after the invitation went out (e.g. another invitation was accepted first).
		const userId = await insertUser('Lou Later', email, null, 'the original password');
		const result = await acceptInvitation(db, token, PASSWORD);
		expect(result).toEqual({ kind: 'signInRequired', userId });
		const user = await db.selectFrom('app_user').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
		expect(await verifyPassword(user.password_hash ?? '', 'the original password')).toBe(true);
		const roles = await db.selectFrom('setting_membership').select('role').where('user_id', '=', userId).execute();
		expect(roles).toEqual([{ role: 'headteacher' }]);
		expect(await db.selectFrom('user_session').select('id').where('user_id', '=', userId).execute()).toEqual([]);
	});
});

describe('who may invite and grant', () => {
	it('a SENCO cannot invite anyone, and nothing is written', async () => {
		const before = await counts();
		const error = await expectDomainError(
			invitePerson(db, senco, { email: uniqueEmail('friend'), name: 'A Friend', grant: { kind: 'setting', settingId: ids.school, role: 'senco' } }),
			'FORBIDDEN'
		);
		expect(error.message).toMatch(/Only council officers/);
		expect(await counts()).toEqual(before);
	});

	it('an officer cannot make anyone an administrator, but an administrator can', async () => {
		const email = uniqueEmail('boss');
		const before = await counts();
		await expectDomainError(invitePerson(db, officer, { email, name: 'Bo Boss', grant: { kind: 'county', role: 'admin' } }), 'FORBIDDEN');
		await expectDomainError(grantRole(db, officer, { userId: ids.senco, grant: { kind: 'county', role: 'admin' } }), 'FORBIDDEN');
		await expectDomainError(setCountyRole(db, officer, { userId: ids.senco, role: 'officer', reason: 'Joined the SEND team' }), 'FORBIDDEN');
		expect(await counts()).toEqual(before);

		expect((await invitePerson(db, admin, { email, name: 'Bo Boss', grant: { kind: 'county', role: 'admin' } })).kind).toBe('invited');
		const accepted = await acceptInvitation(db, await tokenMailedTo(email), PASSWORD);
		expect((await loadActor(db, accepted.userId))?.countyRole).toBe('admin');

		const userId = await insertUser('Rae Promoted', uniqueEmail('promoted'), null);
		await setCountyRole(db, admin, { userId, role: 'officer', reason: 'Joined the SEND team' });
		expect((await loadActor(db, userId))?.countyRole).toBe('officer');
		const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'countyRole.changed').where('subject_id', '=', userId).executeTakeFirstOrThrow();
		expect(audit).toMatchObject({ actor_id: ids.admin, reason: 'Joined the SEND team' });
	});

	it("an officer cannot change an administrator's roles or account", async () => {
		await expectDomainError(
			grantRole(db, officer, { userId: ids.admin, grant: { kind: 'setting', settingId: ids.school, role: 'senco' } }),
			'FORBIDDEN'
		);
		await expectDomainError(deactivate(db, officer, { userId: ids.admin, reason: 'Testing' }), 'FORBIDDEN');
	});

	it('a PCF representative can only be placed on a district cluster', async () => {
		const before = await counts();
		const error = await expectDomainError(
			invitePerson(db, officer, { email: uniqueEmail('pcf'), name: 'Pat Parent', grant: { kind: 'cluster', clusterId: ids.banbury, role: 'pcf_rep' } }),
			'BAD_REQUEST'
		);
		expect(error.fieldErrors?.clusterId?.[0]).toBe('A PCF representative sits on a district cluster. Banbury is a locality cluster.');
		expect(await counts()).toEqual(before);
		// A cluster lead may lead a locality.
		expect(
			(await invitePerson(db, officer, { email: uniqueEmail('lead'), name: 'Lia Lead', grant: { kind: 'cluster', clusterId: ids.banbury, role: 'cluster_lead' } })).kind
		).toBe('invited');
	});

	it('an officer gives and removes a role, and both are on record with the reason', async () => {
		const userId = await insertUser('Gus Granted', uniqueEmail('granted'), null);
		await grantRole(db, officer, { userId, grant: { kind: 'cluster', clusterId: ids.vale, role: 'panel_member' }, reason: 'Nominated by the district' });
		const detail = await personDetail(db, userId);
		expect(detail.clusterRoles).toEqual([expect.objectContaining({ clusterId: ids.vale, role: 'panel_member' })]);
		await revokeRole(db, officer, { userId, membership: { kind: 'cluster', id: detail.clusterRoles[0].membershipId }, reason: 'Stepped down' });
		const after = await personDetail(db, userId);
		expect(after.clusterRoles).toEqual([]);
		expect(after.history.map((h) => [h.action, h.by, h.reason])).toEqual([
			['role.revoked', 'Olu Officer', 'Stepped down'],
			['role.granted', 'Olu Officer', 'Nominated by the district']
		]);
		// A role belonging to someone else cannot be removed through this person.
		const sencoMembership = await db.selectFrom('setting_membership').select('id').where('user_id', '=', ids.senco).executeTakeFirstOrThrow();
		await expectDomainError(revokeRole(db, officer, { userId, membership: { kind: 'setting', id: sencoMembership.id } }), 'NOT_FOUND');
	});
});

describe('deactivation', () => {
	it('deactivating ends every session at once and records who did it and why', async () => {
		const userId = await insertUser('Dee Departed', uniqueEmail('departed'), null);
		const tokens = [generateToken(), generateToken()];
		for (const token of tokens) await createSession(db, token, userId);
		expect(await validateSessionToken(db, tokens[0])).not.toBeNull();

		const result = await deactivate(db, officer, { userId, reason: 'Left the school in July' });
		expect(result.sessionsEnded).toBe(2);
		for (const token of tokens) expect(await validateSessionToken(db, token)).toBeNull();
		expect(await db.selectFrom('user_session').select('id').where('user_id', '=', userId).execute()).toEqual([]);
		const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'person.deactivated').where('subject_id', '=', userId).executeTakeFirstOrThrow();
		expect(audit).toMatchObject({ actor_id: ids.officer, reason: 'Left the school in July' });
		expect(audit.created_at).toBeInstanceOf(Date);

		// A deactivated account cannot be given roles or invited until it is reactivated.
		const email = (await db.selectFrom('app_user').select('email').where('id', '=', userId).executeTakeFirstOrThrow()).email;
		await expectDomainError(invitePerson(db, officer, { email, name: 'Dee', grant: { kind: 'setting', settingId: ids.school, role: 'senco' } }), 'CONFLICT');
		await reactivate(db, officer, { userId, reason: 'Came back in September' });
		expect((await loadActor(db, userId))?.id).toBe(userId);
	});

	it('nobody can deactivate their own account, and a reason is required', async () => {
		const before = await counts();
		await expectDomainError(deactivate(db, officer, { userId: ids.officer, reason: 'Testing' }), 'FORBIDDEN');
		const error = await expectDomainError(deactivate(db, officer, { userId: ids.senco, reason: '   ' }), 'BAD_REQUEST');
		expect(error.fieldErrors?.reason?.[0]).toMatch(/Enter the reason/);
		expect(await counts()).toEqual(before);
	});
});

describe('queries', () => {
	it('lists people by name or email and by role', async () => {
		const bySearch = await listPeople(db, { search: 'sam.senco' });
		expect(bySearch.people.map((p) => p.name)).toEqual(['Sam Senco']);
		expect(bySearch.people[0].roles).toEqual(['SENCO at Hill View Primary']);
		const admins = await listPeople(db, { role: 'admin' });
		expect(admins.people.map((p) => p.id)).toContain(ids.admin);
		expect(admins.people.every((p) => p.countyRole === 'admin')).toBe(true);
		expect((await listPeople(db, { search: '100%' })).people).toEqual([]);
	});
});

describe('input checks', () => {
	it('malformed invitations are refused field by field', () => {
		const parsed = inviteSchema.safeParse({ email: 'not an email', name: '', grant: { kind: 'setting', role: 'janitor' } });
		expect(parsed.success).toBe(false);
		if (parsed.success) return;
		expect(peopleFieldErrors(parsed.error, { kind: 'setting' })).toEqual({
			email: ['Enter an email address in the correct format, like name@school.org.uk'],
			name: ['Enter their full name'],
			settingId: ['Select a setting'],
			settingRole: ['Select headteacher or SENCO']
		});
	});
});

describe('through the API', () => {
	it('an officer can list people and invite', async () => {
		const caller = callerFor(officer);
		expect((await caller.people.list({ search: 'Sam' })).people.map((p) => p.name)).toEqual(['Sam Senco']);
		const result = await caller.people.invite({
			email: uniqueEmail('api'),
			name: 'Api Person',
			grant: { kind: 'setting', settingId: ids.school, role: 'headteacher' }
		});
		expect(result.kind).toBe('invited');
		expect(result).not.toHaveProperty('token');
	});

	it('a SENCO is refused with FORBIDDEN and nothing is written', async () => {
		const before = await counts();
		const caller = callerFor(senco);
		await expect(caller.people.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(
			caller.people.invite({ email: uniqueEmail('nope'), name: 'Nope', grant: { kind: 'setting', settingId: ids.school, role: 'senco' } })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect(await counts()).toEqual(before);
	});

	it('an officer calling for an admin county role is refused with the policy reason', async () => {
		const error = await callerFor(officer)
			.people.setCountyRole({ userId: ids.senco, role: 'admin', reason: 'Because' })
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TRPCError);
		expect((error as TRPCError).code).toBe('FORBIDDEN');
		expect((error as TRPCError).message).toMatch(/Only an administrator/);
	});

	it('malformed input is refused with BAD_REQUEST', async () => {
		const before = await counts();
		const error = await callerFor(officer)
			.people.invite({ email: 'nobody', name: '', grant: { kind: 'cluster', clusterId: -1, role: 'pcf_rep' } })
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TRPCError);
		expect((error as TRPCError).code).toBe('BAD_REQUEST');
		expect(await counts()).toEqual(before);
	});

	it('a feature refusal keeps its words and field errors through the API', async () => {
		const error = await callerFor(officer)
			.people.invite({ email: uniqueEmail('pcf2'), name: 'Pat', grant: { kind: 'cluster', clusterId: ids.banbury, role: 'pcf_rep' } })
			.catch((caught: unknown) => caught);
		expect((error as TRPCError).code).toBe('BAD_REQUEST');
		expect(((error as TRPCError).cause as DomainError).fieldErrors?.clusterId).toBeDefined();
	});
});

describe('separation of duties: nobody changes their own roles', () => {
	it('an officer cannot give themself a setting or cluster role, by the form or the API, and nothing is written', async () => {
		const before = await counts();
		for (const grant of [
			{ kind: 'setting', settingId: ids.school, role: 'headteacher' },
			{ kind: 'cluster', clusterId: ids.banbury, role: 'cluster_lead' }
		] as const) {
			const error = await expectDomainError(grantRole(db, officer, { userId: ids.officer, grant, reason: 'Covering' }), 'FORBIDDEN');
			expect(error.message).toBe('You cannot give yourself a role or remove one of your own. Ask another officer.');
		}
		await expect(
			callerFor(officer).people.grantRole({ userId: ids.officer, grant: { kind: 'setting', settingId: ids.school, role: 'senco' } })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect(await counts()).toEqual(before);
	});

	it('an officer cannot invite themself (whatever the capitals), so cannot gain a role through the invitation form', async () => {
		const before = await counts();
		const error = await expectDomainError(
			invitePerson(db, officer, { email: 'OLU.Officer@Oxfordshire.example', name: 'Olu', grant: { kind: 'setting', settingId: ids.school, role: 'headteacher' } }),
			'FORBIDDEN'
		);
		expect(error.message).toMatch(/cannot invite yourself/);
		expect(await counts()).toEqual(before);
	});

	it('an officer cannot remove their own role; another officer can', async () => {
		await grantRole(db, admin, { userId: ids.officer, grant: { kind: 'setting', settingId: ids.otherSchool, role: 'senco' }, reason: 'Secondment' });
		const membership = await db.selectFrom('setting_membership').select('id').where('user_id', '=', ids.officer).executeTakeFirstOrThrow();
		const me = await actor(ids.officer);
		const before = await counts();
		const error = await expectDomainError(
			revokeRole(db, me, { userId: ids.officer, membership: { kind: 'setting', id: membership.id }, reason: 'Done' }),
			'FORBIDDEN'
		);
		expect(error.message).toMatch(/cannot give yourself a role or remove one of your own/);
		expect(await counts()).toEqual(before);
		await revokeRole(db, admin, { userId: ids.officer, membership: { kind: 'setting', id: membership.id }, reason: 'Secondment over' });
		expect(await db.selectFrom('setting_membership').select('id').where('user_id', '=', ids.officer).execute()).toEqual([]);
	});

	it('an invitation cannot be accepted by the officer who sent it, nor by someone signed in as another person', async () => {
		// Sent to a second address of the officer's, then opened while signed in as the officer: refused.
		const second = uniqueEmail('olu.personal');
		await invitePerson(db, officer, { email: second, name: 'Olu at home', grant: { kind: 'setting', settingId: ids.school, role: 'headteacher' } });
		const token = await tokenMailedTo(second);
		let before = await counts();
		let error = await expectDomainError(acceptInvitation(db, token, PASSWORD, officer), 'FORBIDDEN');
		expect(error.message).toBe('You sent this invitation, so you cannot accept it. The person it was sent to must accept it.');
		expect(await counts()).toEqual(before);
		// Opened while signed in as someone else (the SENCO): refused, with what to do.
		before = await counts();
		error = await expectDomainError(acceptInvitation(db, token, PASSWORD, senco), 'FORBIDDEN');
		expect(error.message).toBe(`This invitation is for ${second}. Sign out, then open the link again to accept it as that person.`);
		expect(await counts()).toEqual(before);
		// The person it is for accepts it.
		expect((await acceptInvitation(db, token, PASSWORD)).kind).toBe('signedIn');

		// An older invitation addressed to the officer's own email (sent by them before this rule) gives them nothing, even signed out.
		const raw = generateToken();
		await db
			.insertInto('invitation')
			.values({
				token_hash: hashToken(raw),
				email: 'olu.officer@oxfordshire.example',
				name: 'Olu Officer',
				grant_kind: 'setting',
				role: 'headteacher',
				setting_id: ids.school,
				invited_by: ids.officer,
				expires_at: new Date(Date.now() + 86_400_000)
			})
			.execute();
		before = await counts();
		error = await expectDomainError(acceptInvitation(db, raw, PASSWORD), 'FORBIDDEN');
		expect(error.message).toMatch(/You sent this invitation/);
		expect(await counts()).toEqual(before);
	});
});
