import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/auth/actor';
import { disputesReport, passDisputeTheme, themeTargets } from '../../src/lib/server/disputes';
import { CATEGORIES, type Category } from '../../src/lib/disputes/model';
import { cast, disputePeople, twoDistricts } from './disputes-fixture';
import { expectRefused as refused } from './refusals';

// Anonymised themes from the panels to the forum's "you said, we did", against a real PostgreSQL:
// only the district's SENDIASS officers pass them (both ways), only a count the suppressed report
// shows can pass (a hidden one is refused), the point carries the count and the portal's words and
// nothing about a case, and passing the same theme twice records one point.

let test: TestDatabase;
let db: Database;
const ids = { cherwell: 0, oxford: 0, school: 0, consultation: 0, oxfordConsultation: 0, closedConsultation: 0 };
type Who = 'sendiass' | 'oxfordSendiass' | 'councilOfficer' | 'head' | 'pcfRep';
const people = {} as Record<Who, Actor>;
const YEAR = 2025;
let n = 0;

async function cases(count: number, category: Category, intakeAt: string) {
	for (let i = 0; i < count; i++) {
		await db
			.insertInto('dispute_case')
			.values({ reference: `DR-CHE-T${++n}`, district_id: ids.cherwell, other_party: 'maintained_school', setting_id: ids.school, category, route: 'panel', status: 'referred', child_initials: 'QZ', year_group: 'Year 4', tried: 'Spoke to Ms Quinn Zed', intake_at: new Date(intakeAt) })
			.execute();
	}
}

async function consultation(districtId: number, clusterId: number, ownerId: number, title: string, closesOn: string, status: 'open' | 'closed' = 'open') {
	return (
		await db
			.insertInto('pcf_consultation')
			.values({ cluster_id: clusterId, district_id: districtId, title, body: 'What should change?', label: 'co_design', coproduction_stage: 'consulting', opens_on: '2025-01-01', closes_on: closesOn, status, owner_id: ownerId, ...(status === 'closed' ? { closed_at: new Date(), closed_by: ownerId } : {}) })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
}

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	Object.assign(ids, await twoDistricts(db, '910301'));
	Object.assign(people, await disputePeople(db, ids, cast('sendiass', 'oxfordSendiass', 'councilOfficer', 'head', 'pcfRep')));
	ids.consultation = await consultation(ids.cherwell, ids.cherwell, people.councilOfficer.id, 'Local dispute resolution', '2099-06-30');
	ids.oxfordConsultation = await consultation(ids.oxford, ids.oxford, people.councilOfficer.id, 'Oxford consultation', '2099-06-30');
	ids.closedConsultation = await consultation(ids.cherwell, ids.cherwell, people.councilOfficer.id, 'An earlier consultation', '2099-06-30', 'closed');
	// Q1 2025/26: 6 about SEN support and 7 about communication; Q3: 2 about transport (hidden).
	await cases(6, 'sen_support', '2025-05-01T10:00:00Z');
	await cases(7, 'communication', '2025-05-02T10:00:00Z');
	await cases(2, 'transport', '2025-11-03T10:00:00Z');
});

afterAll(async () => {
	await test?.close();
});

/** A category and quarter (1 to 4) whose count the report shows, and one it hides. */
async function cellsOf() {
	const report = await disputesReport(db, people.sendiass, { district: ids.cherwell, year: YEAR });
	const table = report.figures.find((f) => f.id === 'categories')!.table;
	const all = CATEGORIES.flatMap((category, row) => table.cells[row].map((count, q) => ({ category, quarter: q + 1, count })));
	return { shown: all.filter((c) => c.count !== null && c.count > 0), hidden: all.filter((c) => c.count === null) };
}

const pass = (who: Actor | null, cell: { category: Category; quarter: number }, consultationId = ids.consultation, districtId = ids.cherwell) =>
	passDisputeTheme(db, who, { districtId, year: YEAR, category: cell.category, quarter: cell.quarter, consultationId });

describe('passing an anonymised theme to the forum', () => {
	it('the report hides the small count and shows the larger ones', async () => {
		const { shown, hidden } = await cellsOf();
		expect(hidden).toContainEqual({ category: 'transport', quarter: 3, count: null });
		expect(shown.length).toBeGreaterThan(0);
	});
	it('only the district’s SENDIASS officer may pass a theme; the others are refused and told why', async () => {
		const { shown } = await cellsOf();
		for (const who of ['oxfordSendiass', 'councilOfficer', 'head', 'pcfRep'] as const) {
			const error = await refused(pass(people[who], shown[0]), 'FORBIDDEN');
			expect(error.message).toMatch(/Only SENDIASS officers for Cherwell/);
			expect(await themeTargets(db, people[who], ids.cherwell)).toEqual([]);
		}
		await refused(pass(null, shown[0]), 'FORBIDDEN');
		expect(await db.selectFrom('pcf_point').select('id').execute()).toEqual([]);
	});
	it('a hidden count cannot be passed on, nor a quarter with none', async () => {
		const hidden = await refused(pass(people.sendiass, { category: 'transport', quarter: 3 }), 'BAD_REQUEST');
		expect(hidden.fieldErrors?.category?.[0]).toMatch(/hidden because it is fewer than 5/);
		const none = await refused(pass(people.sendiass, { category: 'exclusion', quarter: 2 }), 'BAD_REQUEST');
		expect(none.fieldErrors?.category?.[0]).toMatch(/no referrals/);
		expect(await db.selectFrom('pcf_point').select('id').execute()).toEqual([]);
	});
	it('passes a shown count as aggregated feedback of the dispute panels’ source, with nothing about a case, once', async () => {
		const { shown } = await cellsOf();
		const cell = shown[0];
		expect((await themeTargets(db, people.sendiass, ids.cherwell)).map((c) => c.id)).toEqual([ids.consultation]);
		const first = await pass(people.sendiass, cell);
		expect(first.passed).toBe(true);
		const again = await pass(people.sendiass, cell);
		expect(again).toEqual({ pointId: first.pointId, passed: false });
		const points = await db.selectFrom('pcf_point').selectAll().execute();
		expect(points).toHaveLength(1);
		expect(points[0]).toMatchObject({ consultation_id: ids.consultation, district_id: ids.cherwell, source: 'dispute_panels', raised_count: cell.count, position_id: null, author_id: null, public_at: null });
		expect(points[0].body).toMatch(new RegExp(`^${cell.count} referrals to Cherwell’s dispute-resolution panels in Q\\d`));
		expect(points[0].body).not.toMatch(/DR-CHE|QZ|Quinn/);
		const audit = await db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', 'in', ['pcf.feedback_added', 'disputes.theme_passed']).orderBy('id').execute();
		expect(audit).toEqual([
			{ action: 'pcf.feedback_added', actor_id: people.sendiass.id },
			{ action: 'disputes.theme_passed', actor_id: people.sendiass.id }
		]);
	});
	it('refuses another district’s consultation or a closed one, with the field named', async () => {
		const { shown } = await cellsOf();
		const other = await refused(pass(people.sendiass, shown[0], ids.oxfordConsultation), 'BAD_REQUEST');
		expect(other.fieldErrors).toHaveProperty('consultationId');
		const closed = await refused(pass(people.sendiass, shown[0], ids.closedConsultation), 'BAD_REQUEST');
		expect(closed.fieldErrors?.consultationId?.[0]).toMatch(/open consultation/);
		await refused(passDisputeTheme(db, people.sendiass, { districtId: ids.cherwell, year: YEAR, category: 'gossip', quarter: 5, consultationId: ids.consultation }), 'BAD_REQUEST');
	});
});
