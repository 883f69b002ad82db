import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { acceptGrant, approveClaim, claimGrant, downloadGrantLetter, endOffer, grantPage, offerGrant } from '../../src/lib/server/capital/grant';
import { moneyFixture, refused, type MoneyFixture } from './capital-money-fixture';

// The early years grant after the decision against a real PostgreSQL: who may offer, accept,
// claim and approve (each both ways), the money checked under the money module's locks (two
// offers racing for the last of a line), accepting twice, evidence required, the letter logged.

let test: TestDatabase;
let db: Database;
let f: MoneyFixture;
let nursery: number;
let manager: Actor;
let senco: Actor;
let otherManager: Actor;

const PDF = new Uint8Array([...Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')]);
const evidence = { name: 'invoice.pdf', content: PDF };

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	f = await moneyFixture(db);
	const locality = await db.selectFrom('setting').select('cluster_id').where('id', '=', f.settings.west).executeTakeFirstOrThrow();
	const setting = (name: string, urn: string) =>
		db.insertInto('setting').values({ urn, name, phase: 'early_years', setting_type: 'day nursery', town: 'Witney', pupil_count: 40, cluster_id: locality.cluster_id }).returning('id').executeTakeFirstOrThrow().then((r) => r.id);
	nursery = await setting('Little Acorns Nursery', 'EY9001');
	const otherNursery = await setting('Bluebell Pre-school', 'EY9002');
	const person = async (name: string, settingId: number, role: 'headteacher' | 'senco') => {
		const { id } = await db.insertInto('app_user').values({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` }).returning('id').executeTakeFirstOrThrow();
		await db.insertInto('setting_membership').values({ user_id: id, setting_id: settingId, role }).execute();
		return (await loadActor(db, id))!;
	};
	manager = await person('Mina Manager', nursery, 'headteacher');
	senco = await person('Sam Senco', nursery, 'senco');
	otherManager = await person('Bea Bluebell', otherNursery, 'headteacher');
	await db.updateTable('capital_line').set({ max_per_base_pence: 10_000_00 }).where('id', '=', f.lines.earlyYears).execute();
});

afterAll(async () => {
	await test?.close();
});

async function assessing(requestedPence = 10_000_00): Promise<number> {
	const id = await f.application({ stage: 'in_assessment', requestedPence });
	await db.updateTable('capital_application').set({ setting_id: nursery }).where('id', '=', id).execute();
	return id;
}
const versionOf = async (id: number) => (await db.selectFrom('capital_application').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
const offer = async (id: number, actor = f.officer, over: Record<string, unknown> = {}) =>
	offerGrant(db, actor, { applicationId: id, version: await versionOf(id), amountPence: 9_500_00, sourceId: f.sources.tranche1, year: 2026, conditions: 'Spend it on the base.', reason: 'Assessed: meets the criteria', ...over });
const accept = (id: number, offerId: number, actor = manager, over: Record<string, unknown> = {}) =>
	acceptGrant(db, actor, { applicationId: id, offerId, letterVersion: 1, otherAssistancePence: 0, declare: true, ...over });
const stageOf = async (id: number) => (await db.selectFrom('capital_application').select('stage').where('id', '=', id).executeTakeFirstOrThrow()).stage;

describe('offering a grant', () => {
	it('an officer offers within the cap and confirmed money: the commitment is made through the money module, the letter is version 1, the timeline and rooms are told', async () => {
		const id = await assessing();
		const { offerId, letterVersion } = await offer(id);
		expect(letterVersion).toBe(1);
		expect(await stageOf(id)).toBe('grant_offered');
		const commitment = await db.selectFrom('capital_commitment').select(['amount_pence', 'kind', 'created_by']).where('application_id', '=', id).executeTakeFirstOrThrow();
		expect(commitment).toEqual({ amount_pence: 9_500_00, kind: 'committed', created_by: f.officer.id });
		const audit = await db.selectFrom('audit_log').select(['action', 'reason']).where('subject_id', '=', id).where('action', '=', 'capital.grant_offered').executeTakeFirstOrThrow();
		expect(audit.reason).toBe('Assessed: meets the criteria');
		const events = await db.selectFrom('live_event').select(['kind', 'payload']).where('kind', 'in', ['application.changed', 'capital.changed']).execute();
		expect(events.map((e) => e.payload)).toContainEqual({ subject: 'application', id, version: await versionOf(id) });
		expect(events.map((e) => e.payload)).toContainEqual({ applicationId: id, version: await versionOf(id), section: null });
		const page = await grantPage(db, manager, id);
		expect(page.liveOfferId).toBe(offerId);
		expect(page.may).toMatchObject({ offer: false, accept: true, claim: false });
	});

	it('over the £10,000 cap, over what was asked, an assumed source, or past the line’s allocation: field errors, nothing written', async () => {
		const id = await assessing(8_000_00);
		const cap = await refused(offer(id, f.officer, { amountPence: 10_000_01 }), 'BAD_REQUEST');
		expect(cap.fieldErrors?.amountPence?.[0]).toBe('Early years support base grants are at most £10,000 per base; £10,000.01 is over that.');
		const asked = await refused(offer(id, f.officer, { amountPence: 9_000_00 }), 'BAD_REQUEST');
		expect(asked.fieldErrors?.amountPence?.[0]).toBe('The setting asked for £8,000; the offer cannot be more than that.');
		const assumed = await refused(offer(id, f.officer, { amountPence: 8_000_00, sourceId: f.sources.tranche2, year: 2027 }), 'BAD_REQUEST');
		expect(assumed.fieldErrors?.sourceId?.[0]).toContain('assumed, not confirmed');
		const line = await db.selectFrom('capital_line').select('allocation_pence').where('id', '=', f.lines.earlyYears).executeTakeFirstOrThrow();
		await db.updateTable('capital_line').set({ allocation_pence: 1 }).where('id', '=', f.lines.earlyYears).execute();
		const money = await refused(offer(id, f.officer, { amountPence: 8_000_00 }), 'BAD_REQUEST');
		expect(money.fieldErrors?.amountPence?.[0]).toContain('of its allocation left');
		await db.updateTable('capital_line').set({ allocation_pence: line.allocation_pence }).where('id', '=', f.lines.earlyYears).execute();
		expect(await stageOf(id)).toBe('in_assessment');
		expect(await db.selectFrom('capital_grant_offer').select('id').where('application_id', '=', id).execute()).toEqual([]);
		expect(await db.selectFrom('capital_commitment').select('id').where('application_id', '=', id).execute()).toEqual([]);
	});

	it('only officers offer, never on a setting they work at; a stale page is a conflict', async () => {
		const id = await assessing();
		expect((await refused(offer(id, manager), 'FORBIDDEN')).message).toBe('Only council officers can move an application on.');
		await refused(offer(id, f.officer, { version: 99 }), 'CONFLICT');
		await offer(id, f.secondOfficer);
	});

	it('two offers racing for the last of the line’s allocation in two connections: one is refused under the money module’s locks', async () => {
		const committed = await db.selectFrom('capital_commitment').select((eb) => eb.fn.sum<string>('amount_pence').as('n')).where('line_id', '=', f.lines.earlyYears).where('kind', '=', 'committed').executeTakeFirstOrThrow();
		const before = await db.selectFrom('capital_line').select('allocation_pence').where('id', '=', f.lines.earlyYears).executeTakeFirstOrThrow();
		await db.updateTable('capital_line').set({ allocation_pence: Number(committed.n ?? 0) + 15_000_00 }).where('id', '=', f.lines.earlyYears).execute();
		const a = await assessing();
		const b = await assessing();
		const results = await Promise.allSettled([offer(a, f.officer, { amountPence: 9_000_00 }), offer(b, f.secondOfficer, { amountPence: 9_000_00 })]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const failed = results.find((r) => r.status === 'rejected');
		expect(String((failed as PromiseRejectedResult).reason.message)).toContain('of its allocation left');
		await db.updateTable('capital_line').set({ allocation_pence: before.allocation_pence }).where('id', '=', f.lines.earlyYears).execute();
	});
});

describe('accepting, claiming and approving', () => {
	it('the nursery’s owner or manager accepts with the declaration; a SENCO and another setting’s manager cannot; accepting twice is harmless', async () => {
		const id = await assessing();
		const { offerId } = await offer(id);
		expect((await refused(accept(id, offerId, senco), 'FORBIDDEN')).message).toBe('Only the owner or manager of Little Acorns Nursery can sign for it in that capacity.');
		expect((await refused(accept(id, offerId, otherManager), 'FORBIDDEN')).message).toBe('Only the owner or manager of Little Acorns Nursery can sign for it in that capacity.');
		await refused(accept(id, offerId, f.officer), 'FORBIDDEN');
		const noDeclaration = await refused(accept(id, offerId, manager, { declare: '' }), 'BAD_REQUEST');
		expect(noDeclaration.fieldErrors?.declare).toEqual(['Confirm the subsidy-control declaration']);
		const over = await refused(accept(id, offerId, manager, { otherAssistancePence: 310_000_00 }), 'BAD_REQUEST');
		expect(over.fieldErrors?.otherAssistancePence?.[0]).toContain('over the £315,000 limit');
		const first = await accept(id, offerId);
		expect(first.changed).toBe(true);
		const second = await accept(id, offerId);
		expect(second).toEqual({ version: first.version, changed: false });
		const row = await db.selectFrom('capital_grant_offer').select(['status', 'accepted_by', 'accepted_as', 'declaration']).where('id', '=', offerId).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ status: 'accepted', accepted_by: manager.id, accepted_as: 'owner_manager', declaration: { letterVersion: 1, otherAssistancePence: 0 } });
		expect(await db.selectFrom('audit_log').select('id').where('subject_id', '=', id).where('action', '=', 'capital.grant_accepted').execute()).toHaveLength(1);
	});

	it('a claim needs evidence of an allowed type and at most the offer; another setting’s staff cannot claim; the SENCO can', async () => {
		const id = await assessing();
		const { offerId } = await offer(id);
		const early = await refused(claimGrant(db, manager, { applicationId: id, offerId, amountPence: 100_00, note: 'Soft play' }, evidence), 'BAD_REQUEST');
		expect(early.fieldErrors?.amountPence).toEqual(['Accept the offer before claiming the grant.']);
		await accept(id, offerId);
		const none = await refused(claimGrant(db, manager, { applicationId: id, offerId, amountPence: 100_00, note: 'Soft play' }, null), 'BAD_REQUEST');
		expect(none.fieldErrors?.file).toEqual(['Attach evidence of spend (an invoice or receipt)']);
		const html = await refused(claimGrant(db, manager, { applicationId: id, offerId, amountPence: 100_00, note: 'Soft play' }, { name: 'invoice.pdf', content: new TextEncoder().encode('<html><script>x</script></html>') }), 'BAD_REQUEST');
		expect(html.fieldErrors?.file?.[0]).toContain('The selected file must be a');
		const tooMuch = await refused(claimGrant(db, manager, { applicationId: id, offerId, amountPence: 9_600_00, note: 'Soft play' }, evidence), 'BAD_REQUEST');
		expect(tooMuch.fieldErrors?.amountPence).toEqual(['The grant offered is £9,500; you cannot claim more than that.']);
		await refused(claimGrant(db, otherManager, { applicationId: id, offerId, amountPence: 100_00, note: 'Soft play' }, evidence), 'FORBIDDEN');
		await claimGrant(db, senco, { applicationId: id, offerId, amountPence: 9_400_00, note: 'Soft play and a sensory corner' }, evidence);
		expect(await stageOf(id)).toBe('claimed');
	});

	it('nobody approves a claim on an offer they made; another officer does, which records the spend and opens the base', async () => {
		const id = await assessing();
		const { offerId } = await offer(id, f.officer);
		await accept(id, offerId);
		await claimGrant(db, manager, { applicationId: id, offerId, amountPence: 9_500_00, note: 'Soft play' }, evidence);
		expect((await refused(approveClaim(db, f.officer, { applicationId: id, offerId, reason: 'Invoice checked' }), 'FORBIDDEN')).message).toBe('You made this offer, so another officer must approve the claim.');
		await refused(approveClaim(db, manager, { applicationId: id, offerId, reason: 'Invoice checked' }), 'FORBIDDEN');
		expect((await grantPage(db, f.officer, id)).why.approve).toBe('You made this offer, so another officer must approve the claim.');
		const { spendId } = await approveClaim(db, f.secondOfficer, { applicationId: id, offerId, reason: 'Invoice checked' });
		expect(await stageOf(id)).toBe('open');
		const spend = await db.selectFrom('capital_spend').select(['amount_pence', 'recorded_by']).where('id', '=', spendId).executeTakeFirstOrThrow();
		expect(spend).toEqual({ amount_pence: 9_500_00, recorded_by: f.secondOfficer.id });
		await refused(approveClaim(db, f.secondOfficer, { applicationId: id, offerId, reason: 'Again' }), 'BAD_REQUEST');
	});
});

describe('ending an offer and the letter', () => {
	it('an officer withdraws an offer with a reason: the money is released, the application can be offered again as letter version 2', async () => {
		const id = await assessing();
		const { offerId } = await offer(id);
		await refused(endOffer(db, manager, { applicationId: id, offerId, ending: 'withdrawn', reason: 'x' }), 'FORBIDDEN');
		const noReason = await refused(endOffer(db, f.officer, { applicationId: id, offerId, ending: 'lapsed', reason: '' }), 'BAD_REQUEST');
		expect(noReason.fieldErrors?.reason).toEqual(['Say why the offer ends']);
		await endOffer(db, f.officer, { applicationId: id, offerId, ending: 'lapsed', reason: 'Not accepted in three months' });
		expect(await stageOf(id)).toBe('in_assessment');
		expect(await db.selectFrom('capital_commitment').select('id').where('application_id', '=', id).execute()).toEqual([]);
		await refused(accept(id, offerId), 'BAD_REQUEST');
		const again = await offer(id, f.officer, { amountPence: 9_000_00 });
		expect(again.letterVersion).toBe(2);
		await refused(accept(id, again.offerId), 'CONFLICT');
	});

	it('the letter downloads as a PDF for the setting and officers, each look logged; others are refused', async () => {
		const id = await assessing();
		const { offerId } = await offer(id);
		const letter = await downloadGrantLetter(db, manager, id, offerId);
		expect(letter.content.subarray(0, 5).toString()).toBe('%PDF-');
		expect(letter.name).toMatch(/^grant-letter-CAP-TEST-\d+-v1\.pdf$/);
		await downloadGrantLetter(db, f.secondOfficer, id, offerId);
		await refused(downloadGrantLetter(db, otherManager, id, offerId), 'FORBIDDEN');
		const looks = await db.selectFrom('capital_grant_letter_download').select('user_id').where('offer_id', '=', offerId).orderBy('id').execute();
		expect(looks.map((l) => l.user_id)).toEqual([manager.id, f.secondOfficer.id]);
	});
});
