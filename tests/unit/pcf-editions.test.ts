import { describe, expect, it } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import type { EditionRef } from '../../src/lib/server/pcf/policy';
import { CONFIRM_LIFETIME_MS, OTHER_THEME, confirmationProblem, editionWaitsFor, pointsByTheme, subscriptionCovers } from '../../src/lib/server/pcf/edition-rules';
import { subscribeSchema } from '../../src/lib/schemas/pcf';
import { expectOnly, person } from './policy-table';

// "You said, we did" editions and subscriptions, pure: a confirmation link's life (single use,
// expiring), what publication waits for, who hears of which edition, points by theme, and who
// may view, edit and approve an edition (every person, allowed and refused).

const NOW = new Date('2026-12-02T10:00:00Z');

describe('a confirmation link', () => {
	it('works once, before it expires', () => {
		const expiresAt = new Date(NOW.getTime() + CONFIRM_LIFETIME_MS);
		expect(confirmationProblem({ confirmedAt: null, expiresAt }, NOW)).toBeNull();
		expect(confirmationProblem({ confirmedAt: new Date(NOW.getTime() - 1000), expiresAt }, NOW)).toBe('used');
	});

	it('has expired at its expiry time and after, and never lasts longer than two days', () => {
		expect(CONFIRM_LIFETIME_MS).toBe(48 * 60 * 60 * 1000);
		expect(confirmationProblem({ confirmedAt: null, expiresAt: NOW }, NOW)).toBe('expired');
		expect(confirmationProblem({ confirmedAt: null, expiresAt: new Date(NOW.getTime() - 1) }, NOW)).toBe('expired');
		expect(confirmationProblem({ confirmedAt: null, expiresAt: new Date(NOW.getTime() + 1) }, NOW)).toBeNull();
		expect(confirmationProblem({ confirmedAt: null, expiresAt: null }, NOW)).toBe('expired');
	});

	it('that names nothing is unknown (used is said before expired)', () => {
		expect(confirmationProblem(undefined, NOW)).toBe('unknown');
		expect(confirmationProblem({ confirmedAt: NOW, expiresAt: new Date(0) }, NOW)).toBe('used');
	});
});

describe('publishing an edition', () => {
	it('waits for both approvals; either alone is not enough', () => {
		expect(editionWaitsFor({ officerApproved: false, leadApproved: false })).toEqual(['officer', 'lead']);
		expect(editionWaitsFor({ officerApproved: true, leadApproved: false })).toEqual(['lead']);
		expect(editionWaitsFor({ officerApproved: false, leadApproved: true })).toEqual(['officer']);
		expect(editionWaitsFor({ officerApproved: true, leadApproved: true })).toEqual([]);
	});

	it('tells a district’s subscribers of its editions and the county’s, and county-wide subscribers of every one', () => {
		expect(subscriptionCovers(1, 1)).toBe(true);
		expect(subscriptionCovers(1, 2)).toBe(false);
		expect(subscriptionCovers(1, null)).toBe(true);
		expect(subscriptionCovers(null, 2)).toBe(true);
	});

	it('lists points under each of their themes by name, untagged ones last', () => {
		const points = [
			{ id: 1, themes: [{ id: 10, name: 'Transport' }] },
			{ id: 2, themes: [] },
			{ id: 3, themes: [{ id: 11, name: 'Communication' }, { id: 10, name: 'Transport' }] }
		];
		expect(pointsByTheme(points).map((g) => [g.theme, g.points.map((p) => p.id)])).toEqual([
			['Communication', [3]],
			['Transport', [1, 3]],
			[OTHER_THEME, [2]]
		]);
		expect(pointsByTheme([])).toEqual([]);
	});
});

describe('the subscribe form', () => {
	it('keeps an address in lower case and refuses one that is not an address', () => {
		expect(subscribeSchema.parse({ email: '  Parent@Example.COM ', districtId: null })).toEqual({ email: 'parent@example.com', districtId: null });
		expect(subscribeSchema.safeParse({ email: 'not an address', districtId: null }).success).toBe(false);
		expect(subscribeSchema.safeParse({ email: 'a@example.com', districtId: 'x' }).success).toBe(false);
		expect(subscribeSchema.parse({ email: 'a@example.com', districtId: '3' }).districtId).toBe(3);
	});
});

const rep = (id: number, districtId: number, name: string) =>
	person(id, { clusterRoles: [{ clusterId: districtId, clusterName: name, clusterKind: 'district', role: 'pcf_rep' }], clusterIds: [districtId] });

const PEOPLE = {
	officer: person(1, { countyRole: 'officer' }),
	admin: person(2, { countyRole: 'admin' }),
	senco: person(3, { settingRoles: [{ settingId: 100, settingName: 'Setting', clusterId: 10, districtId: 1, role: 'senco' }], clusterIds: [1, 10] }),
	rep: rep(4, 1, 'Cherwell'),
	lead: rep(5, 1, 'Cherwell'),
	otherDistrictRep: rep(6, 2, 'Oxford'),
	otherDistrictLead: rep(7, 2, 'Oxford'),
	clusterLead: person(8, { clusterRoles: [{ clusterId: 1, clusterName: 'Cherwell', clusterKind: 'district', role: 'cluster_lead' }], clusterIds: [1] })
};
type Who = keyof typeof PEOPLE;

const rule = (check: PolicyCheck, allowed: Who[], says: RegExp) => expectOnly(PEOPLE, check, allowed, says);

const CHERWELL: EditionRef = { districtId: 1, districtName: 'Cherwell', leadUserIds: [5], published: false, officerApprovedBy: null, leadApprovedBy: null };
const COUNTY: EditionRef = { districtId: null, districtName: 'Oxfordshire', leadUserIds: [5, 7], published: false, officerApprovedBy: null, leadApprovedBy: null };

describe('editions policy', () => {
	it('lists editions for representatives and officers only', () => {
		rule({ action: 'pcf.editions.view' }, ['officer', 'admin', 'rep', 'lead', 'otherDistrictRep', 'otherDistrictLead'], /PCF representatives and council officers/);
		expect(can(null, { action: 'pcf.editions.view' }).allowed).toBe(false);
	});

	it('shows a district’s draft to its group and officers, never another district’s representative', () => {
		rule({ action: 'pcf.edition.view', edition: CHERWELL }, ['officer', 'admin', 'rep', 'lead'], /Cherwell PCF advisory group and council officers/);
		rule({ action: 'pcf.edition.view', edition: COUNTY }, ['officer', 'admin', 'rep', 'lead', 'otherDistrictRep', 'otherDistrictLead'], /Oxfordshire PCF/);
	});

	it('is co-edited by the district’s representatives and officers, never another district’s, and not once published', () => {
		rule({ action: 'pcf.edition.edit', edition: CHERWELL }, ['officer', 'admin', 'rep', 'lead'], /Only the Cherwell PCF advisory group and council officers/);
		rule({ action: 'pcf.edition.edit', edition: COUNTY }, ['officer', 'admin', 'rep', 'lead', 'otherDistrictRep', 'otherDistrictLead'], /Oxfordshire/);
		rule({ action: 'pcf.edition.edit', edition: { ...CHERWELL, published: true } }, [], /no longer changed|Only the Cherwell/);
	});

	it('takes an officer’s approval from an officer, and the PCF approval from the district’s lead only', () => {
		rule({ action: 'pcf.edition.approve', edition: CHERWELL, as: 'officer' }, ['officer', 'admin'], /given by a council officer/);
		rule({ action: 'pcf.edition.approve', edition: CHERWELL, as: 'lead' }, ['lead'], /lead of the Cherwell PCF advisory group/);
		rule({ action: 'pcf.edition.approve', edition: COUNTY, as: 'lead' }, ['lead', 'otherDistrictLead'], /lead of the Oxfordshire/);
	});

	it('never lets one person give both approvals, nor approve a published edition', () => {
		const leadOfficer = person(5, { countyRole: 'officer', clusterRoles: PEOPLE.lead.clusterRoles, clusterIds: [1] });
		expect(can(leadOfficer, { action: 'pcf.edition.approve', edition: { ...CHERWELL, leadApprovedBy: 5 }, as: 'officer' })).toEqual({ allowed: false, reason: expect.stringMatching(/other approval/) });
		expect(can(leadOfficer, { action: 'pcf.edition.approve', edition: { ...CHERWELL, officerApprovedBy: 5 }, as: 'lead' })).toEqual({ allowed: false, reason: expect.stringMatching(/other approval/) });
		rule({ action: 'pcf.edition.approve', edition: { ...CHERWELL, published: true }, as: 'officer' }, [], /already been published/);
	});
});
