import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/auth/actor';
import { districtCases, openCase, recordAgreement, recordReferral } from '../../src/lib/server/disputes';
import { cast, disputePeople, twoDistricts } from './disputes-fixture';
import { expectRefused as refused } from './refusals';

// Referrals, triage and the case page against a real PostgreSQL: who may record and open a case
// (both ways), the deadlines stored at intake, nothing written on a refusal, and the access log
// that keeps every look, refusals included.

let test: TestDatabase;
let db: Database;
const ids = { cherwell: 0, oxford: 0, school: 0, otherSchool: 0 };
const people = {} as Record<'sendiass' | 'oxfordSendiass' | 'member' | 'head' | 'senco' | 'otherHead' | 'pcfRep' | 'councilOfficer', Actor>;

const written = async () =>
	Number((await sql<{ n: string }>`select (select count(*) from dispute_case) + (select count(*) from dispute_deadline) + (select count(*) from audit_log) as n`.execute(db)).rows[0].n);

// A Wednesday in term, before the October half term and the clock change.
const INTAKE = new Date('2026-10-14T09:00:00Z');
const referral = (more: Record<string, unknown> = {}) => ({
	districtId: ids.cherwell,
	otherParty: 'maintained_school',
	settingId: ids.school,
	category: 'sen_support',
	childInitials: 'JS',
	yearGroup: 'Year 4',
	tried: 'SENCO meeting; support plan review',
	outcomeSought: 'A plan the family and school both agree',
	childViews: 'Wants to stay with friends',
	urgent: false,
	safeguarding: false,
	decisionLetterDate: '',
	...more
});

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	Object.assign(ids, await twoDistricts(db, '910001'));
	// A school in Oxford's City locality, for a headteacher outside the case's district.
	const city = await db.insertInto('cluster').values({ kind: 'locality', name: 'City', parent_id: ids.oxford }).returning('id').executeTakeFirstOrThrow();
	ids.otherSchool = (
		await db
			.insertInto('setting')
			.values({ urn: '910002', name: 'Iffley Primary', phase: 'primary', setting_type: 'community primary', town: 'Oxford', pupil_count: 200, cluster_id: city.id })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	await db.insertInto('dispute_term').values([
		{ district_id: ids.cherwell, starts_on: '2026-09-02', ends_on: '2026-10-23' },
		{ district_id: ids.cherwell, starts_on: '2026-11-02', ends_on: '2026-12-18' }
	]).execute();
	Object.assign(
		people,
		await disputePeople(db, ids, {
			...cast('sendiass', 'oxfordSendiass', 'member', 'head', 'senco', 'pcfRep', 'councilOfficer'),
			otherHead: { name: 'Ola Otherhead', atSchool: 'headteacher', settingId: ids.otherSchool }
		})
	);
});

afterAll(async () => {
	await test?.close();
});

describe('recording a referral', () => {
	it('routes an exclusion out with its deadline counted in the district’s school days, and records it by reference only', async () => {
		const result = await recordReferral(db, people.sendiass, referral({ category: 'exclusion', decisionLetterDate: '2026-10-14' }), INTAKE);
		expect(result).toMatchObject({ reference: expect.stringMatching(/^DR-CHE-\d{4}$/), route: 'exclusion_review' });
		const deadlines = await db.selectFrom('dispute_deadline').select(['key', 'due_on']).where('case_id', '=', result.id).execute();
		expect(deadlines).toEqual([{ key: 'exclusion_review', due_on: '2026-11-11' }]);
		const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('subject_type', '=', 'dispute_case').where('subject_id', '=', result.id).executeTakeFirstOrThrow();
		expect(audit.action).toBe('disputes.referral_recorded');
		expect(JSON.stringify(audit.detail)).not.toMatch(/JS|Year 4|friends|SENCO meeting/);
	});

	it('accepts what a panel can hear, and flags a safeguarding concern for the designated safeguarding lead the same day', async () => {
		const result = await recordReferral(db, people.sendiass, referral({ safeguarding: true }), INTAKE);
		expect(result.route).toBe('panel');
		const row = await db.selectFrom('dispute_case').select(['status', 'safeguarding']).where('id', '=', result.id).executeTakeFirstOrThrow();
		expect(row).toEqual({ status: 'referred', safeguarding: true });
		const deadlines = await db.selectFrom('dispute_deadline').select(['key', 'due_on']).where('case_id', '=', result.id).execute();
		expect(deadlines).toEqual([{ key: 'safeguarding', due_on: '2026-10-14' }]);
	});

	it('keeps who referred and what taking part needs, and shows them to the district’s officer', async () => {
		const { id } = await recordReferral(db, people.sendiass, referral({ referrer: 'young_person', yearGroup: 'Year 13', supporter: 'An IPSEA volunteer', interpreter: 'Polish', adjustments: 'A quiet room and breaks' }), INTAKE);
		const view = await openCase(db, people.sendiass, id, INTAKE);
		expect(view).toMatchObject({ level: 'details', referrer: 'young_person', supporter: 'An IPSEA volunteer', interpreter: 'Polish', adjustments: 'A quiet room and breaks' });
		// A Year 4 child cannot refer in their own right; nothing is written.
		await refused(recordReferral(db, people.sendiass, referral({ referrer: 'young_person' }), INTAKE), 'BAD_REQUEST');
	});

	it('refuses everyone but the district’s SENDIASS officers, writing nothing', async () => {
		const before = await written();
		for (const who of ['oxfordSendiass', 'member', 'head', 'pcfRep', 'councilOfficer'] as const) {
			const refusal = await refused(recordReferral(db, people[who], referral(), INTAKE), 'FORBIDDEN');
			expect(refusal.message).toBe('Only SENDIASS officers for Cherwell can run its dispute-resolution panels.');
		}
		await refused(recordReferral(db, null, referral(), INTAKE), 'FORBIDDEN');
		expect(await written()).toBe(before);
	});

	it('refuses bad input with field errors, and a setting from another district, writing nothing', async () => {
		const before = await written();
		const bad = await refused(recordReferral(db, people.sendiass, referral({ childInitials: 'Jamie Smith', category: 'nonsense', outcomeSought: '' }), INTAKE), 'BAD_REQUEST');
		expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(['category', 'childInitials', 'outcomeSought']);
		const elsewhere = await refused(recordReferral(db, people.sendiass, referral({ settingId: ids.otherSchool }), INTAKE), 'BAD_REQUEST');
		expect(elsewhere.fieldErrors).toEqual({ settingId: ['Choose a setting in Cherwell'] });
		await refused(recordReferral(db, people.sendiass, referral({ districtId: 999_999 }), INTAKE), 'NOT_FOUND');
		expect(await written()).toBe(before);
	});

	it('refuses clearly when a school-day deadline runs past the terms kept, writing nothing', async () => {
		const before = await written();
		const refusal = await refused(recordReferral(db, people.sendiass, referral({ category: 'exclusion', decisionLetterDate: '2026-11-30' }), new Date('2026-12-01T10:00:00Z')), 'BAD_REQUEST');
		expect(refusal.message).toMatch(/term dates/);
		expect(await written()).toBe(before);
	});
});

describe('opening a case', () => {
	let caseId = 0;
	beforeAll(async () => {
		caseId = (await recordReferral(db, people.sendiass, referral({ category: 'ehc_decision', decisionLetterDate: '2026-10-01' }), INTAKE)).id;
	});

	it('shows the district’s SENDIASS officer the details, the deadlines counted down, and every look', async () => {
		const view = await openCase(db, people.sendiass, caseId, new Date('2026-10-20T09:00:00Z'));
		expect(view.level).toBe('details');
		if (view.level !== 'details') return;
		expect(view).toMatchObject({ childInitials: 'JS', yearGroup: 'Year 4', settingName: 'Hill View Primary', route: 'mediation_tribunal' });
		expect(view.deadlines.map((d) => [d.key, d.due, d.daysLeft])).toEqual([
			['mediation_adviser', '2026-12-01', 42],
			['tribunal_appeal', '2026-12-01', 42]
		]);
		expect(view.accessLog?.[0]).toMatchObject({ viewer: 'Sunita Sendiass', what: 'case details', allowed: true });
	});

	it('shows the setting’s headteacher and SENCO the status only, never the family’s details', async () => {
		for (const who of ['head', 'senco'] as const) {
			const view = await openCase(db, people[who], caseId);
			expect(view).toEqual({ level: 'status', id: caseId, reference: expect.any(String), status: 'routed_out' });
		}
	});

	it('refuses another district’s officer, a panel member not booked, another school’s head, a PCF rep and a council officer, and logs each refusal', async () => {
		const refusedBefore = await db.selectFrom('dispute_case_view').select(db.fn.countAll<string>().as('n')).where('case_id', '=', caseId).where('allowed', '=', false).executeTakeFirstOrThrow();
		for (const who of ['oxfordSendiass', 'member', 'otherHead', 'pcfRep', 'councilOfficer'] as const) {
			await refused(openCase(db, people[who], caseId), 'FORBIDDEN');
		}
		const log = await db
			.selectFrom('dispute_case_view')
			.select(['viewer_id', 'allowed', 'reason'])
			.where('case_id', '=', caseId)
			.where('allowed', '=', false)
			.orderBy('id')
			.execute();
		expect(log.length - Number(refusedBefore.n)).toBe(5);
		expect(log.at(-1)).toMatchObject({ viewer_id: people.councilOfficer.id, allowed: false, reason: expect.stringMatching(/Only the people working on this case/) });
		// The officer sees the refusals on the case.
		const view = await openCase(db, people.sendiass, caseId);
		expect(view.level === 'details' && view.accessLog?.filter((a) => !a.allowed).map((a) => a.viewer)).toEqual(['Col Council', 'Pat Parent', 'Ola Otherhead', 'Mo Member', 'Omar Oxford']);
	});

	it('answers 404 for a case that does not exist', async () => {
		await refused(openCase(db, people.sendiass, 999_999), 'NOT_FOUND');
	});
});

describe('the district’s case list', () => {
	it('pages newest first for its SENDIASS officers, with each case’s next deadline', async () => {
		const { page } = await districtCases(db, people.sendiass, ids.cherwell, null);
		expect(page.items.length).toBeGreaterThanOrEqual(3);
		expect(page.items.map((r) => r.id)).toEqual([...page.items.map((r) => r.id)].sort((a, b) => b - a));
		expect(page.items[0]).toMatchObject({ route: 'mediation_tribunal', nextDeadline: '2026-12-01' });
	});

	it('refuses anyone else', async () => {
		for (const who of ['oxfordSendiass', 'member', 'head', 'councilOfficer'] as const) await refused(districtCases(db, people[who], ids.cherwell, null), 'FORBIDDEN');
	});
});

describe('agreement to take part', () => {
	it('is recorded by the district’s SENDIASS officer for each party, once, against the version seen', async () => {
		const { id } = await recordReferral(db, people.sendiass, referral(), INTAKE);
		for (const who of ['oxfordSendiass', 'head', 'member', 'councilOfficer'] as const) {
			await refused(recordAgreement(db, people[who], { caseId: id, party: 'setting', version: 1 }), 'FORBIDDEN');
		}
		expect(await recordAgreement(db, people.sendiass, { caseId: id, party: 'family', version: 1 })).toEqual({ bothAgreed: false });
		// A second officer's page still shows version 1: refused, not overwritten.
		await refused(recordAgreement(db, people.sendiass, { caseId: id, party: 'setting', version: 1 }), 'CONFLICT');
		await refused(recordAgreement(db, people.sendiass, { caseId: id, party: 'family', version: 2 }), 'BAD_REQUEST');
		expect(await recordAgreement(db, people.sendiass, { caseId: id, party: 'setting', version: 2 })).toEqual({ bothAgreed: true });
		const view = await openCase(db, people.sendiass, id);
		expect(view.level === 'details' && view.familyAgreedAt !== null && view.settingAgreedAt !== null).toBe(true);
		const history = await db.selectFrom('audit_log').select('action').where('subject_type', '=', 'dispute_case').where('subject_id', '=', id).orderBy('id').execute();
		expect(history.map((h) => h.action)).toEqual(['disputes.referral_recorded', 'disputes.agreement_recorded', 'disputes.agreement_recorded']);
	});

	it('is not asked of a case routed to another route', async () => {
		const { id } = await recordReferral(db, people.sendiass, referral({ category: 'transport', decisionLetterDate: '2026-10-01' }), INTAKE);
		const refusal = await refused(recordAgreement(db, people.sendiass, { caseId: id, party: 'family', version: 1 }), 'BAD_REQUEST');
		expect(refusal.message).toMatch(/another route/);
	});
});
