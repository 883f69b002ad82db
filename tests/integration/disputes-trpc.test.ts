import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/auth/actor';
import { appRouter } from '../../src/lib/server/trpc/router';
import type { Context } from '../../src/lib/server/trpc/context';
import { saveStatement, shareStatement, uploadPaper } from '../../src/lib/server/disputes';
import { DEFAULT_PERIODS, type Period } from '../../src/lib/disputes/model';
import { DEFAULT_OUTCOME_PERIODS } from '../../src/lib/disputes/outcome';
import { cast, disputePeople, insertCase, insertPoll, twoDistricts } from './disputes-fixture';

// The disputes API's papers and district settings through the tRPC caller, against a real
// PostgreSQL: the same commands and rules as the pages' forms, both ways. A look at a case's papers
// through the API lands in the case's access log as the page's does (a refusal too); bad input is a
// 400 with field errors, never a 500; a refused change writes nothing.

let test: TestDatabase;
let db: Database;
const ids = { cherwell: 0, oxford: 0, banbury: 0, school: 0 };
type Who = 'sendiass' | 'oxfordSendiass' | 'member' | 'unbooked' | 'head' | 'senco' | 'pcfRep' | 'councilOfficer';
let people: Record<Who, Actor>;
const NOT_CHERWELL_OFFICERS: Who[] = ['oxfordSendiass', 'member', 'unbooked', 'head', 'senco', 'pcfRep', 'councilOfficer'];

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

const contextFor = (actor: Actor | null): Context => ({ db, io: undefined, actor, session: null, event: {} as never });
const callerFor = (actor: Actor | null) => appRouter.createCaller(contextFor(actor));

/** The tRPC error a call must fail with. */
async function refusal(call: Promise<unknown>, code: TRPCError['code']): Promise<TRPCError> {
	const error = await call.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(error, 'the call should have been refused').toBeInstanceOf(TRPCError);
	expect((error as TRPCError).code).toBe(code);
	return error as TRPCError;
}

/** A booked Cherwell case with the member booked, agreed by both parties. */
async function bookedCase(): Promise<number> {
	const { id } = await insertCase(db, ids, { status: 'booked', family_agreed_at: new Date(), setting_agreed_at: new Date() });
	await insertPoll(db, id, { memberIds: [people.member.id] });
	return id;
}

const accessLog = (caseId: number) => db.selectFrom('dispute_case_view').select(['viewer_id', 'what', 'allowed']).where('case_id', '=', caseId).orderBy('id').execute();

const periodsInput = (version: number, changes: Partial<Record<keyof typeof DEFAULT_PERIODS, Period>>, reason = 'The reform shortened the target') => ({
	districtId: ids.cherwell,
	version,
	reason,
	periods: { ...DEFAULT_PERIODS, ...changes },
	outcomePeriods: DEFAULT_OUTCOME_PERIODS
});
const settingsWritten = async () =>
	(await db.selectFrom('audit_log').select('id').where('subject_type', '=', 'dispute_district').execute()).length +
	(await db.selectFrom('dispute_term').select('id').execute()).length;

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	Object.assign(ids, await twoDistricts(db, '910401'));
	people = await disputePeople(db, ids, {
		...cast('sendiass', 'oxfordSendiass', 'member', 'head', 'senco', 'pcfRep', 'councilOfficer'),
		unbooked: { name: 'Una Unbooked', district: 'cherwell', role: 'panel_member' }
	});
});

afterAll(async () => {
	await test?.close();
});

describe('a case’s papers through the API', () => {
	it('gives the officer everything and the booked member only what was shared, logging each look as the page does', async () => {
		const caseId = await bookedCase();
		await saveStatement(db, people.sendiass, { caseId, party: 'family', version: 0, partyText: 'Mrs Allen and Tom', redactedText: 'The class teacher and another child' });
		await shareStatement(db, people.sendiass, { caseId, party: 'family', version: 1 });
		await uploadPaper(db, people.sendiass, { caseId, party: 'setting' }, { name: 'held.pdf', content: PDF });

		const officer = await callerFor(people.sendiass).disputes.papers({ caseId });
		expect(officer).toMatchObject({ manages: true, frozen: null });
		expect(officer.statements.map((s) => s.partyText)).toEqual(['Mrs Allen and Tom']);
		expect(officer.papers.map((p) => p.name)).toEqual(['held.pdf']);

		const panel = await callerFor(people.member).disputes.papers({ caseId });
		expect(panel.manages).toBe(false);
		expect(panel.papers).toEqual([]);
		expect(JSON.stringify(panel)).not.toMatch(/Allen|Tom|held\.pdf/);

		expect(await accessLog(caseId)).toEqual([
			{ viewer_id: people.sendiass.id, what: 'positions and papers', allowed: true },
			{ viewer_id: people.member.id, what: 'positions and papers', allowed: true }
		]);
	});

	it('refuses the school’s staff, an unbooked member, the forum, the council and another district’s officer, and logs each refusal', async () => {
		const caseId = await bookedCase();
		for (const who of NOT_CHERWELL_OFFICERS.filter((w) => w !== 'member')) {
			const error = await refusal(callerFor(people[who]).disputes.papers({ caseId }), 'FORBIDDEN');
			expect(error.message).toMatch(/SENDIASS officers and the panel booked for this case only/);
		}
		const log = await accessLog(caseId);
		expect(log).toHaveLength(NOT_CHERWELL_OFFICERS.length - 1);
		expect(log.every((l) => !l.allowed && l.what === 'positions and papers')).toBe(true);
		await refusal(callerFor(null).disputes.papers({ caseId }), 'UNAUTHORIZED');
	});

	it('answers bad input with a 400 and an unknown case with a 404', async () => {
		await refusal(callerFor(people.sendiass).disputes.papers({ caseId: 'one' } as never), 'BAD_REQUEST');
		await refusal(callerFor(people.sendiass).disputes.papers({ caseId: -1 }), 'BAD_REQUEST');
		await refusal(callerFor(people.sendiass).disputes.papers({ caseId: 2_000_000_000 }), 'NOT_FOUND');
	});
});

describe('district dispute settings through the API', () => {
	it('lets the district’s officer read and change the periods and terms, with the history, as the settings page does', async () => {
		const caller = callerFor(people.sendiass);
		const before = await caller.disputes.districtSettings({ districtId: ids.cherwell });
		expect(before).toMatchObject({ periods: DEFAULT_PERIODS, version: 0, terms: [], history: [] });

		const saved = await caller.disputes.savePeriods(periodsInput(0, { referralToMeeting: { count: 15, unit: 'working' } }));
		expect(saved).toEqual({ version: 1, changed: 1 });
		// A stale version is a conflict, not an overwrite.
		await refusal(caller.disputes.savePeriods(periodsInput(0, { referralToMeeting: { count: 10, unit: 'working' } })), 'CONFLICT');

		const { id: termId } = await caller.disputes.addTerm({ districtId: ids.cherwell, startsOn: '2026-09-03', endsOn: '2026-12-18' });
		const after = await caller.disputes.districtSettings({ districtId: ids.cherwell });
		expect(after.periods.referralToMeeting).toEqual({ count: 15, unit: 'working' });
		expect(after.terms).toEqual([{ id: termId, start: '2026-09-03', end: '2026-12-18' }]);
		expect(after.history.map((h) => h.by)).toEqual(['Sunita Sendiass', 'Sunita Sendiass']);
		expect(await caller.disputes.removeTerm({ districtId: ids.cherwell, termId, reason: 'Entered twice' })).toEqual({ removed: true });
	});

	it('refuses everyone else, reading or changing, and writes nothing', async () => {
		const before = await settingsWritten();
		for (const who of NOT_CHERWELL_OFFICERS) {
			const caller = callerFor(people[who]);
			const error = await refusal(caller.disputes.districtSettings({ districtId: ids.cherwell }), 'FORBIDDEN');
			expect(error.message).toMatch(/Only SENDIASS officers for Cherwell/);
			await refusal(caller.disputes.savePeriods(periodsInput(1, { referralToMeeting: { count: 5, unit: 'working' } })), 'FORBIDDEN');
			await refusal(caller.disputes.addTerm({ districtId: ids.cherwell, startsOn: '2027-01-05', endsOn: '2027-03-27' }), 'FORBIDDEN');
		}
		await refusal(callerFor(null).disputes.districtSettings({ districtId: ids.cherwell }), 'UNAUTHORIZED');
		expect(await settingsWritten()).toBe(before);
		// Oxford's officer keeps Oxford's settings, not Cherwell's.
		expect((await callerFor(people.oxfordSendiass).disputes.districtSettings({ districtId: ids.oxford })).district.name).toBe('Oxford');
	});

	it('answers bad input with field errors (400), never a 500, and writes nothing', async () => {
		const caller = callerFor(people.sendiass);
		const before = await settingsWritten();
		const zero = await refusal(caller.disputes.savePeriods(periodsInput(1, { referralToMeeting: { count: 0, unit: 'working' } })), 'BAD_REQUEST');
		expect(zero.message).toMatch(/at least 1/);
		const unit = await refusal(caller.disputes.savePeriods(periodsInput(1, { referralToMeeting: { count: 10, unit: 'months' } })), 'BAD_REQUEST');
		expect(unit.message).toMatch(/working days or school days/);
		await refusal(caller.disputes.savePeriods({ ...periodsInput(1, {}), reason: '' }), 'BAD_REQUEST');
		await refusal(caller.disputes.addTerm({ districtId: ids.cherwell, startsOn: '2027-02-30', endsOn: '2027-03-27' }), 'BAD_REQUEST');
		await refusal(caller.disputes.addTerm({ districtId: ids.cherwell, startsOn: '2027-03-27', endsOn: '2027-01-05' }), 'BAD_REQUEST');
		await refusal(caller.disputes.districtSettings({ districtId: ids.banbury }), 'NOT_FOUND');
		expect(await settingsWritten()).toBe(before);
	});
});
