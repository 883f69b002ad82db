import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/auth/actor';
import { downloadPaper, openPapers, replacePaper, runDisputesDaily, saveStatement, sharePaper, shareStatement, subjectAccessExport, uploadPaper, withdrawPaper, withdrawStatement } from '../../src/lib/server/disputes';
import { STATEMENT_NOT_REDACTED } from '../../src/lib/server/disputes/records';
import { PAPER_MAX_BYTES } from '../../src/lib/disputes/papers';
import { parse } from 'csv-parse/sync';
import { cast, disputePeople, insertCase, insertPoll, twoDistricts } from './disputes-fixture';
import { expectRefused as refused } from './refusals';
import { withFormPost } from '../../src/lib/server/form-posts';

// Positions and papers against a real PostgreSQL: only the district's SENDIASS officers record and
// share (nothing written on a refusal); nothing is shared before both parties agreed; a stale save
// is refused; the booked, non-conflicted panel reads only what was redacted and shared; every look
// and download is logged; the subject access export carries the redacted statements; retention
// removes the statements' text and the papers.

let test: TestDatabase;
let db: Database;
const ids = { cherwell: 0, oxford: 0, school: 0 };
type Who = 'sendiass' | 'secondSendiass' | 'oxfordSendiass' | 'member' | 'conflicted' | 'unbooked' | 'head' | 'senco' | 'pcfRep' | 'councilOfficer';
const people = {} as Record<Who, Actor>;
const NOT_OFFICERS: Who[] = ['oxfordSendiass', 'member', 'conflicted', 'unbooked', 'head', 'senco', 'pcfRep', 'councilOfficer'];

// The smallest files whose first bytes say what they are.
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde]);
const HTML = new TextEncoder().encode('<!doctype html><script>alert(1)</script>');

const written = async () =>
	Number(
		(
			await sql<{ n: string }>`select (select count(*) from dispute_statement) + (select count(*) from dispute_paper) + (select count(*) from audit_log)
				+ coalesce((select sum(version) from dispute_statement), 0) + (select count(*) from dispute_paper where shared_at is not null) + (select count(*) from dispute_statement where shared_at is not null) as n`.execute(db)
		).rows[0].n
	);

/** A booked case (the member booked, the conflicted member booked but conflicted), agreed by both parties unless told. */
async function aCase(more: Parameters<typeof insertCase>[2] = {}): Promise<number> {
	const { id } = await insertCase(db, ids, { status: 'booked', family_agreed_at: new Date(), setting_agreed_at: new Date(), ...more });
	await insertPoll(db, id, { memberIds: [people.member.id, people.conflicted.id] });
	await db.insertInto('dispute_conflict').values({ case_id: id, user_id: people.conflicted.id }).execute();
	return id;
}

const statement = (caseId: number, party: 'family' | 'setting', version: number, partyText: string, redactedText = '') => ({ caseId, party, version, partyText, redactedText });
const views = (caseId: number) => db.selectFrom('dispute_case_view').select(['viewer_id', 'what', 'allowed']).where('case_id', '=', caseId).orderBy('id').execute();

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	Object.assign(ids, await twoDistricts(db, '910002'));
	Object.assign(
		people,
		await disputePeople(db, ids, {
			...cast('sendiass', 'oxfordSendiass', 'member', 'head', 'senco', 'pcfRep', 'councilOfficer'),
			secondSendiass: { name: 'Selma Second', district: 'cherwell', role: 'sendiass_officer' },
			conflicted: { name: 'Cal Conflicted', district: 'cherwell', role: 'panel_member' },
			unbooked: { name: 'Una Unbooked', district: 'cherwell', role: 'panel_member' }
		})
	);
});

afterAll(async () => {
	await test?.close();
});

describe('position statements', () => {
	it('lets only the district’s SENDIASS officers record one, writing nothing on a refusal', async () => {
		const caseId = await aCase();
		const input = statement(caseId, 'family', 0, 'Mrs Allen said the assistant is shared with Tom.', 'A member of staff said the assistant is shared.');
		const before = await written();
		for (const who of NOT_OFFICERS) await refused(saveStatement(db, people[who], input), 'FORBIDDEN');
		expect(await written()).toBe(before);
		expect(await saveStatement(db, people.sendiass, input)).toEqual({ version: 1, unshared: false });
		const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('subject_type', '=', 'dispute_case').where('subject_id', '=', caseId).execute();
		expect(audit.map((a) => a.action)).toEqual(['disputes.statement_saved']);
		expect(JSON.stringify(audit)).not.toMatch(/Allen|Tom/);
		// Bad input is a field error, not a 500.
		const empty = await refused(saveStatement(db, people.sendiass, { ...input, version: 1, partyText: '' }), 'BAD_REQUEST');
		expect(empty.fieldErrors).toHaveProperty('partyText');
		const party = await refused(saveStatement(db, people.sendiass, { ...input, version: 1, party: 'council' }), 'BAD_REQUEST');
		expect(party.fieldErrors).toHaveProperty('party');
		await refused(saveStatement(db, people.sendiass, { ...input, version: 1, partyText: 'x'.repeat(10_001) }), 'BAD_REQUEST');
		await refused(saveStatement(db, people.sendiass, { ...input, version: 1, partyText: 'a\u0000b' }), 'BAD_REQUEST');
	});

	it('refuses a stale save with a clear message and keeps the other officer’s text', async () => {
		const caseId = await aCase();
		await saveStatement(db, people.sendiass, statement(caseId, 'setting', 0, 'First version'));
		await saveStatement(db, people.sendiass, statement(caseId, 'setting', 1, 'Second version, by another officer'));
		const stale = await refused(saveStatement(db, people.sendiass, statement(caseId, 'setting', 1, 'My change from the old page')), 'CONFLICT');
		expect(stale.message).toMatch(/Someone else saved the school’s statement/);
		// A second "first" save of a statement someone already recorded is stale too.
		await refused(saveStatement(db, people.sendiass, statement(caseId, 'setting', 0, 'Also new')), 'CONFLICT');
		const row = await db.selectFrom('dispute_statement').select(['party_text', 'version']).where('case_id', '=', caseId).where('party', '=', 'setting').executeTakeFirstOrThrow();
		expect(row).toEqual({ party_text: 'Second version, by another officer', version: 2 });
	});

	it('refuses to share anything before both parties agreed, then shares the redacted copy once (again is harmless)', async () => {
		const caseId = await aCase({ setting_agreed_at: null });
		await saveStatement(db, people.sendiass, statement(caseId, 'family', 0, 'Mrs Allen, the class teacher', 'The class teacher'));
		const early = await refused(shareStatement(db, people.sendiass, { caseId, party: 'family', version: 1 }), 'BAD_REQUEST');
		expect(early.message).toMatch(/Both parties must agree/);
		const { id: paperId } = await uploadPaper(db, people.sendiass, { caseId, party: 'family', description: 'Letter' }, { name: 'letter.pdf', content: PDF });
		await refused(sharePaper(db, people.sendiass, { caseId, paperId, redactionChecked: true }), 'BAD_REQUEST');
		expect(await db.selectFrom('dispute_statement').select('shared_at').where('case_id', '=', caseId).executeTakeFirstOrThrow()).toEqual({ shared_at: null });
		expect(await db.selectFrom('dispute_paper').select(['shared_at', 'redacted']).where('id', '=', paperId).executeTakeFirstOrThrow()).toEqual({ shared_at: null, redacted: false });

		await db.updateTable('dispute_case').set({ setting_agreed_at: new Date() }).where('id', '=', caseId).execute();
		for (const who of NOT_OFFICERS) await refused(shareStatement(db, people[who], { caseId, party: 'family', version: 1 }), 'FORBIDDEN');
		await refused(shareStatement(db, people.sendiass, { caseId, party: 'family', version: 0 }), 'CONFLICT');
		await refused(shareStatement(db, people.sendiass, { caseId, party: 'setting', version: 0 }), 'BAD_REQUEST');
		expect(await shareStatement(db, people.sendiass, { caseId, party: 'family', version: 1 })).toEqual({ alreadyShared: false });
		expect(await shareStatement(db, people.sendiass, { caseId, party: 'family', version: 1 })).toEqual({ alreadyShared: true });
		// The sharing tells the booked, non-conflicted member only.
		const told = await db.selectFrom('notification').select('user_id').where('kind', '=', 'disputes.papers').where('link', '=', `/disputes/${caseId}/papers`).execute();
		expect(told.map((n) => n.user_id)).toEqual([people.member.id]);

		// Sharing a paper needs the redaction check; then it is marked redacted and shared.
		const unchecked = await refused(sharePaper(db, people.sendiass, { caseId, paperId, redactionChecked: false }), 'BAD_REQUEST');
		expect(unchecked.fieldErrors).toHaveProperty('redactionChecked');
		for (const who of NOT_OFFICERS) await refused(sharePaper(db, people[who], { caseId, paperId, redactionChecked: true }), 'FORBIDDEN');
		expect(await sharePaper(db, people.sendiass, { caseId, paperId, redactionChecked: true })).toEqual({ alreadyShared: false });
		expect(await sharePaper(db, people.sendiass, { caseId, paperId, redactionChecked: true })).toEqual({ alreadyShared: true });
		expect(await db.selectFrom('dispute_paper').select('redacted').where('id', '=', paperId).executeTakeFirstOrThrow()).toEqual({ redacted: true });

		// Changing a shared statement takes it back from the panel until it is shared again.
		expect(await saveStatement(db, people.sendiass, statement(caseId, 'family', 1, 'Mrs Allen, the class teacher, and Tom', 'The class teacher'))).toEqual({ version: 2, unshared: true });
		expect(await db.selectFrom('dispute_statement').select('shared_at').where('case_id', '=', caseId).executeTakeFirstOrThrow()).toEqual({ shared_at: null });
	});

	it('refuses to share a statement whose redacted copy is not prepared', async () => {
		const caseId = await aCase();
		await saveStatement(db, people.sendiass, statement(caseId, 'setting', 0, 'Ms Brook was off sick'));
		const none = await refused(shareStatement(db, people.sendiass, { caseId, party: 'setting', version: 1 }), 'BAD_REQUEST');
		expect(none.message).toMatch(/redacted statement/);
	});
});

describe('papers', () => {
	it('keeps only PDF, Word, PNG and JPEG files under the size limit, read from their bytes', async () => {
		const caseId = await aCase();
		const html = await refused(uploadPaper(db, people.sendiass, { caseId, party: 'family' }, { name: 'letter.pdf', content: HTML }), 'BAD_REQUEST');
		expect(html.fieldErrors?.file?.[0]).toMatch(/PDF, Word document, PNG or JPEG/);
		const big = new Uint8Array(PAPER_MAX_BYTES + 1);
		big.set(PDF);
		expect((await refused(uploadPaper(db, people.sendiass, { caseId, party: 'family' }, { name: 'big.pdf', content: big }), 'BAD_REQUEST')).fieldErrors?.file?.[0]).toMatch(/smaller than 5 MB/);
		expect((await refused(uploadPaper(db, people.sendiass, { caseId, party: 'family' }, null), 'BAD_REQUEST')).fieldErrors).toHaveProperty('file');
		expect((await refused(uploadPaper(db, people.sendiass, { caseId, party: 'family' }, { name: 'empty.pdf', content: new Uint8Array() }), 'BAD_REQUEST')).fieldErrors).toHaveProperty('file');
		for (const who of NOT_OFFICERS) await refused(uploadPaper(db, people[who], { caseId, party: 'family' }, { name: 'a.png', content: PNG }), 'FORBIDDEN');
		const { id } = await uploadPaper(db, people.sendiass, { caseId, party: 'setting', description: 'Timetable' }, { name: '../../timetable.png', content: PNG });
		expect(await db.selectFrom('dispute_paper').select(['name', 'media_type', 'size_bytes', 'redacted']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ name: 'timetable.png', media_type: 'image/png', size_bytes: PNG.byteLength, redacted: false });
	});

	it('shows the booked panel only what was shared, refuses everyone else, and logs every look and download', async () => {
		const caseId = await aCase();
		await saveStatement(db, people.sendiass, statement(caseId, 'family', 0, 'Mrs Allen and Tom', 'The class teacher and another child'));
		await saveStatement(db, people.sendiass, statement(caseId, 'setting', 0, 'Ms Brook was off sick', 'An assistant was off sick'));
		await shareStatement(db, people.sendiass, { caseId, party: 'family', version: 1 });
		const shared = (await uploadPaper(db, people.sendiass, { caseId, party: 'family' }, { name: 'shared.pdf', content: PDF })).id;
		const held = (await uploadPaper(db, people.sendiass, { caseId, party: 'family' }, { name: 'held.pdf', content: PDF })).id;
		await sharePaper(db, people.sendiass, { caseId, paperId: shared, redactionChecked: true });
		await db.deleteFrom('dispute_case_view').where('case_id', '=', caseId).execute();

		const officer = await openPapers(db, people.sendiass, caseId);
		expect(officer.manages).toBe(true);
		expect(officer.statements.map((s) => [s.party, s.partyText, s.sharedAt !== null])).toEqual([
			['family', 'Mrs Allen and Tom', true],
			['setting', 'Ms Brook was off sick', false]
		]);
		expect(officer.papers.map((p) => p.name)).toEqual(['shared.pdf', 'held.pdf']);

		const panel = await openPapers(db, people.member, caseId);
		expect(panel.manages).toBe(false);
		expect(panel.statements).toEqual([expect.objectContaining({ party: 'family', partyText: null, redactedText: 'The class teacher and another child' })]);
		expect(panel.papers.map((p) => p.name)).toEqual(['shared.pdf']);
		expect(JSON.stringify(panel)).not.toMatch(/Allen|Tom|Brook|held\.pdf/);
		const file = await downloadPaper(db, people.member, caseId, shared);
		expect(Buffer.from(file.content).equals(Buffer.from(PDF))).toBe(true);
		await refused(downloadPaper(db, people.member, caseId, held), 'FORBIDDEN');
		expect((await downloadPaper(db, people.sendiass, caseId, held)).name).toBe('held.pdf');

		for (const who of ['conflicted', 'unbooked', 'head', 'senco', 'pcfRep', 'oxfordSendiass', 'councilOfficer'] as const) {
			await refused(openPapers(db, people[who], caseId), 'FORBIDDEN');
			await refused(downloadPaper(db, people[who], caseId, shared), 'FORBIDDEN');
		}
		const log = await views(caseId);
		expect(log.slice(0, 5)).toEqual([
			{ viewer_id: people.sendiass.id, what: 'positions and papers', allowed: true },
			{ viewer_id: people.member.id, what: 'positions and papers', allowed: true },
			{ viewer_id: people.member.id, what: `paper ${shared} (download)`, allowed: true },
			{ viewer_id: people.member.id, what: `paper ${held} (download)`, allowed: false },
			{ viewer_id: people.sendiass.id, what: `paper ${held} (download)`, allowed: true }
		]);
		expect(log.slice(5)).toHaveLength(14);
		expect(log.slice(5).every((l) => !l.allowed)).toBe(true);

		// Before booking, the member sees nothing (the case's details window); a paper of another case is not found.
		await db.updateTable('dispute_case').set({ status: 'scheduling' }).where('id', '=', caseId).execute();
		await refused(openPapers(db, people.member, caseId), 'FORBIDDEN');
		const other = await aCase();
		await refused(downloadPaper(db, people.sendiass, other, shared), 'NOT_FOUND');
	});
});

describe('replacing and withdrawing papers before the panel meets', () => {
	const audited = (caseId: number) =>
		db.selectFrom('audit_log').select(['action', 'actor_id', 'detail', 'created_at']).where('subject_type', '=', 'dispute_case').where('subject_id', '=', caseId).orderBy('id').execute();

	it('lets the officer acting for a party replace a shared paper: the new version waits for its redaction check, the panel no longer sees the earlier one, the audit names who and when without content', async () => {
		const caseId = await aCase();
		const first = (await uploadPaper(db, people.sendiass, { caseId, party: 'family', description: 'Letter about Tom' }, { name: 'allen-letter.pdf', content: PDF })).id;
		await sharePaper(db, people.sendiass, { caseId, paperId: first, redactionChecked: true });
		expect((await openPapers(db, people.member, caseId)).papers.map((p) => p.id)).toEqual([first]);

		const { id: second } = await replacePaper(db, people.sendiass, { caseId, paperId: first, description: 'Letter, second version' }, { name: 'letter-v2.png', content: PNG });
		expect(second).not.toBe(first);
		// The earlier version is gone; the new one is not shared until it is checked and shared, as any upload.
		expect(await db.selectFrom('dispute_paper').select(['id', 'party', 'name', 'redacted', 'shared_at']).where('case_id', '=', caseId).execute()).toEqual([
			{ id: second, party: 'family', name: 'letter-v2.png', redacted: false, shared_at: null }
		]);
		expect((await openPapers(db, people.member, caseId)).papers).toEqual([]);
		await refused(downloadPaper(db, people.sendiass, caseId, first), 'NOT_FOUND');
		await refused(downloadPaper(db, people.member, caseId, first), 'FORBIDDEN');
		await refused(downloadPaper(db, people.member, caseId, second), 'FORBIDDEN');
		await sharePaper(db, people.sendiass, { caseId, paperId: second, redactionChecked: true });
		expect((await openPapers(db, people.member, caseId)).papers.map((p) => p.name)).toEqual(['letter-v2.png']);

		const replaced = (await audited(caseId)).find((a) => a.action === 'disputes.paper_replaced');
		expect(replaced).toMatchObject({ actor_id: people.sendiass.id, detail: { paperId: first, replacedBy: second, party: 'family', wasShared: true } });
		expect(replaced?.created_at).toBeInstanceOf(Date);
		expect(JSON.stringify(await audited(caseId))).not.toMatch(/Tom|allen|letter-v2/i);
		// The booked, non-conflicted member is told it changed; the conflicted one is not.
		const told = await db.selectFrom('notification').select('user_id').where('link', '=', `/disputes/${caseId}/papers`).where('title', 'like', 'A paper was replaced%').execute();
		expect(told.map((n) => n.user_id)).toEqual([people.member.id]);
	});

	it('lets the officer withdraw a paper and a statement; nobody else sees them after, and the audit records it', async () => {
		const caseId = await aCase();
		const paperId = (await uploadPaper(db, people.sendiass, { caseId, party: 'setting' }, { name: 'timetable.png', content: PNG })).id;
		await sharePaper(db, people.sendiass, { caseId, paperId, redactionChecked: true });
		await saveStatement(db, people.sendiass, statement(caseId, 'setting', 0, 'Ms Brook was off sick', 'An assistant was off sick'));
		await shareStatement(db, people.sendiass, { caseId, party: 'setting', version: 1 });

		expect(await withdrawPaper(db, people.sendiass, { caseId, paperId })).toEqual({ withdrawn: true });
		await refused(withdrawStatement(db, people.sendiass, { caseId, party: 'setting', version: 2 }), 'CONFLICT');
		expect(await withdrawStatement(db, people.sendiass, { caseId, party: 'setting', version: 1 })).toEqual({ withdrawn: true });
		const panel = await openPapers(db, people.member, caseId);
		expect(panel.papers).toEqual([]);
		expect(panel.statements).toEqual([]);
		// Withdrawing again is refused, saying who withdrew it.
		await refused(withdrawPaper(db, people.sendiass, { caseId, paperId }), 'CONFLICT', /Sunita Sendiass withdrew it on .*no longer on the case/);
		await refused(withdrawStatement(db, people.sendiass, { caseId, party: 'setting', version: 1 }), 'NOT_FOUND');
		const audit = await audited(caseId);
		expect(audit.filter((a) => a.action.endsWith('_withdrawn')).map((a) => [a.action, a.actor_id, a.detail])).toEqual([
			['disputes.paper_withdrawn', people.sendiass.id, expect.objectContaining({ paperId, party: 'setting', wasShared: true })],
			['disputes.statement_withdrawn', people.sendiass.id, expect.objectContaining({ party: 'setting', version: 1, wasShared: true })]
		]);
		expect(JSON.stringify(audit)).not.toMatch(/Brook|assistant|timetable/);
	});

	it('refuses the other party, the panel and another district’s officer, writing nothing', async () => {
		const caseId = await aCase();
		const paperId = (await uploadPaper(db, people.sendiass, { caseId, party: 'family' }, { name: 'letter.pdf', content: PDF })).id;
		await saveStatement(db, people.sendiass, statement(caseId, 'family', 0, 'As given'));
		const before = await written();
		// The school's head and SENCO are the other party to the family's papers; Oxford's officer runs another district.
		for (const who of NOT_OFFICERS) {
			await refused(replacePaper(db, people[who], { caseId, paperId }, { name: 'mine.pdf', content: PDF }), 'FORBIDDEN');
			await refused(withdrawPaper(db, people[who], { caseId, paperId }), 'FORBIDDEN');
			await refused(withdrawStatement(db, people[who], { caseId, party: 'family', version: 1 }), 'FORBIDDEN');
		}
		const oxford = await refused(replacePaper(db, people.oxfordSendiass, { caseId, paperId }, { name: 'mine.pdf', content: PDF }), 'FORBIDDEN');
		expect(oxford.message).toMatch(/Cherwell/);
		expect(await written()).toBe(before);
		expect(await db.selectFrom('dispute_paper').select('name').where('id', '=', paperId).executeTakeFirstOrThrow()).toEqual({ name: 'letter.pdf' });
		// A paper of another case is not found through this one.
		const other = await aCase();
		await refused(withdrawPaper(db, people.sendiass, { caseId: other, paperId }), 'NOT_FOUND');
	});

	it('freezes statements and papers once the meeting has begun or the panel has met, saying why', async () => {
		// A case whose meeting is booked for tomorrow.
		const { id: caseId } = await insertCase(db, ids, { status: 'booked', family_agreed_at: new Date(), setting_agreed_at: new Date() });
		await insertPoll(db, caseId, { memberIds: [people.member.id], startsAt: new Date(Date.now() + 86_400_000) });
		const paperId = (await uploadPaper(db, people.sendiass, { caseId, party: 'family' }, { name: 'letter.pdf', content: PDF })).id;
		await saveStatement(db, people.sendiass, statement(caseId, 'family', 0, 'As given', 'Redacted'));
		// Until it begins, still open.
		expect((await openPapers(db, people.sendiass, caseId)).frozen).toBeNull();
		const before = await written();
		const tomorrowPlus = new Date(Date.now() + 2 * 86_400_000);
		const begun = await refused(replacePaper(db, people.sendiass, { caseId, paperId }, { name: 'v2.pdf', content: PDF }, tomorrowPlus), 'BAD_REQUEST');
		expect(begun.message).toMatch(/meeting began on .*frozen/);
		await refused(withdrawPaper(db, people.sendiass, { caseId, paperId }, tomorrowPlus), 'BAD_REQUEST');
		await refused(withdrawStatement(db, people.sendiass, { caseId, party: 'family', version: 1 }, tomorrowPlus), 'BAD_REQUEST');
		await refused(saveStatement(db, people.sendiass, statement(caseId, 'family', 1, 'Changed'), tomorrowPlus), 'BAD_REQUEST');
		await refused(uploadPaper(db, people.sendiass, { caseId, party: 'family' }, { name: 'late.pdf', content: PDF }, tomorrowPlus), 'BAD_REQUEST');
		expect((await openPapers(db, people.sendiass, caseId, tomorrowPlus)).frozen).toMatch(/frozen/);

		await db.updateTable('dispute_case').set({ status: 'met' }).where('id', '=', caseId).execute();
		const met = await refused(withdrawPaper(db, people.sendiass, { caseId, paperId }), 'BAD_REQUEST');
		expect(met.message).toMatch(/The panel has met, so the statements and papers are frozen/);
		expect(await written()).toBe(before);
	});

	it('checks a replacement as any upload: nothing chosen, empty, too large or the wrong type is a field error', async () => {
		const caseId = await aCase();
		const paperId = (await uploadPaper(db, people.sendiass, { caseId, party: 'family' }, { name: 'letter.pdf', content: PDF })).id;
		const before = await written();
		const big = new Uint8Array(PAPER_MAX_BYTES + 1);
		big.set(PDF);
		const cases: [{ name: string; content: Uint8Array } | null, RegExp][] = [
			[null, /Select a file/],
			[{ name: 'empty.pdf', content: new Uint8Array() }, /empty/],
			[{ name: 'big.pdf', content: big }, /smaller than 5 MB/],
			[{ name: 'letter.pdf', content: HTML }, /PDF, Word document, PNG or JPEG/]
		];
		for (const [file, message] of cases) {
			const bad = await refused(replacePaper(db, people.sendiass, { caseId, paperId }, file), 'BAD_REQUEST');
			expect(bad.fieldErrors?.file?.[0]).toMatch(message);
		}
		expect((await refused(replacePaper(db, people.sendiass, { caseId, paperId: 'one' }, { name: 'a.pdf', content: PDF }), 'BAD_REQUEST')).fieldErrors).toHaveProperty('paperId');
		expect((await refused(replacePaper(db, people.sendiass, { caseId, paperId, description: 'x'.repeat(301) }, { name: 'a.pdf', content: PDF }), 'BAD_REQUEST')).fieldErrors).toHaveProperty('description');
		expect((await refused(withdrawStatement(db, people.sendiass, { caseId, party: 'council', version: 1 }), 'BAD_REQUEST')).fieldErrors).toHaveProperty('party');
		expect(await written()).toBe(before);
	});
});

describe('two writes to one paper at once, and double submits', () => {
	const outcome = <T>(work: Promise<T>) => work.then((value) => ({ value, error: null }), (error: unknown) => ({ value: null, error: error as Error }));
	const paperChanges = (caseId: number) =>
		db.selectFrom('audit_log').select('action').where('subject_type', '=', 'dispute_case').where('subject_id', '=', caseId).where('action', 'in', ['disputes.paper_replaced', 'disputes.paper_withdrawn']).execute();

	it('replacing and withdrawing the same paper at once: one wins, the other is refused saying who did what, in either order', async () => {
		for (const replaceFirst of [true, false]) {
			const caseId = await aCase();
			const paperId = (await uploadPaper(db, people.sendiass, { caseId, party: 'family' }, { name: 'letter.pdf', content: PDF })).id;
			const replace = () => replacePaper(db, people.sendiass, { caseId, paperId }, { name: 'v2.pdf', content: PDF });
			const withdraw = () => withdrawPaper(db, people.secondSendiass, { caseId, paperId });
			const [replaced, withdrawn] = replaceFirst ? await Promise.all([outcome(replace()), outcome(withdraw())]) : (await Promise.all([outcome(withdraw()), outcome(replace())])).reverse();
			// Exactly one of them happened.
			expect([replaced.error, withdrawn.error].filter((e) => e === null)).toHaveLength(1);
			const loser = replaced.error ?? withdrawn.error;
			expect(loser).toMatchObject({ code: 'CONFLICT' });
			expect(loser?.message).toMatch(replaced.error ? /Selma Second withdrew it on .*no longer on the case/ : /Sunita Sendiass replaced it with a new version on .*no longer on the case/);
			expect(await paperChanges(caseId)).toHaveLength(1);
			const left = await db.selectFrom('dispute_paper').select('name').where('case_id', '=', caseId).execute();
			expect(left).toEqual(replaced.error ? [] : [{ name: 'v2.pdf' }]);
		}
	});

	it('a replace or withdraw posted twice with the same form token has one effect, and the repeat gets the first answer', async () => {
		const caseId = await aCase();
		const paperId = (await uploadPaper(db, people.sendiass, { caseId, party: 'family' }, { name: 'letter.pdf', content: PDF })).id;
		const asPost = <T>(token: string, form: string, run: () => Promise<T>) => withFormPost({ token, form, fingerprint: 'same fields', userId: people.sendiass.id }, run).result;
		const replaceToken = crypto.randomUUID();
		const replace = () => asPost(replaceToken, '/(app)/disputes/[id]/papers replacePaper', () => replacePaper(db, people.sendiass, { caseId, paperId }, { name: 'v2.pdf', content: PDF }));
		const [first, second] = await Promise.all([replace(), replace()]);
		expect(second).toEqual(first);
		expect(await replace()).toEqual(first);
		expect(await db.selectFrom('dispute_paper').select('id').where('case_id', '=', caseId).execute()).toEqual([{ id: first.id }]);

		const withdrawToken = crypto.randomUUID();
		const withdraw = () => asPost(withdrawToken, '/(app)/disputes/[id]/papers withdrawPaper', () => withdrawPaper(db, people.sendiass, { caseId, paperId: first.id }));
		expect(await Promise.all([withdraw(), withdraw()])).toEqual([{ withdrawn: true }, { withdrawn: true }]);
		expect(await withdraw()).toEqual({ withdrawn: true });
		expect((await paperChanges(caseId)).map((a) => a.action)).toEqual(['disputes.paper_replaced', 'disputes.paper_withdrawn']);
		// A fresh render of the form (a new token) is a new post: the paper is gone, and it says so.
		await refused(asPost(crypto.randomUUID(), '/(app)/disputes/[id]/papers withdrawPaper', () => withdrawPaper(db, people.sendiass, { caseId, paperId: first.id })), 'CONFLICT', /withdrew it/);
	});
});

describe('subject access and retention', () => {
	it('exports each party’s statement with third parties redacted (held back until redacted), and the papers held', async () => {
		const caseId = await aCase();
		await saveStatement(db, people.sendiass, statement(caseId, 'family', 0, 'Mrs Allen and Tom', 'The class teacher and another child'));
		await saveStatement(db, people.sendiass, statement(caseId, 'setting', 0, 'Ms Brook was off sick'));
		await uploadPaper(db, people.sendiass, { caseId, party: 'setting', description: 'Attendance record' }, { name: 'attendance.png', content: PNG });
		const json = JSON.parse((await subjectAccessExport(db, people.sendiass, caseId, 'json')).body);
		expect(json.statements).toEqual([
			{ party: 'The family', statement: 'The class teacher and another child', shared: false },
			{ party: 'The school or setting', statement: STATEMENT_NOT_REDACTED, shared: false }
		]);
		expect(json.papers).toEqual([expect.objectContaining({ party: 'The school or setting', type: 'PNG image', description: 'Attendance record', shared: false })]);
		const body = (await subjectAccessExport(db, people.sendiass, caseId, 'csv')).body;
		expect(body).not.toMatch(/Allen|Tom|Brook/);
		const csv = parse(body) as string[][];
		expect(csv).toContainEqual(['Position statement', 'The family', 'The class teacher and another child']);
	});

	it('removes the statements’ text and the papers when a closed case is anonymised, but not under a legal hold', async () => {
		const longAgo = new Date(Date.now() - 3 * 365 * 86_400_000);
		const free = await aCase();
		const held = await aCase();
		for (const caseId of [free, held]) {
			await saveStatement(db, people.sendiass, statement(caseId, 'family', 0, 'Mrs Allen and Tom', 'The class teacher'));
			await uploadPaper(db, people.sendiass, { caseId, party: 'family' }, { name: 'letter.pdf', content: PDF });
		}
		await db.updateTable('dispute_case').set({ status: 'closed', status_changed_at: longAgo }).where('id', 'in', [free, held]).execute();
		await db.updateTable('dispute_case').set({ legal_hold: 'tribunal', legal_hold_reason: 'Appeal lodged' }).where('id', '=', held).execute();
		await runDisputesDaily(db);
		expect(await db.selectFrom('dispute_statement').select(['party_text', 'redacted_text']).where('case_id', '=', free).execute()).toEqual([{ party_text: '', redacted_text: '' }]);
		expect(await db.selectFrom('dispute_paper').select('id').where('case_id', '=', free).execute()).toEqual([]);
		expect(await db.selectFrom('dispute_statement').select('party_text').where('case_id', '=', held).execute()).toEqual([{ party_text: 'Mrs Allen and Tom' }]);
		expect(await db.selectFrom('dispute_paper').select('id').where('case_id', '=', held).execute()).toHaveLength(1);
		// An anonymised case's papers cannot be added again.
		await refused(uploadPaper(db, people.sendiass, { caseId: free, party: 'family' }, { name: 'again.pdf', content: PDF }), 'BAD_REQUEST');
		const page = await openPapers(db, people.sendiass, free);
		expect(page).toMatchObject({ anonymised: true, open: false, papers: [] });
	});
});
