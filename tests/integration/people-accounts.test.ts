import { describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { loadActor } from '../../src/lib/server/auth/actor';
import { createSession, generateToken, validateSessionToken } from '../../src/lib/server/auth/session';
import { DomainError } from '../../src/lib/server/errors';
import { deactivate, invitePerson, listPeople, reactivate } from '../../src/lib/server/people';
import { inviteSchema } from '../../src/lib/schemas/people';
import { callerFor, counts, db, expectDomainError, ids, insertUser, officer, peopleFieldErrors, senco, uniqueEmail, usePeopleCounty } from './people-fixture';

// Deactivation, the people queries, input checks and the people API.
usePeopleCounty();

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
