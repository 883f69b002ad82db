import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/auth/actor';
import { DomainError } from '../../src/lib/server/errors';
import { disputesReport, reportCsv, reportDistricts, reportFiltersFrom, type DisputesReport } from '../../src/lib/server/disputes';
import { DEFAULT_QUORUM } from '../../src/lib/disputes/model';
import { cast, disputePeople, twoDistricts } from './disputes-fixture';

// The panels' governance figures against a real PostgreSQL: who may see them (both ways), the
// figures from a few seeded cases (grouped by London date into financial quarters; times counted
// in working days past a bank holiday), and small numbers hidden on the page's data and in the CSV.

let test: TestDatabase;
let db: Database;
const ids = { cherwell: 0, oxford: 0, school: 0 };
type Who = 'sendiass' | 'oxfordSendiass' | 'councilOfficer' | 'head' | 'senco' | 'pcfRep' | 'member';
const people = {} as Record<Who, Actor>;
const YEAR = 2025;
const NOW = new Date('2026-02-01T12:00:00Z');
let n = 0;

interface Seed {
	district?: number;
	intakeAt: string;
	route?: 'panel' | 'exclusion_review' | 'transport_review';
	category?: 'sen_support' | 'exclusion' | 'transport' | 'communication';
	outcome?: { result: 'resolved' | 'partly_resolved' | 'not_resolved'; metOn: string; recordedAt: string };
	feedback?: { party: 'family' | 'setting'; rating: number }[];
}

async function seed(s: Seed): Promise<void> {
	const route = s.route ?? 'panel';
	const row = await db
		.insertInto('dispute_case')
		.values({
			reference: `DR-CHE-R${++n}`,
			district_id: s.district ?? ids.cherwell,
			other_party: 'maintained_school',
			setting_id: ids.school,
			category: s.category ?? 'sen_support',
			route,
			status: route === 'panel' ? (s.outcome ? 'outcome' : 'referred') : 'routed_out',
			child_initials: 'QZ',
			year_group: 'Year 4',
			tried: 'Spoke to Ms Quinn Zed',
			intake_at: new Date(s.intakeAt)
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	if (s.outcome) {
		const escalation = s.outcome.result === 'resolved' ? [] : [{ key: 'setting_complaint', what: 'Complain to the school', due: '2025-07-01' }];
		await db
			.insertInto('dispute_outcome')
			.values({ case_id: row.id, result: s.outcome.result, summary: 'Private words', met_on: s.outcome.metOn, escalation: JSON.stringify(escalation), follow_up_on: '2025-09-01', recorded_at: new Date(s.outcome.recordedAt) })
			.execute();
	}
	for (const f of s.feedback ?? []) {
		await db.insertInto('dispute_feedback').values({ case_id: row.id, party: f.party, rating: f.rating, comment: 'Named the teacher', recorded_at: new Date(s.outcome?.recordedAt ?? s.intakeAt) }).execute();
	}
}

const figure = (report: DisputesReport, id: string) => report.figures.find((f) => f.id === id)!;
const row = (report: DisputesReport, id: string, label: string) => {
	const f = figure(report, id);
	const i = f.rows.findIndex((r) => r.startsWith(label));
	return [...f.table.cells[i], f.table.rowTotals[i]];
};

async function refusal(call: Promise<unknown>): Promise<DomainError> {
	const caught = await call.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(caught, 'the call should have been refused').toBeInstanceOf(DomainError);
	expect((caught as DomainError).code).toBe('FORBIDDEN');
	return caught as DomainError;
}

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	Object.assign(ids, await twoDistricts(db, '910101'));
	// Cherwell's targets in working days: 10 to the meeting, 5 to the written outcome.
	await db
		.insertInto('dispute_district')
		.values({ cluster_id: ids.cherwell, periods: JSON.stringify({ referralToMeeting: { count: 10, unit: 'working' }, meetingToOutcome: { count: 5, unit: 'working' } }), quorum: JSON.stringify(DEFAULT_QUORUM) })
		.execute();
	Object.assign(people, await disputePeople(db, ids, cast('sendiass', 'oxfordSendiass', 'councilOfficer', 'head', 'senco', 'pcfRep', 'member')));

	// Q1 (Apr–Jun 2025): six cases heard by a panel, referred on Thursday 1 May. Early May bank
	// holiday is Monday 5 May, so a meeting on Friday 16 May is the 10th working day (within
	// target; 11 counting the holiday) and Friday 30 May is over. The outcome written on Friday 23
	// May is the 5th working day after the 16th (within); on 10 June, 7 after the 30th (over).
	const within = { metOn: '2025-05-16', recordedAt: '2025-05-23T15:00:00Z' };
	for (let i = 0; i < 5; i++) await seed({ intakeAt: '2025-05-01T09:00:00Z', outcome: { result: i < 3 ? 'resolved' : 'not_resolved', ...within }, feedback: [{ party: 'family', rating: 5 }] });
	await seed({ intakeAt: '2025-05-01T09:00:00Z', outcome: { result: 'partly_resolved', metOn: '2025-05-30', recordedAt: '2025-06-10T09:00:00Z' }, feedback: [{ party: 'setting', rating: 2 }] });
	// Routed out: two exclusions in Q1 (a small number), and five transport cases in Q2, one of
	// them at 23:30 UTC on 30 June, which is 1 July in London.
	for (let i = 0; i < 2; i++) await seed({ intakeAt: '2025-06-02T09:00:00Z', route: 'exclusion_review', category: 'exclusion' });
	await seed({ intakeAt: '2025-06-30T23:30:00Z', route: 'transport_review', category: 'transport' });
	for (let i = 0; i < 4; i++) await seed({ intakeAt: '2025-08-12T09:00:00Z', route: 'transport_review', category: 'transport' });
	// Seven more panel cases in Q2, and one outside the year and one in Oxford, neither counted.
	for (let i = 0; i < 7; i++) await seed({ intakeAt: '2025-09-03T09:00:00Z', category: 'communication' });
	await seed({ intakeAt: '2025-03-31T09:00:00Z' });
	await seed({ intakeAt: '2025-05-01T09:00:00Z', district: ids.oxford });
});

afterAll(async () => {
	await test?.close();
});

describe('who may see the governance figures', () => {
	it('shows them to the district’s SENDIASS officers and to council officers', async () => {
		for (const who of ['sendiass', 'councilOfficer'] as const) {
			const report = await disputesReport(db, people[who], { district: ids.cherwell, year: YEAR }, NOW);
			expect(report.district.name).toBe('Cherwell');
		}
		// A SENDIASS officer chooses among their own districts; a council officer, who may read any, searches.
		expect(await reportDistricts(db, people.sendiass)).toEqual({ districts: [{ id: ids.cherwell, name: 'Cherwell' }], search: false });
		expect(await reportDistricts(db, people.councilOfficer)).toEqual({ districts: [], search: true });
		// Without a district, a council officer sees the first by name.
		expect((await disputesReport(db, people.councilOfficer, {}, NOW)).district.name).toBe('Cherwell');
		// Without a district, each sees the first they may: Oxford's officer sees Oxford's.
		expect((await disputesReport(db, people.oxfordSendiass, {}, NOW)).district.name).toBe('Oxford');
	});

	it('refuses headteachers, SENCOs, PCF reps, panel members and another district’s officer, saying why', async () => {
		for (const who of ['head', 'senco', 'pcfRep', 'member', 'oxfordSendiass'] as const) {
			const refused = await refusal(disputesReport(db, people[who], { district: ids.cherwell, year: YEAR }, NOW));
			expect(refused.message).toMatch(/SENDIASS officers and council officers/);
		}
		for (const who of ['head', 'senco', 'pcfRep', 'member'] as const) {
			await refusal(disputesReport(db, people[who], {}, NOW));
			expect(await reportDistricts(db, people[who])).toEqual({ districts: [], search: false });
		}
		await refusal(disputesReport(db, null, { district: ids.cherwell }, NOW));
	});

	it('refuses a bad filter with a field error, not a 500', () => {
		for (const [district, year] of [['abc', '2025'], ['1', '1999x'], ['-1', '']]) {
			const params = new URLSearchParams({ district, year });
			expect(() => reportFiltersFrom(params)).toThrow(DomainError);
		}
		expect(reportFiltersFrom(new URLSearchParams({ district: '', year: '' }))).toEqual({ district: undefined, year: undefined });
		expect(reportFiltersFrom(new URLSearchParams({ district: '7', year: '2025' }))).toEqual({ district: 7, year: 2025 });
	});
});

describe('the figures', () => {
	it('counts the seeded cases by financial quarter in London, with times against the targets in working days', async () => {
		// Threshold 1 hides nothing, so the raw counts can be checked.
		const report = await disputesReport(db, people.sendiass, { district: ids.cherwell, year: YEAR }, NOW, 1);
		expect(report.yearWords).toBe('2025/26');
		expect(row(report, 'referrals', 'Heard by a panel')).toEqual([6, 7, 0, 0, 13]);
		expect(row(report, 'referrals', 'Routed out: The governing board')).toBeDefined();
		const referrals = figure(report, 'referrals');
		expect(referrals.table.total).toBe(20);
		expect(referrals.table.columnTotals).toEqual([8, 12, 0, 0]);
		const routedOut = referrals.table.cells.filter((_, i) => i > 0).map((cells) => cells.join(','));
		expect(routedOut).toContain('2,0,0,0');
		expect(routedOut).toContain('0,5,0,0');
		expect(row(report, 'to-meeting', 'Within')).toEqual([5, 0, 0, 0, 5]);
		expect(row(report, 'to-meeting', 'Over')).toEqual([1, 0, 0, 0, 1]);
		expect(figure(report, 'to-meeting').title).toContain('10 working days');
		expect(row(report, 'to-outcome', 'Within')).toEqual([5, 0, 0, 0, 5]);
		expect(row(report, 'to-outcome', 'Over')).toEqual([1, 0, 0, 0, 1]);
		expect(row(report, 'outcomes', 'Resolved')).toEqual([3, 0, 0, 0, 3]);
		expect(figure(report, 'outcomes').table.total).toBe(6);
		expect(figure(report, 'escalations').table.total).toBe(3);
		expect(row(report, 'feedback', 'Family: helpful')).toEqual([5, 0, 0, 0, 5]);
		expect(row(report, 'feedback', 'Setting: not helpful')).toEqual([1, 0, 0, 0, 1]);
		expect(figure(report, 'categories').table.total).toBe(20);
		// Nothing about any one case: no reference, initials or free text.
		expect(JSON.stringify(report)).not.toMatch(/DR-CHE|QZ|Quinn|Private words|Named the teacher/);
	});

	it('hides small numbers, and enough others that none can be worked out from the totals, on the page and in the CSV', async () => {
		const report = await disputesReport(db, people.councilOfficer, { district: ids.cherwell, year: YEAR }, NOW);
		expect(report.threshold).toBe(5);
		const referrals = figure(report, 'referrals');
		const exclusions = referrals.rows.findIndex((r) => r.startsWith('Routed out: The governing board'));
		expect(referrals.table.cells[exclusions][0]).toBeNull();
		expect(referrals.table.rowTotals[exclusions]).toBeNull();
		// Q1's column total (8) is shown, so the panel cases in Q1 (6) are hidden too.
		expect(referrals.table.columnTotals[0]).toBe(8);
		expect(referrals.table.cells[0][0]).toBeNull();
		expect(referrals.table.total).toBe(20);

		const csv = reportCsv(report);
		const lines: string[][] = parse(csv);
		expect(lines[0]).toEqual(['district', 'financial year', 'figure', 'row', 'quarter', 'count']);
		const counts = lines.slice(1, -1).map((l) => l[5]);
		expect(counts).toContain('[c]');
		// Every count in the file is hidden, nothing, or at least the threshold.
		for (const count of counts) expect(count === '[c]' || count === '0' || Number(count) >= 5, `count ${count}`).toBe(true);
		const exclusionQ1 = lines.find((l) => l[2].startsWith('Referrals by route') && l[3].startsWith('Routed out: The governing board') && l[4].startsWith('Q1'));
		expect(exclusionQ1?.[5]).toBe('[c]');
		expect(csv).not.toMatch(/DR-CHE|QZ|Quinn/);
	});

	it('guards a district name that looks like a formula in the CSV', async () => {
		const report = await disputesReport(db, people.councilOfficer, { district: ids.cherwell, year: YEAR }, NOW);
		const lines: string[][] = parse(reportCsv({ ...report, district: { ...report.district, name: '=HYPERLINK("x")' } }));
		expect(lines[1][0]).toBe('\'=HYPERLINK("x")');
	});
});
