import { describe, expect, it } from 'vitest';
import { generateToken, validateSessionToken } from '../../src/lib/server/auth/session';
import { verifyPassword } from '../../src/lib/server/auth/password';
import { acceptInvitation, invitationByToken, invitePerson, InvitationUnusable } from '../../src/lib/server/people';
import { counts, db, expectDomainError, ids, insertUser, officer, PASSWORD, tokenMailedTo, uniqueEmail, usePeopleCounty } from './people-fixture';

// Inviting people and accepting invitations.
usePeopleCounty();

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
