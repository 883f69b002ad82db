import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/actor';
import { can } from '../../src/lib/server/policy';
import {
	clusterRoleProblem,
	describeGrant,
	grantChecks,
	INVITATION_LIFETIME_MS,
	invitationExpiry,
	invitationProblem,
	InvitationUnusable
} from '../../src/lib/server/people/rules';
import { grantFromForm, grantRoleSchema, grantSchema, inviteSchema, peopleFieldIds, setCountyRoleSchema, accountStatusSchema } from '../../src/lib/schemas/people';
import { REASON_MAX_LENGTH } from '../../src/lib/schemas/limits';
import type { z } from 'zod';
import { fieldErrorsOf } from '../../src/lib/server/input';

/** The errors as the people forms show them: keyed by the id of the input each is about. */
function peopleFieldErrors(error: z.ZodError, options: { kind?: string } = {}): Record<string, string[]> {
	const idFor = peopleFieldIds(options.kind);
	const errors: Record<string, string[]> = {};
	for (const [key, messages] of Object.entries(fieldErrorsOf(error))) (errors[idFor(key) ?? key] ??= []).push(...messages);
	return errors;
}


function person(id: number, countyRole: Actor['countyRole']): Actor {
	return { id, name: `Person ${id}`, email: `p${id}@example.org`, countyRole, settingRoles: [], clusterRoles: [], clusterIds: [] };
}
const admin = person(1, 'admin');
const officer = person(2, 'officer');
const senco: Actor = {
	...person(3, null),
	settingRoles: [{ settingId: 10, settingName: 'Hill View Primary', clusterId: 5, districtId: 4, role: 'senco' }],
	clusterIds: [4, 5]
};

describe('which cluster a role may sit on', () => {
	const district = { name: 'Cherwell', kind: 'district', status: 'active' } as const;
	const locality = { name: 'Banbury', kind: 'locality', status: 'active' } as const;

	it('a PCF representative, SENDIASS officer or panel member sits on a district, not a locality', () => {
		for (const role of ['pcf_rep', 'sendiass_officer', 'panel_member'] as const) {
			expect(clusterRoleProblem(role, district)).toBeNull();
			expect(clusterRoleProblem(role, locality)).toMatch(/sits on a district cluster\. Banbury is a locality cluster\./);
		}
	});

	it('a cluster lead may lead a district or a locality', () => {
		expect(clusterRoleProblem('cluster_lead', district)).toBeNull();
		expect(clusterRoleProblem('cluster_lead', locality)).toBeNull();
	});

	it('no role can be placed on a retired cluster', () => {
		expect(clusterRoleProblem('cluster_lead', { ...locality, status: 'retired' })).toMatch(/retired/);
	});
});

describe('who may grant what', () => {
	it('setting and cluster roles need people.manage; county roles also need an administrator', () => {
		expect(grantChecks({ kind: 'setting', settingId: 1, role: 'senco' })).toEqual([{ action: 'people.manage' }]);
		expect(grantChecks({ kind: 'county', role: 'officer' })).toEqual([
			{ action: 'people.manage' },
			{ action: 'people.grantCountyRole', role: 'officer' }
		]);
	});

	it('an officer may manage people; a SENCO may not', () => {
		expect(can(officer, { action: 'people.manage' }).allowed).toBe(true);
		expect(can(senco, { action: 'people.manage' })).toMatchObject({ allowed: false, reason: expect.stringMatching(/council officers/) });
	});

	it('an administrator may grant county roles; an officer may not', () => {
		expect(can(admin, { action: 'people.grantCountyRole', role: 'admin' }).allowed).toBe(true);
		expect(can(officer, { action: 'people.grantCountyRole', role: 'officer' }).allowed).toBe(false);
	});

	it("an officer cannot change an administrator's account; an administrator can", () => {
		const target = { id: 9, countyRole: 'admin' as const };
		expect(can(officer, { action: 'people.changeAccount', person: target, change: 'roles' })).toMatchObject({
			allowed: false,
			reason: "Only an administrator can change an administrator’s account."
		});
		expect(can(admin, { action: 'people.changeAccount', person: target, change: 'status' }).allowed).toBe(true);
	});

	it('an officer can change the roles of someone with no county role', () => {
		expect(can(officer, { action: 'people.changeAccount', person: { id: 9, countyRole: null }, change: 'status' }).allowed).toBe(true);
	});

	it('nobody can deactivate themselves, change their own county role or their own setting roles', () => {
		const self = { id: officer.id, countyRole: officer.countyRole };
		expect(can(officer, { action: 'people.changeAccount', person: self, change: 'status' }).allowed).toBe(false);
		expect(can(admin, { action: 'people.changeAccount', person: { id: admin.id, countyRole: 'admin' }, change: 'countyRole' }).allowed).toBe(false);
		expect(can(officer, { action: 'people.changeAccount', person: self, change: 'roles' }).allowed).toBe(false);
		expect(can(admin, { action: 'people.changeAccount', person: { id: officer.id, countyRole: 'officer' }, change: 'roles' }).allowed).toBe(true);
	});

	it('a SENCO cannot change anyone, and nobody signed out can', () => {
		expect(can(senco, { action: 'people.changeAccount', person: { id: 9, countyRole: null }, change: 'roles' }).allowed).toBe(false);
		expect(can(null, { action: 'people.changeAccount', person: { id: 9, countyRole: null }, change: 'roles' }).allowed).toBe(false);
	});
});

describe('invitation links', () => {
	const now = new Date('2026-11-23T12:00:00Z');
	const fresh = { used_at: null, revoked_at: null, expires_at: invitationExpiry(now) };

	it('last seven days', () => {
		expect(invitationExpiry(now).getTime() - now.getTime()).toBe(INVITATION_LIFETIME_MS);
		expect(INVITATION_LIFETIME_MS).toBe(7 * 24 * 60 * 60 * 1000);
	});

	it('a fresh link is usable; a used, withdrawn or expired one says which', () => {
		expect(invitationProblem(fresh, now)).toBeNull();
		expect(invitationProblem({ ...fresh, used_at: now }, now)).toBe('used');
		expect(invitationProblem({ ...fresh, revoked_at: now }, now)).toBe('revoked');
		expect(invitationProblem(fresh, new Date(fresh.expires_at.getTime()))).toBe('expired');
	});

	it('being used is reported before being expired, since "sign in instead" is the better advice', () => {
		expect(invitationProblem({ ...fresh, used_at: now, expires_at: new Date(0) }, now)).toBe('used');
	});

	it('refusals carry the words the invitee sees, and an unknown link is not found', () => {
		expect(new InvitationUnusable('used').message).toBe('This invitation link has already been used. Sign in instead.');
		expect(new InvitationUnusable('expired').message).toBe(
			'This invitation link has expired. Ask the officer who invited you to send a new one.'
		);
		expect(new InvitationUnusable('unknown').code).toBe('NOT_FOUND');
		expect(new InvitationUnusable('expired').code).toBe('CONFLICT');
	});
});

describe('describing a role', () => {
	it('names the role and where it applies', () => {
		expect(describeGrant({ kind: 'setting', role: 'senco' }, { settingName: 'Hill View Primary' })).toBe('SENCO at Hill View Primary');
		expect(describeGrant({ kind: 'setting', role: 'headteacher' }, { settingName: 'Hill View Primary' })).toBe('headteacher at Hill View Primary');
		expect(describeGrant({ kind: 'cluster', role: 'pcf_rep' }, { clusterName: 'Cherwell', clusterKind: 'district' })).toBe(
			'PCF representative for the Cherwell district cluster'
		);
		expect(describeGrant({ kind: 'county', role: 'officer' }, {})).toBe('council officer');
	});
});

describe('people schemas', () => {
	it('accepts a valid invitation and tidies the email', () => {
		const parsed = inviteSchema.parse({ email: '  Sam.Senco@School.Example ', name: ' Sam ', grant: { kind: 'cluster', clusterId: 3, role: 'cluster_lead' } });
		expect(parsed).toEqual({ email: 'sam.senco@school.example', name: 'Sam', grant: { kind: 'cluster', clusterId: 3, role: 'cluster_lead' } });
	});

	it('refuses a missing kind of role, pointing at the radios', () => {
		const parsed = inviteSchema.safeParse({ email: 'a@b.org', name: 'A', grant: { kind: '' } });
		expect(parsed.success).toBe(false);
		if (!parsed.success) expect(peopleFieldErrors(parsed.error)).toEqual({ kind: ['Select the kind of role'] });
	});

	it('refuses a county role that does not exist', () => {
		const parsed = grantRoleSchema.safeParse({ userId: 4, grant: { kind: 'county', role: 'king' } });
		expect(parsed.success).toBe(false);
		if (!parsed.success) expect(peopleFieldErrors(parsed.error, { kind: 'county' })).toEqual({ countyRole: ['Select council officer or administrator'] });
	});

	it('turns the flat form into a grant, with blank and junk ids refused by the schema', () => {
		const form = new FormData();
		form.set('kind', 'setting');
		form.set('settingId', '12');
		form.set('settingRole', 'senco');
		expect(grantSchema.parse(grantFromForm(form))).toEqual({ kind: 'setting', settingId: 12, role: 'senco' });
		form.set('settingId', 'abc');
		const junk = grantSchema.safeParse(grantFromForm(form));
		expect(junk.success).toBe(false);
		form.set('settingId', '');
		const blank = inviteSchema.safeParse({ email: 'a@b.org', name: 'A', grant: grantFromForm(form) });
		if (!blank.success) expect(peopleFieldErrors(blank.error, { kind: 'setting' })).toEqual({ settingId: ['Select a setting'] });
	});

	it('a reason is required to deactivate, and has a limit', () => {
		expect(accountStatusSchema.safeParse({ userId: 1, reason: ' ' }).success).toBe(false);
		expect(accountStatusSchema.safeParse({ userId: 1, reason: 'x'.repeat(REASON_MAX_LENGTH + 1) }).success).toBe(false);
		expect(setCountyRoleSchema.parse({ userId: 1, role: null, reason: 'Left the team' })).toEqual({ userId: 1, role: null, reason: 'Left the team' });
	});
});
