import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/auth/actor';
import { addDisputeTerm, districtCases, districtSettingsView, flagCases, flaggedCaseCount, removeDisputeTerm, saveDisputePeriods } from '../../src/lib/server/disputes';
import { DEFAULT_PERIODS, type Period } from '../../src/lib/disputes/model';
import { DEFAULT_OUTCOME_PERIODS } from '../../src/lib/disputes/outcome';
import { cast, disputePeople, insertCase, twoDistricts } from './disputes-fixture';
import { expectRefused as refused } from './refusals';
import { withFormPost } from '../../src/lib/server/form-posts';
import { setQuorum } from '../../src/lib/server/disputes/pool';

// The district's dispute settings against a real PostgreSQL: who may keep them (both ways), a
// change saved against a stale version refused and the same save twice harmless, every change in
// the history with who and why, terms validated under the district's lock, the term dates moving a
// school-day target's flag, and the case list's flags column and filter.

let test: TestDatabase;
let db: Database;
const ids = { cherwell: 0, oxford: 0, school: 0 };
type Who = 'sendiass' | 'secondSendiass' | 'oxfordSendiass' | 'councilOfficer' | 'head' | 'pcfRep';
const people = {} as Record<Who, Actor>;

const asForm = <K extends string>(periods: Record<K, Period>) => Object.fromEntries(Object.entries<Period>(periods).map(([k, p]) => [k, { count: String(p.count), unit: p.unit }]));
const periodsInput = (version: number, changes: Partial<Record<keyof typeof DEFAULT_PERIODS, Period>>, reason = 'The reform shortened the target', districtId = ids.cherwell) => ({
	districtId,
	version,
	reason,
	periods: asForm({ ...DEFAULT_PERIODS, ...changes }),
	outcomePeriods: asForm(DEFAULT_OUTCOME_PERIODS)
});

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	Object.assign(ids, await twoDistricts(db, '910201'));
	Object.assign(
		people,
		await disputePeople(db, ids, {
			...cast('sendiass', 'oxfordSendiass', 'councilOfficer', 'head', 'pcfRep'),
			secondSendiass: { name: 'Seth Second', district: 'cherwell', role: 'sendiass_officer' }
		})
	);
});

afterAll(async () => {
	await test?.close();
});

describe('who may keep the district’s dispute settings', () => {
	it('the district’s SENDIASS officer sees them, with the defaults before anything is changed', async () => {
		const view = await districtSettingsView(db, people.sendiass, ids.cherwell);
		expect(view.periods).toEqual(DEFAULT_PERIODS);
		expect(view.outcomePeriods).toEqual(DEFAULT_OUTCOME_PERIODS);
		expect(view.version).toBe(0);
		expect(view.history).toEqual([]);
	});
	it('another district’s officer, a council officer, a headteacher and a PCF representative are refused, and told why', async () => {
		for (const who of ['oxfordSendiass', 'councilOfficer', 'head', 'pcfRep'] as const) {
			const error = await refused(districtSettingsView(db, people[who], ids.cherwell), 'FORBIDDEN');
			expect(error.message).toMatch(/Only SENDIASS officers for Cherwell/);
			await refused(saveDisputePeriods(db, people[who], periodsInput(0, { referralToMeeting: { count: 10, unit: 'school' } })), 'FORBIDDEN');
			await refused(addDisputeTerm(db, people[who], { districtId: ids.cherwell, startsOn: '2025-09-03', endsOn: '2025-12-18' }), 'FORBIDDEN');
		}
		await refused(districtSettingsView(db, null, ids.cherwell), 'FORBIDDEN');
		expect(await db.selectFrom('dispute_term').selectAll().execute()).toEqual([]);
		expect((await districtSettingsView(db, people.sendiass, ids.cherwell)).version).toBe(0);
	});
	it('the Oxford officer keeps Oxford’s own settings', async () => {
		const saved = await saveDisputePeriods(db, people.oxfordSendiass, periodsInput(0, { meetingToOutcome: { count: 7, unit: 'working' } }, 'Local agreement', ids.oxford));
		expect(saved).toEqual({ version: 1, changed: 1 });
	});
});

describe('saving the periods', () => {
	it('saves a target in school days with the reason, and records who, when and why', async () => {
		const saved = await saveDisputePeriods(db, people.sendiass, periodsInput(0, { referralToMeeting: { count: 10, unit: 'school' }, retention: { count: 36, unit: 'months' } }));
		expect(saved).toEqual({ version: 1, changed: 2 });
		const view = await districtSettingsView(db, people.sendiass, ids.cherwell);
		expect(view.periods.referralToMeeting).toEqual({ count: 10, unit: 'school' });
		expect(view.periods.retention).toEqual({ count: 36, unit: 'months' });
		expect(view.history[0]).toMatchObject({ by: 'Sunita Sendiass', reason: 'The reform shortened the target', summary: expect.stringMatching(/Target: from referral to the panel meeting from 15 school days to 10 school days/) });
		const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'disputes.settings_changed').where('subject_id', '=', ids.cherwell).execute();
		expect(audit).toHaveLength(1);
		expect(audit[0].actor_id).toBe(people.sendiass.id);
	});
	it('the same save again (a double submit) changes nothing and records nothing', async () => {
		const again = await saveDisputePeriods(db, people.sendiass, periodsInput(0, { referralToMeeting: { count: 10, unit: 'school' }, retention: { count: 36, unit: 'months' } }));
		expect(again).toEqual({ version: 1, changed: 0 });
		expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'disputes.settings_changed').where('subject_id', '=', ids.cherwell).execute()).toHaveLength(1);
	});
	it('a second officer saving over a version they did not see is refused, and nothing is overwritten', async () => {
		await saveDisputePeriods(db, people.sendiass, periodsInput(1, { referralToMeeting: { count: 12, unit: 'school' }, retention: { count: 36, unit: 'months' } }, 'First officer'));
		const error = await refused(saveDisputePeriods(db, people.secondSendiass, periodsInput(1, { referralToMeeting: { count: 20, unit: 'working' } }, 'Second officer')), 'CONFLICT');
		expect(error.message).toMatch(/Someone else changed these settings/);
		const view = await districtSettingsView(db, people.sendiass, ids.cherwell);
		expect(view.periods.referralToMeeting).toEqual({ count: 12, unit: 'school' });
		expect(view.version).toBe(2);
		expect(view.history.map((h) => h.reason)).toEqual(['First officer', 'The reform shortened the target']);
	});
	it('refuses a target in months, or a count of nothing, with the field named (400, never 500)', async () => {
		const months = await refused(saveDisputePeriods(db, people.sendiass, periodsInput(2, { meetingToOutcome: { count: 1, unit: 'months' } })), 'BAD_REQUEST');
		expect(months.fieldErrors).toHaveProperty(['periods.meetingToOutcome.unit']);
		const nothing = await refused(saveDisputePeriods(db, people.sendiass, { ...periodsInput(2, {}), periods: { ...asForm(DEFAULT_PERIODS), exclusionReview: { count: '0', unit: 'school' } } }), 'BAD_REQUEST');
		expect(nothing.fieldErrors).toHaveProperty(['periods.exclusionReview.count']);
		await refused(saveDisputePeriods(db, people.sendiass, { districtId: ids.cherwell, version: 2 }), 'BAD_REQUEST');
	});
});

describe('term dates', () => {
	it('adds terms, refuses one that ends before it starts or overlaps, and a double submit adds nothing', async () => {
		const autumn = await addDisputeTerm(db, people.sendiass, { districtId: ids.cherwell, startsOn: '2026-10-19', endsOn: '2026-12-18', reason: 'Published term dates' });
		const again = await addDisputeTerm(db, people.sendiass, { districtId: ids.cherwell, startsOn: '2026-10-19', endsOn: '2026-12-18', reason: 'Published term dates' });
		expect(again.id).toBe(autumn.id);
		const backwards = await refused(addDisputeTerm(db, people.sendiass, { districtId: ids.cherwell, startsOn: '2027-01-05', endsOn: '2027-01-04' }), 'BAD_REQUEST');
		expect(backwards.fieldErrors).toEqual({ endsOn: ['The last day of term must be after the first day'] });
		const overlap = await refused(addDisputeTerm(db, people.sendiass, { districtId: ids.cherwell, startsOn: '2026-12-01', endsOn: '2027-01-10' }), 'BAD_REQUEST');
		expect(overlap.fieldErrors?.startsOn?.[0]).toMatch(/overlaps the term from 2026-10-19/);
		const view = await districtSettingsView(db, people.sendiass, ids.cherwell);
		expect(view.terms.map((t) => [t.start, t.end])).toEqual([['2026-10-19', '2026-12-18']]);
		expect(view.history[0]).toMatchObject({ by: 'Sunita Sendiass', reason: 'Published term dates', summary: expect.stringMatching(/Added a term/) });
	});
	it('removing a term is recorded; removing it again does nothing', async () => {
		const { id } = await addDisputeTerm(db, people.sendiass, { districtId: ids.cherwell, startsOn: '2027-01-05', endsOn: '2027-03-26' });
		expect(await removeDisputeTerm(db, people.sendiass, { districtId: ids.cherwell, termId: id, reason: 'Typed the wrong year' })).toEqual({ removed: true });
		expect(await removeDisputeTerm(db, people.sendiass, { districtId: ids.cherwell, termId: id })).toEqual({ removed: false });
		const removals = await db.selectFrom('audit_log').select('reason').where('action', '=', 'disputes.term_removed').execute();
		expect(removals).toEqual([{ reason: 'Typed the wrong year' }]);
	});
	it('another district’s officer cannot remove Cherwell’s term', async () => {
		const [term] = await db.selectFrom('dispute_term').select('id').where('district_id', '=', ids.cherwell).execute();
		await refused(removeDisputeTerm(db, people.oxfordSendiass, { districtId: ids.cherwell, termId: term.id }), 'FORBIDDEN');
		// Naming their own district does not reach Cherwell's term either.
		expect(await removeDisputeTerm(db, people.oxfordSendiass, { districtId: ids.oxford, termId: term.id })).toEqual({ removed: false });
		expect(await db.selectFrom('dispute_term').select('id').where('id', '=', term.id).execute()).toHaveLength(1);
	});
});

describe('settings written at once, and double submits', () => {
	const outcome = <T>(work: Promise<T>) => work.then((value) => ({ value, error: null }), (error: unknown) => ({ value: null, error: error as Error }));

	it('two saves of a district’s periods at once, before it has any settings row: one is saved, the other refused with why (never a 500)', async () => {
		// Oxford as it was before any officer changed a setting (an earlier test saved some).
		await db.deleteFrom('dispute_district').where('cluster_id', '=', ids.oxford).execute();
		const a = periodsInput(0, { referralToMeeting: { count: 11, unit: 'working' } }, 'First', ids.oxford);
		const b = periodsInput(0, { referralToMeeting: { count: 25, unit: 'working' } }, 'Second', ids.oxford);
		const [first, second] = await Promise.all([outcome(saveDisputePeriods(db, people.oxfordSendiass, a)), outcome(saveDisputePeriods(db, people.oxfordSendiass, b))]);
		const errors = [first.error, second.error].filter((e) => e !== null);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/Someone else changed these settings/) });
		const view = await districtSettingsView(db, people.oxfordSendiass, ids.oxford);
		expect(view.periods.referralToMeeting).toEqual(first.error ? { count: 25, unit: 'working' } : { count: 11, unit: 'working' });
		expect(await db.selectFrom('audit_log').select('reason').where('action', '=', 'disputes.settings_changed').where('subject_id', '=', ids.oxford).where('reason', 'in', ['First', 'Second']).execute()).toHaveLength(1);
	});

	it('the quorum rule and the periods share the row’s lock and version: a save over the other’s change is refused', async () => {
		const seen = (await districtSettingsView(db, people.oxfordSendiass, ids.oxford)).version;
		await setQuorum(db, people.oxfordSendiass, { districtId: ids.oxford, version: seen, chairRequired: true, minimumMembers: 3, requiredRoles: ['parent_carer_rep'], reason: 'Smaller panels' });
		await refused(saveDisputePeriods(db, people.oxfordSendiass, periodsInput(seen, { referralToMeeting: { count: 9, unit: 'working' } }, 'Stale', ids.oxford)), 'CONFLICT');
		// The refusal is asked of the row as locked: another district's officer is refused before anything is written.
		await refused(setQuorum(db, people.sendiass, { districtId: ids.oxford, version: seen + 1, chairRequired: true, minimumMembers: 3, requiredRoles: [], reason: 'Not mine' }), 'FORBIDDEN', /Oxford/);
	});

	it('a term added, a term removed and periods saved, each posted twice with one form token, happen once', async () => {
		const asPost = <T>(form: string, run: () => Promise<T>) => {
			const token = crypto.randomUUID();
			const post = () => withFormPost({ token, form, fingerprint: 'same fields', userId: people.sendiass.id }, run).result;
			return Promise.all([post(), post()]);
		};
		const audits = (action: string) => db.selectFrom('audit_log').select('id').where('action', '=', action).where('subject_id', '=', ids.cherwell).execute();
		const termsAdded = (await audits('disputes.term_added')).length;
		const [added, addedAgain] = await asPost('/(app)/disputes/settings term', () => addDisputeTerm(db, people.sendiass, { districtId: ids.cherwell, startsOn: '2027-04-12', endsOn: '2027-05-28' }));
		expect(addedAgain).toEqual(added);
		expect(await audits('disputes.term_added')).toHaveLength(termsAdded + 1);

		const termsRemoved = (await audits('disputes.term_removed')).length;
		const removed = await asPost('/(app)/disputes/settings removeTerm', () => removeDisputeTerm(db, people.sendiass, { districtId: ids.cherwell, termId: added.id }));
		expect(removed).toEqual([{ removed: true }, { removed: true }]);
		expect(await audits('disputes.term_removed')).toHaveLength(termsRemoved + 1);

		const { version } = await districtSettingsView(db, people.sendiass, ids.cherwell);
		const changes = (await audits('disputes.settings_changed')).length;
		const saved = await asPost('/(app)/disputes/settings periods', () => saveDisputePeriods(db, people.sendiass, periodsInput(version, { referralToMeeting: { count: 12, unit: 'school' }, retention: { count: 36, unit: 'months' }, transportReview: { count: 21, unit: 'working' } }, 'Posted twice')));
		expect(saved).toEqual([{ version: version + 1, changed: expect.any(Number) }, { version: version + 1, changed: expect.any(Number) }]);
		expect(await audits('disputes.settings_changed')).toHaveLength(changes + 1);
	});
});

describe('term dates move a school-day target, and the case list shows the flags', () => {
	it('a referral on 7 September is past its 12-school-day target only once the September term is kept', async () => {
		const { id: caseId } = await insertCase(db, ids, { reference: 'DR-CHE-S1', child_initials: 'QZ', intake_at: new Date('2026-09-07T10:00:00Z') });
		await insertCase(db, ids, { reference: 'DR-CHE-S2', other_party: 'academy', setting_id: null, category: 'communication', child_initials: 'AB', year_group: 'Year 8', intake_at: new Date('2026-10-19T10:00:00Z') });
		const today = '2026-10-20';
		// Only the term from 19 October is kept: the 12th school day after 7 September is 3 November, not yet near.
		await flagCases(db, today);
		expect(await db.selectFrom('dispute_flag').selectAll().where('case_id', '=', caseId).execute()).toEqual([]);
		expect(await flaggedCaseCount(db, ids.cherwell)).toBe(0);

		await addDisputeTerm(db, people.sendiass, { districtId: ids.cherwell, startsOn: '2026-09-03', endsOn: '2026-10-16' });
		await flagCases(db, today);
		const flags = await db.selectFrom('dispute_flag').select(['key', 'level', 'due_on']).where('case_id', '=', caseId).execute();
		// 8 to 11, 14 to 18, 21 to 23 September: the 12th school day is 23 September.
		expect(flags).toEqual([{ key: 'target_meeting', level: 'past', due_on: '2026-09-23' }]);
		expect(await flaggedCaseCount(db, ids.cherwell)).toBe(1);

		const all = await districtCases(db, people.sendiass, ids.cherwell, null);
		expect(all.page.items.map((c) => [c.reference, c.flags.map((f) => f.level)])).toEqual([
			['DR-CHE-S2', []],
			['DR-CHE-S1', ['past']]
		]);
		const flagged = await districtCases(db, people.sendiass, ids.cherwell, null, { flaggedOnly: true });
		expect(flagged.page.items.map((c) => c.reference)).toEqual(['DR-CHE-S1']);
		expect(flagged.page.items[0].flags[0]).toMatchObject({ level: 'past', due: '2026-09-23', what: expect.stringMatching(/target/) });
		await refused(districtCases(db, people.head, ids.cherwell, null, { flaggedOnly: true }), 'FORBIDDEN');
	});
});

describe('the policy comes before the lock', () => {
	it('a refused person is told at once while an officer’s save holds the district’s settings row: they make no row and wait for no lock', async () => {
		// Oxford has its row by now; a district with none (Cherwell's neighbour made here) shows that a refusal makes none.
		const lone = (await db.insertInto('cluster').values({ kind: 'district', name: 'Lone district' }).returning('id').executeTakeFirstOrThrow()).id;
		await refused(saveDisputePeriods(db, people.head, periodsInput(0, {}, 'Not mine', lone)), 'FORBIDDEN');
		await refused(setQuorum(db, people.pcfRep, { districtId: lone, version: 0, chairRequired: true, minimumMembers: 3, requiredRoles: [], reason: 'Not mine' }), 'FORBIDDEN');
		expect(await db.selectFrom('dispute_district').select('cluster_id').where('cluster_id', '=', lone).execute()).toEqual([]);

		let release = () => {};
		const holding = new Promise<void>((resolve) => (release = resolve));
		let locked = () => {};
		const lockTaken = new Promise<void>((resolve) => (locked = resolve));
		const holder = db.transaction().execute(async (trx) => {
			await trx.selectFrom('dispute_district').select('version').where('cluster_id', '=', ids.oxford).forUpdate().execute();
			locked();
			await holding;
		});
		await lockTaken;
		try {
			// Were the lock taken before the policy, these would wait for the holder, which waits for them.
			await refused(saveDisputePeriods(db, people.sendiass, periodsInput(0, {}, 'Not mine', ids.oxford)), 'FORBIDDEN');
			await refused(removeDisputeTerm(db, people.head, { districtId: ids.oxford, termId: 1 }), 'FORBIDDEN');
		} finally {
			release();
			await holder;
		}
	});
});
