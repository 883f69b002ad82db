import { describe, expect, it } from 'vitest';
import { can, isCountyStaff, type ClusterRef, type PolicyCheck } from '../../src/lib/server/policy';
import type { Actor } from '../../src/lib/server/auth/actor';

// A small county: Cherwell district (1) with the Banbury locality (10) under it, and the
// Abingdon locality (20) in the Vale of White Horse district (2), where nobody below works.
const CHERWELL: ClusterRef = { id: 1, name: 'Cherwell', kind: 'district' };
const BANBURY: ClusterRef = { id: 10, name: 'Banbury', kind: 'locality' };
const ABINGDON: ClusterRef = { id: 20, name: 'Abingdon', kind: 'locality' };

function person(id: number, name: string, roles: Partial<Actor> = {}): Actor {
	return {
		id,
		name,
		email: `${name.toLowerCase().replaceAll(' ', '.')}@example.test`,
		countyRole: null,
		settingRoles: [],
		clusterRoles: [],
		clusterIds: [],
		...roles
	};
}

const settingRole = (role: 'headteacher' | 'senco') => ({
	settingRoles: [{ settingId: 100, settingName: 'Banbury Academy', clusterId: BANBURY.id, districtId: CHERWELL.id, role }],
	clusterIds: [CHERWELL.id, BANBURY.id]
});
const districtRole = (role: 'pcf_rep' | 'sendiass_officer' | 'panel_member' | 'cluster_lead') => ({
	clusterRoles: [{ clusterId: CHERWELL.id, clusterName: CHERWELL.name, clusterKind: 'district' as const, role }],
	clusterIds: [CHERWELL.id, BANBURY.id]
});

/** One person per role the portal knows, each built by hand as loadActor would return them. */
const PEOPLE = {
	officer: person(1, 'Olu Officer', { countyRole: 'officer' }),
	admin: person(2, 'Ada Admin', { countyRole: 'admin' }),
	headteacher: person(3, 'Hana Head', settingRole('headteacher')),
	senco: person(4, 'Sam Senco', settingRole('senco')),
	pcfRep: person(5, 'Priya Parent', districtRole('pcf_rep')),
	sendiassOfficer: person(6, 'Sid Sendiass', districtRole('sendiass_officer')),
	clusterLead: person(7, 'Cleo Lead', {
		clusterRoles: [{ clusterId: BANBURY.id, clusterName: BANBURY.name, clusterKind: 'locality', role: 'cluster_lead' }],
		clusterIds: [CHERWELL.id, BANBURY.id]
	}),
	panelMember: person(8, 'Pat Panel', districtRole('panel_member'))
} satisfies Record<string, Actor>;
type Who = keyof typeof PEOPLE;
const EVERYONE = Object.keys(PEOPLE) as Who[];
const COUNTY_STAFF: Who[] = ['officer', 'admin'];
const NOT_COUNTY_STAFF = EVERYONE.filter((who) => !COUNTY_STAFF.includes(who));

/** A refusal must say why in a full sentence a headteacher can act on, not a code or a blank. */
function expectMeaningfulRefusal(decision: ReturnType<typeof can>, says: RegExp) {
	expect(decision.allowed).toBe(false);
	if (decision.allowed) return;
	expect(decision.reason.trim().length).toBeGreaterThan(20);
	expect(decision.reason).toMatch(/^[A-Z].*\.$/s);
	expect(decision.reason).not.toMatch(/undefined|null|\[object|NaN/);
	expect(decision.reason).toMatch(says);
}

interface Row {
	who: Who;
	check: PolicyCheck;
	allowed: boolean;
	/** What the refusal must talk about. */
	says?: RegExp;
}

function rowName(row: Row) {
	return `${row.allowed ? 'allows' : 'refuses'} ${row.who}: ${row.check.action} ${JSON.stringify(row.check).slice(0, 80)}`;
}

function runRows(rows: Row[]) {
	it.each(rows.map((row) => [rowName(row), row] as const))('%s', (_name, row) => {
		const decision = can(PEOPLE[row.who], row.check);
		if (row.allowed) {
			expect(decision).toEqual({ allowed: true });
		} else {
			expectMeaningfulRefusal(decision, row.says!);
		}
	});
}

describe('isCountyStaff', () => {
	it('is true for officers and administrators only', () => {
		for (const who of EVERYONE) expect(isCountyStaff(PEOPLE[who]), who).toBe(COUNTY_STAFF.includes(who));
		expect(isCountyStaff(null)).toBe(false);
	});
});

describe('nobody signed in', () => {
	const checks: PolicyCheck[] = [
		{ action: 'workspace.view', cluster: BANBURY },
		{ action: 'county.view' },
		{ action: 'clusters.manage' },
		{ action: 'districts.search' },
		{ action: 'people.view' },
		{ action: 'people.manage' },
		{ action: 'people.grantCountyRole', role: 'officer' },
		{ action: 'people.changeAccount', person: { id: 3, countyRole: null }, change: 'roles' },
		{ action: 'mail.viewOutbox' },
		{ action: 'notification.update', notification: { user_id: 1 } },
		{ action: 'live.joinUserRoom', userId: 1 },
		{ action: 'account.changePassword', userId: 1 },
		{ action: 'account.signOut', userId: 1 }
	];
	it.each(checks.map((check) => [check.action, check] as const))('cannot %s and is told to sign in', (_action, check) => {
		expectMeaningfulRefusal(can(null, check), /sign in/);
	});
});

describe('districts.search', () => {
	// District names are public: anyone signed in may search them to filter a report.
	runRows(EVERYONE.map((who) => ({ who, check: { action: 'districts.search' }, allowed: true }) as Row));
});

describe('workspace.view', () => {
	runRows([
		// Everyone can open the locality they work in, and its district.
		...EVERYONE.map((who) => ({ who, check: { action: 'workspace.view', cluster: BANBURY }, allowed: true }) as Row),
		...EVERYONE.map((who) => ({ who, check: { action: 'workspace.view', cluster: CHERWELL }, allowed: true }) as Row),
		// Only county staff can open a workspace they do not belong to; the refusal names it.
		...COUNTY_STAFF.map((who) => ({ who, check: { action: 'workspace.view', cluster: ABINGDON }, allowed: true }) as Row),
		...NOT_COUNTY_STAFF.map(
			(who) =>
				({
					who,
					check: { action: 'workspace.view', cluster: ABINGDON },
					allowed: false,
					says: /not a member of the Abingdon locality cluster.*council officers/s
				}) as Row
		)
	]);

	it('counts a person a member only through the cluster ids loaded for them', () => {
		// A headteacher whose roles were removed (empty clusterIds) loses the workspace at once.
		const former = { ...PEOPLE.headteacher, settingRoles: [], clusterIds: [] };
		expectMeaningfulRefusal(can(former, { action: 'workspace.view', cluster: BANBURY }), /Banbury/);
	});
});

describe('county-wide actions that only council officers may take', () => {
	const officerOnly: { check: PolicyCheck; says: RegExp }[] = [
		{ check: { action: 'county.view' }, says: /Only council officers can see the whole county/ },
		{ check: { action: 'clusters.manage' }, says: /Only council officers can create, rename, merge or retire clusters/ },
		{ check: { action: 'people.view' }, says: /Only council officers can invite people/ },
		{ check: { action: 'people.manage' }, says: /Only council officers can invite people, change their roles or deactivate/ },
		{ check: { action: 'mail.viewOutbox' }, says: /Only council officers can read the outgoing mail/ }
	];
	for (const { check, says } of officerOnly) {
		describe(check.action, () => {
			runRows([
				...COUNTY_STAFF.map((who) => ({ who, check, allowed: true })),
				...NOT_COUNTY_STAFF.map((who) => ({ who, check, allowed: false, says }))
			]);
		});
	}
});

describe('people.grantCountyRole', () => {
	const says = /Only an administrator can make someone a council officer or administrator/;
	for (const role of ['officer', 'admin'] as const) {
		const check: PolicyCheck = { action: 'people.grantCountyRole', role };
		describe(`granting ${role}`, () => {
			runRows([
				{ who: 'admin', check, allowed: true },
				// An officer cannot raise anyone (themselves included) to county staff.
				...EVERYONE.filter((who) => who !== 'admin').map((who) => ({ who, check, allowed: false, says }))
			]);
		});
	}
});

describe('people.changeAccount', () => {
	const headteacherAccount = { id: PEOPLE.headteacher.id, countyRole: null };
	const adminAccount = { id: 99, countyRole: 'admin' as const };
	const officerAccount = { id: 98, countyRole: 'officer' as const };
	const change = (person: { id: number; countyRole: 'officer' | 'admin' | null }, kind: 'roles' | 'countyRole' | 'status') =>
		({ action: 'people.changeAccount', person, change: kind }) as PolicyCheck;
	runRows([
		// Officers and administrators can change an ordinary account in every way.
		...COUNTY_STAFF.flatMap((who) =>
			(['roles', 'countyRole', 'status'] as const).map((kind) => ({ who, check: change(headteacherAccount, kind), allowed: true }))
		),
		{ who: 'officer', check: change(officerAccount, 'status'), allowed: true },
		{ who: 'admin', check: change(adminAccount, 'status'), allowed: true },
		// Nobody outside county staff can change anyone, including themselves.
		...NOT_COUNTY_STAFF.flatMap((who) => [
			{ who, check: change(headteacherAccount, 'roles'), allowed: false, says: /Only council officers can invite people/ },
			{
				who,
				check: change({ id: PEOPLE[who].id, countyRole: null }, 'roles'),
				allowed: false,
				says: /Only council officers/
			}
		]),
		// An officer cannot touch an administrator's account.
		...(['roles', 'countyRole', 'status'] as const).map((kind) => ({
			who: 'officer' as Who,
			check: change(adminAccount, kind),
			allowed: false,
			says: /Only an administrator can change an administrator’s account/
		})),
		// Nobody can lock themselves out or change their own county role.
		...COUNTY_STAFF.map((who) => ({
			who,
			check: change({ id: PEOPLE[who].id, countyRole: PEOPLE[who].countyRole }, 'status'),
			allowed: false,
			says: /cannot deactivate or reactivate your own account/
		})),
		...COUNTY_STAFF.map((who) => ({
			who,
			check: change({ id: PEOPLE[who].id, countyRole: PEOPLE[who].countyRole }, 'countyRole'),
			allowed: false,
			says: /cannot change your own county role/
		})),
		// Separation of duties: nobody gives themself a setting or cluster role, or removes one (another officer must).
		...COUNTY_STAFF.map((who) => ({
			who,
			check: change({ id: PEOPLE[who].id, countyRole: PEOPLE[who].countyRole }, 'roles'),
			allowed: false,
			says: /cannot give yourself a role or remove one of your own/
		}))
	]);
});

describe('people.invite: officers invite others, never themselves', () => {
	const invite = (email: string) => ({ action: 'people.invite', email }) as PolicyCheck;
	runRows([
		...COUNTY_STAFF.map((who) => ({ who, check: invite('new.person@example.test'), allowed: true })),
		// Whatever the capitals or spaces, their own address is refused.
		...COUNTY_STAFF.map((who) => ({ who, check: invite(` ${PEOPLE[who].email.toUpperCase()} `), allowed: false, says: /cannot invite yourself/ })),
		...NOT_COUNTY_STAFF.map((who) => ({ who, check: invite('new.person@example.test'), allowed: false, says: /Only council officers/ }))
	]);
});

describe('invitation.accept while signed in', () => {
	const accept = (email: string, invitedBy: number) => ({ action: 'invitation.accept', invitation: { email, invitedBy } }) as PolicyCheck;
	runRows([
		// Someone signed in accepts an invitation sent to their own address by someone else.
		...EVERYONE.map((who) => ({ who, check: accept(PEOPLE[who].email, 999), allowed: true })),
		// Not one sent to another address: that would give the role to whoever is signed in on this browser.
		...EVERYONE.map((who) => ({ who, check: accept('someone.else@example.test', 999), allowed: false, says: /This invitation is for someone\.else/ })),
		// Never one they sent themselves, to any address.
		...EVERYONE.map((who) => ({ who, check: accept(PEOPLE[who].email, PEOPLE[who].id), allowed: false, says: /You sent this invitation/ })),
		...EVERYONE.map((who) => ({ who, check: accept('second.address@example.test', PEOPLE[who].id), allowed: false, says: /You sent this invitation/ }))
	]);
});

describe('notification.update', () => {
	runRows([
		...EVERYONE.map((who) => ({
			who,
			check: { action: 'notification.update', notification: { user_id: PEOPLE[who].id } } as PolicyCheck,
			allowed: true
		})),
		// Not even an administrator can mark someone else's notification as read.
		...EVERYONE.map((who) => ({
			who,
			check: { action: 'notification.update', notification: { user_id: PEOPLE[who].id + 1000 } } as PolicyCheck,
			allowed: false,
			says: /notification belongs to someone else/
		}))
	]);
});

describe('account.changePassword and account.signOut', () => {
	runRows(
		(['account.changePassword', 'account.signOut'] as const).flatMap((action) => [
			...EVERYONE.map((who) => ({ who, check: { action, userId: PEOPLE[who].id } as PolicyCheck, allowed: true })),
			// Not even an administrator sets someone else's password; they send a reset link instead.
			...EVERYONE.map((who) => ({
				who,
				check: { action, userId: PEOPLE[who].id + 1000 } as PolicyCheck,
				allowed: false,
				says: /only change your own password/
			}))
		])
	);
});

describe('live.joinUserRoom', () => {
	runRows([
		...EVERYONE.map((who) => ({ who, check: { action: 'live.joinUserRoom', userId: PEOPLE[who].id } as PolicyCheck, allowed: true })),
		...EVERYONE.map((who) => ({
			who,
			check: { action: 'live.joinUserRoom', userId: PEOPLE[who].id + 1000 } as PolicyCheck,
			allowed: false,
			says: /only receive your own notifications/
		}))
	]);
});
