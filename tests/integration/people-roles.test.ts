import { describe, expect, it } from 'vitest';
import { loadActor } from '../../src/lib/server/auth/actor';
import { generateToken, hashToken } from '../../src/lib/server/auth/session';
import { acceptInvitation, deactivate, grantRole, invitePerson, personDetail, revokeRole, setCountyRole } from '../../src/lib/server/people';
import { actor, admin, callerFor, counts, db, expectDomainError, ids, insertUser, officer, PASSWORD, senco, tokenMailedTo, uniqueEmail, usePeopleCounty } from './people-fixture';

// Who may invite and grant roles, and nobody changes their own.
usePeopleCounty();

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
