import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { approveEdition, createEdition, deliverPoint, saveEdition, withdrawPoint } from '../../src/lib/server/pcf/commands';
import { editionPage, editionsFor, publicEdition, publicEditions } from '../../src/lib/server/pcf/editions';
import { youSaidWeDidFeed } from '../../src/lib/server/pcf/feed';
import { ConfirmationUnusable, confirmSubscription, confirmationByToken, subscribe, unsubscribe } from '../../src/lib/server/pcf/subscriptions';
import { sweepExpiredRows } from '../../src/lib/server/retention';
import { countingStatements } from './statements';
import { withFormPost } from '../../src/lib/server/form-posts';
import type { DomainError } from '../../src/lib/server/errors';
import { actors, db, expectRefusal, ids, usePcfCounty } from './pcf-fixture';
import { ukToday } from '../../src/lib/dates';
import { backendPid, waitingFor } from './locks';

// "You said, we did" editions and families' subscriptions against a real PostgreSQL: who drafts,
// co-edits and approves an edition (never another district's representative; an officer alone
// never publishes), a stale save refused, the public pages reading published editions only,
// double opt-in (single-use, expiring links; asking twice harmless and saying nothing), unsubscribing
// deleting the address, and publishing mailing every subscriber in the same statements however many.

usePcfCounty();

const TODAY = ukToday();
const AGO = (days: number) => new Date(Date.parse(`${TODAY}T12:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
let networkAddress = 0;
/** Each call from its own network address, so the per-address throttle is not what a test is about. */
const ask = (email: string, districtId: number | null) => subscribe(db, { email, districtId }, `192.0.2.${++networkAddress % 250}`);
const editionInput = (over: Record<string, unknown> = {}) => ({
	districtId: ids.district,
	title: 'You said, we did: Cherwell autumn',
	periodFrom: AGO(30),
	periodTo: TODAY,
	introduction: 'What families told us this autumn, and what we did.',
	...over
});
const versionOf = async (id: number) => (await db.selectFrom('pcf_edition').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
const mailTo = (address: string) =>
	db.selectFrom('mail_outbox').select(['id', 'subject', 'body_text', 'list_unsubscribe']).where('to_address', '=', address).orderBy('id').execute();
const tokenIn = (body: string) => /\/you-said-we-did\/subscribe\/([a-z2-7]{32})/.exec(body)?.[1] ?? '';
const keyIn = (body: string) => /\/you-said-we-did\/unsubscribe\/([0-9a-f-]{36})/.exec(body)?.[1] ?? '';

describe('drafting and co-editing an edition', () => {
	it('is for the district’s representatives and officers, never another district’s representative or a SENCO', async () => {
		// A published, checked point in the period, so the edition has something to list.
		const point = await db
			.insertInto('pcf_point')
			.values({
				district_id: ids.district, bid_id: ids.bid, source: 'survey', heard_on: AGO(10), raised_count: 9, body: 'Families want to know who to ask about transport.',
				answer: 'will_change', answer_text: 'Each setting will name a contact.', answered_by: ids.officer, answered_at: new Date(), answer_published_at: new Date(),
				officer_checked_by: ids.officer, officer_checked_at: new Date(), lead_checked_by: ids.pcfLead, lead_checked_at: new Date(), public_at: new Date(), public_changed_at: new Date()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await db.insertInto('pcf_point_theme').values({ point_id: point.id, theme_id: ids.transport }).execute();
		ids.editionPoint = point.id;

		await expectRefusal(createEdition(db, actors.pcfOxford, editionInput()), 'FORBIDDEN', /Only the Cherwell PCF advisory group and council officers/);
		await expectRefusal(createEdition(db, actors.sencoMeadow, editionInput()), 'FORBIDDEN');
		expect(await db.selectFrom('pcf_edition').select('id').execute()).toHaveLength(0);
		ids.edition = (await createEdition(db, actors.pcf, editionInput())).editionId;
		await expectRefusal(editionPage(db, actors.pcfOxford, ids.edition), 'FORBIDDEN');
		await expectRefusal(editionsFor(db, actors.sencoMeadow, null), 'FORBIDDEN');
		expect((await editionsFor(db, actors.pcfOxford, null)).items).toHaveLength(0);
		expect((await editionsFor(db, actors.pcf, null)).items.map((e) => e.id)).toEqual([ids.edition]);
	});

	it('refuses bad input field by field, never a server error', async () => {
		const backwards = await expectRefusal(createEdition(db, actors.pcf, editionInput({ periodFrom: TODAY, periodTo: AGO(5) })), 'BAD_REQUEST');
		expect(Object.keys(backwards.fieldErrors ?? {})).toContain('periodTo');
		const empty = await expectRefusal(createEdition(db, actors.pcf, editionInput({ title: '  ', introduction: '' })), 'BAD_REQUEST');
		expect(Object.keys(empty.fieldErrors ?? {})).toEqual(expect.arrayContaining(['title', 'introduction']));
		await expectRefusal(createEdition(db, actors.pcf, editionInput({ districtId: ids.banbury })), 'BAD_REQUEST', /Choose a district/);
		await expectRefusal(saveEdition(db, actors.pcf, { editionId: ids.edition, version: 'x', ...editionInput() }), 'BAD_REQUEST');
	});

	it('is co-edited: a save from an older page is refused, naming who saved first', async () => {
		await saveEdition(db, actors.officer, { editionId: ids.edition, version: 0, ...editionInput({ introduction: 'What families told us, in plain words.' }) });
		await expectRefusal(saveEdition(db, actors.pcf, { editionId: ids.edition, version: 0, ...editionInput() }), 'CONFLICT', /Olive Officer changed this edition/);
		await expectRefusal(saveEdition(db, actors.pcfOxford, { editionId: ids.edition, version: 1, ...editionInput() }), 'FORBIDDEN', /Only the Cherwell/);
		await saveEdition(db, actors.pcf, { editionId: ids.edition, version: 1, ...editionInput({ title: 'You said, we did: Cherwell, autumn 2026' }) });
		expect(await versionOf(ids.edition)).toBe(2);
	});
});

describe('approving and publishing', () => {
	it('is unseen by the public while a draft', async () => {
		expect((await publicEditions(db, null)).items).toHaveLength(0);
		await expectRefusal(publicEdition(db, ids.edition), 'NOT_FOUND');
	});

	it('an officer alone cannot publish; a representative who is not the lead cannot give the PCF approval', async () => {
		await expectRefusal(approveEdition(db, actors.officer, { editionId: ids.edition, version: 2, as: 'lead' }), 'FORBIDDEN', /lead of the Cherwell/);
		await expectRefusal(approveEdition(db, actors.pcf, { editionId: ids.edition, version: 2, as: 'lead' }), 'FORBIDDEN', /lead of the Cherwell/);
		await expectRefusal(approveEdition(db, actors.pcfOxford, { editionId: ids.edition, version: 2, as: 'lead' }), 'FORBIDDEN');
		await expectRefusal(approveEdition(db, actors.pcfLead, { editionId: ids.edition, version: 2, as: 'officer' }), 'FORBIDDEN', /council officer/);
		expect(await approveEdition(db, actors.officer, { editionId: ids.edition, version: 2, as: 'officer' })).toEqual({ published: false });
		await expectRefusal(approveEdition(db, actors.officer2, { editionId: ids.edition, version: 3, as: 'officer' }), 'CONFLICT', /already been given/);
		expect((await publicEditions(db, null)).items).toHaveLength(0);
	});

	it('an approval is of the version read: a save asks for both again, and a stale approval is refused', async () => {
		await saveEdition(db, actors.pcf, { editionId: ids.edition, version: 3, ...editionInput({ title: 'You said, we did: Cherwell, autumn 2026' }) });
		const row = await db.selectFrom('pcf_edition').select(['officer_approved_at', 'version']).where('id', '=', ids.edition).executeTakeFirstOrThrow();
		expect(row.officer_approved_at).toBeNull();
		await expectRefusal(approveEdition(db, actors.pcfLead, { editionId: ids.edition, version: 3, as: 'lead' }), 'CONFLICT', /Pat Parent changed this edition/);
		expect(await approveEdition(db, actors.pcfLead, { editionId: ids.edition, version: row.version, as: 'lead' })).toEqual({ published: false });
		expect(await approveEdition(db, actors.officer, { editionId: ids.edition, version: row.version + 1, as: 'officer' })).toEqual({ published: true });
	});

	it('publishes it for anyone, listing the period’s published points by theme, with no names; then it stands', async () => {
		const { items } = await publicEditions(db, null);
		expect(items.map((e) => e.id)).toEqual([ids.edition]);
		const page = await publicEdition(db, ids.edition);
		expect(page.themes.map((t) => [t.theme, t.points.map((p) => p.id)])).toEqual([['Transport', [ids.editionPoint]]]);
		expect(JSON.stringify(page)).not.toMatch(/Pat Parent|Lena Lead-Rep|Olive Officer/);
		const version = await versionOf(ids.edition);
		await expectRefusal(saveEdition(db, actors.officer, { editionId: ids.edition, version, ...editionInput() }), 'FORBIDDEN', /no longer changed/);
		await expectRefusal(approveEdition(db, actors.officer2, { editionId: ids.edition, version, as: 'officer' }), 'FORBIDDEN', /already been published/);
		const history = await db.selectFrom('audit_log').select('action').where('subject_type', '=', 'pcf_edition').where('subject_id', '=', ids.edition).orderBy('id').execute();
		expect(history.map((h) => h.action)).toEqual(['pcf.edition_drafted', 'pcf.edition_saved', 'pcf.edition_saved', 'pcf.edition_approved', 'pcf.edition_saved', 'pcf.edition_approved', 'pcf.edition_published']);
	});
});

describe('a published edition is frozen', () => {
	const pointVersion = async (id: number) => (await db.selectFrom('pcf_point').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;

	it('keeps what it showed when a point is later delivered, re-themed and withdrawn; today’s public page and a new draft move on', async () => {
		const before = await publicEdition(db, ids.edition);
		const shown = before.themes[0].points[0];
		expect(shown).toMatchObject({ id: ids.editionPoint, answer: 'will_change', answerText: 'Each setting will name a contact.', deliveredOn: null, evidence: null });

		await deliverPoint(db, actors.officer, { pointId: ids.editionPoint, version: await pointVersion(ids.editionPoint), deliveredOn: TODAY, evidence: 'Contacts listed on every setting’s SEND page' });
		await db.updateTable('pcf_point_theme').set({ theme_id: ids.communication }).where('point_id', '=', ids.editionPoint).execute();
		await withdrawPoint(db, actors.officer, { pointId: ids.editionPoint, version: await pointVersion(ids.editionPoint), reason: 'A family recognised their setting from it' });

		// The public edition and its staff page read the copy made when it was published.
		expect(await publicEdition(db, ids.edition)).toEqual(before);
		expect((await editionPage(db, actors.pcf, ids.edition)).themes).toEqual(before.themes);
		// A draft for the same period lists the points as they stand now: the withdrawn one is gone.
		const { editionId: draft } = await createEdition(db, actors.pcf, editionInput({ title: 'After the withdrawal' }));
		expect((await editionPage(db, actors.pcf, draft)).themes).toEqual([]);
	});

	it('cannot be published without its copy', async () => {
		await expect(
			db.updateTable('pcf_edition').set({ points_snapshot: null }).where('id', '=', ids.edition).execute()
		).rejects.toThrow(/pcf_edition_snapshot/);
	});
});

describe('the Atom feed', () => {
	const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
	const field = (entry: string, pattern: RegExp) => unescape(pattern.exec(entry)?.[1] ?? '');
	/** The feed's entries, read the way a feed reader reads them. */
	function entriesOf(xml: string) {
		expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
		expect(xml.trimEnd().endsWith('</feed>')).toBe(true);
		return [...xml.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map(([, entry]) => ({
			id: field(entry, /<id>(.*?)<\/id>/),
			title: field(entry, /<title>(.*?)<\/title>/),
			updated: field(entry, /<updated>(.*?)<\/updated>/),
			link: field(entry, /<link rel="alternate" type="text\/html" href="(.*?)"\/>/),
			summary: field(entry, /<summary type="text">([\s\S]*?)<\/summary>/)
		}));
	}
	const everything = { districtId: null, clusterId: null, themeId: null, status: null };

	it('lists each published edition with its title, link, time and introduction, never a draft or a name', async () => {
		const published = await db.selectFrom('pcf_edition').select(['id', 'title', 'introduction', 'published_at']).where('published_at', 'is not', null).execute();
		expect(published.map((e) => e.id)).toEqual([ids.edition]);
		const xml = await youSaidWeDidFeed(db, everything, '');
		const entries = entriesOf(xml);
		const edition = entries.find((e) => e.link.endsWith(`/you-said-we-did/editions/${ids.edition}`));
		expect(edition).toEqual({
			id: edition?.link,
			title: `New edition: ${published[0].title}`,
			updated: published[0].published_at!.toISOString(),
			link: expect.stringMatching(/^https?:\/\/[^/]+\/you-said-we-did\/editions\/\d+$/),
			summary: expect.stringContaining(published[0].introduction)
		});
		expect(edition?.summary).toMatch(/^Cherwell, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\.\n/);
		expect(entries.filter((e) => e.link.includes('/editions/'))).toHaveLength(1);
		expect(entries.some((e) => e.title.includes('After the withdrawal'))).toBe(false);
		expect(xml).not.toMatch(/Pat Parent|Lena Lead-Rep|Olive Officer|Omar Oxford-Rep/);
		// Newest first, and the feed's own time is its newest entry's.
		const times = entries.map((e) => Date.parse(e.updated));
		expect(times).toEqual([...times].sort((a, b) => b - a));
		expect(/<feed[\s\S]*?<updated>(.*?)<\/updated>/.exec(xml)?.[1]).toBe(entries[0].updated);
	});

	it('follows the district filter (its editions and the county’s), and lists points only when filtered by theme', async () => {
		const oxford = entriesOf(await youSaidWeDidFeed(db, { ...everything, districtId: ids.oxford }, `?district=${ids.oxford}`));
		expect(oxford.some((e) => e.link.includes('/editions/'))).toBe(false);
		const cherwell = entriesOf(await youSaidWeDidFeed(db, { ...everything, districtId: ids.district }, `?district=${ids.district}`));
		expect(cherwell.filter((e) => e.link.includes('/editions/'))).toHaveLength(1);
		const byTheme = entriesOf(await youSaidWeDidFeed(db, { ...everything, themeId: ids.transport }, `?theme=${ids.transport}`));
		expect(byTheme.some((e) => e.link.includes('/editions/'))).toBe(false);
	});
});

describe('families’ email subscriptions', () => {
	it('need confirming by an emailed link that works once', async () => {
		expect(await ask('Parent.One@Example.org', ids.district)).toEqual({ ok: true });
		const [first] = await mailTo('parent.one@example.org');
		expect(first.subject).toMatch(/Confirm/);
		expect(first.list_unsubscribe).toMatch(/\/one-click$/);
		const token = tokenIn(first.body_text);
		expect(await confirmationByToken(db, token)).toEqual({ ok: true, districtName: 'Cherwell' });
		const row = await db.selectFrom('pcf_subscriber').selectAll().where('email', '=', 'parent.one@example.org').executeTakeFirstOrThrow();
		expect(row.confirmed_at).toBeNull();
		expect(row.confirm_token_hash).not.toBe(token);
		await confirmSubscription(db, token);
		await expect(confirmSubscription(db, token)).rejects.toEqual(new ConfirmationUnusable('used'));
		expect(await confirmationByToken(db, token)).toEqual({ ok: false, problem: 'used' });
		expect(await confirmationByToken(db, 'a'.repeat(32))).toEqual({ ok: false, problem: 'unknown' });
		expect(await confirmationByToken(db, '../etc')).toEqual({ ok: false, problem: 'unknown' });
	});

	it('asking twice is harmless and answers the same, whether or not the address is subscribed', async () => {
		expect(await ask('parent.one@example.org', ids.district)).toEqual({ ok: true });
		expect(await mailTo('parent.one@example.org')).toHaveLength(1);
		expect(await db.selectFrom('pcf_subscriber').select('id').where('email', '=', 'parent.one@example.org').execute()).toHaveLength(1);
		// Not yet confirmed: a fresh link, and the old one stops working.
		await ask('parent.two@example.org', null);
		await ask('parent.two@example.org', null);
		const mails = await mailTo('parent.two@example.org');
		expect(mails).toHaveLength(2);
		expect(await confirmationByToken(db, tokenIn(mails[0].body_text))).toEqual({ ok: false, problem: 'unknown' });
		expect(await confirmationByToken(db, tokenIn(mails[1].body_text))).toEqual({ ok: true, districtName: 'Oxfordshire' });
	});

	it('a link past its two days has expired, and the address is not kept', async () => {
		await ask('late@example.org', ids.oxford);
		const token = tokenIn((await mailTo('late@example.org'))[0].body_text);
		await db.updateTable('pcf_subscriber').set({ confirm_expires_at: new Date(Date.now() - 1000) }).where('email', '=', 'late@example.org').execute();
		expect(await confirmationByToken(db, token)).toEqual({ ok: false, problem: 'expired' });
		await expect(confirmSubscription(db, token)).rejects.toEqual(new ConfirmationUnusable('expired'));
		const far = new Date(0);
		await sweepExpiredRows(db, { liveEvent: far, sentMail: far, readNotification: far, closedApplicationEvidence: far, session: far, throttle: far, passwordReset: far, formToken: far, device: far, socketAttachment: far });
		expect(await db.selectFrom('pcf_subscriber').select('id').where('email', '=', 'late@example.org').execute()).toHaveLength(0);
	});

	it('refuses a bad address or district with a field error, and throttles one address silently', async () => {
		const bad = await expectRefusal(ask('not-an-address', ids.district), 'BAD_REQUEST');
		expect(Object.keys(bad.fieldErrors ?? {})).toContain('email');
		await expectRefusal(ask('ok@example.org', ids.banbury), 'BAD_REQUEST', /Choose a district/);
		for (let i = 0; i < 5; i += 1) expect(await ask('many@example.org', ids.district)).toEqual({ ok: true });
		expect(await mailTo('many@example.org')).toHaveLength(3);
		const sameNetwork = [];
		for (let i = 0; i < 12; i += 1) sameNetwork.push(await subscribe(db, { email: `n${i}@example.org`, districtId: null }, '198.51.100.7'));
		expect(sameNetwork.at(-1)).toEqual({ ok: false, retryAfterSeconds: expect.any(Number) });
	});

	it('unsubscribing deletes the address, and doing it again answers the same', async () => {
		const [mail] = await mailTo('parent.one@example.org');
		const key = keyIn(mail.body_text);
		await unsubscribe(db, key);
		expect(await db.selectFrom('pcf_subscriber').select('id').where('email', '=', 'parent.one@example.org').execute()).toHaveLength(0);
		await unsubscribe(db, key);
		await unsubscribe(db, 'not-a-key');
		const history = await db.selectFrom('audit_log').select(['action', 'detail']).where('subject_type', '=', 'pcf_subscriber').execute();
		expect(history.map((h) => h.action)).toContain('pcf.subscriber_removed');
		expect(JSON.stringify(history)).not.toMatch(/example\.org/);
	});
});

describe('publishing to subscribers', () => {
	async function confirmedSubscribers(prefix: string, count: number, districtId: number | null) {
		await sql`insert into pcf_subscriber (email, district_id, confirmed_at)
			select ${prefix} || n || '@example.net', ${districtId}::int, now() from generate_series(1, ${count}) n`.execute(db);
	}
	async function publishCounted(title: string): Promise<{ statements: number; editionId: number }> {
		const { editionId } = await createEdition(db, actors.pcf, editionInput({ title }));
		await approveEdition(db, actors.officer, { editionId, version: 0, as: 'officer' });
		const counted = countingStatements(db);
		await approveEdition(counted.db, actors.pcfLead, { editionId, version: 1, as: 'lead' });
		return { statements: counted.count(), editionId };
	}

	it('mails every confirmed subscriber it covers in one insert: the statements do not grow with subscribers', async () => {
		await db.deleteFrom('pcf_subscriber').execute();
		await confirmedSubscribers('cherwell-a', 3, ids.district);
		await confirmedSubscribers('oxford-a', 2, ids.oxford);
		await ask('unconfirmed@example.net', ids.district);
		const few = await publishCounted('Few');
		const fewMail = await db.selectFrom('mail_outbox').select(['to_address', 'body_text', 'list_unsubscribe']).where('subject', '=', 'You said, we did: Few').execute();
		expect(fewMail.map((m) => m.to_address).sort()).toEqual(['cherwell-a1@example.net', 'cherwell-a2@example.net', 'cherwell-a3@example.net']);
		for (const mail of fewMail) {
			expect(mail.body_text).toMatch(/\/you-said-we-did\/unsubscribe\/[0-9a-f-]{36}$/);
			expect(mail.list_unsubscribe).toBe(`${/(http\S+\/you-said-we-did\/unsubscribe\/[0-9a-f-]{36})$/.exec(mail.body_text)![1]}/one-click`);
			expect(mail.body_text).toContain(`/you-said-we-did/editions/${few.editionId}`);
		}

		await confirmedSubscribers('cherwell-b', 40, ids.district);
		await confirmedSubscribers('county-b', 7, null);
		const many = await publishCounted('Many');
		expect(await db.selectFrom('mail_outbox').select('id').where('subject', '=', 'You said, we did: Many').execute()).toHaveLength(50);
		expect(many.statements).toBe(few.statements);
	});
});

describe('publishing when two people approve at once, or one form is sent twice', () => {
	const settled = <T>(work: Promise<T>) => work.then(() => null, (error: unknown) => error as DomainError);
	const editionAudit = async (editionId: number, action: string) =>
		(await db.selectFrom('audit_log').select('id').where('subject_type', '=', 'pcf_edition').where('subject_id', '=', editionId).where('action', '=', action).execute()).length;

	it('takes one of two officer approvals of the same version; the other is told who got there first', async () => {
		const { editionId } = await createEdition(db, actors.pcf, editionInput({ title: 'Two officers at once' }));
		const errors = await Promise.all([
			settled(approveEdition(db, actors.officer, { editionId, version: 0, as: 'officer' })),
			settled(approveEdition(db, actors.officer2, { editionId, version: 0, as: 'officer' }))
		]);
		const refused = errors.filter((e) => e !== null);
		expect(refused).toHaveLength(1);
		expect(refused[0].code).toBe('CONFLICT');
		expect(refused[0].message).toMatch(/changed this edition while you were working on it/);
		expect(await editionAudit(editionId, 'pcf.edition_approved')).toBe(1);
	});

	it('publishes once when the officer and the lead approve the same version at once: the second reads the first’s approval first', async () => {
		const { editionId } = await createEdition(db, actors.pcf, editionInput({ title: 'Officer and lead at once' }));
		const errors = await Promise.all([
			settled(approveEdition(db, actors.officer, { editionId, version: 0, as: 'officer' })),
			settled(approveEdition(db, actors.pcfLead, { editionId, version: 0, as: 'lead' }))
		]);
		// The version each read is the same, so the second is refused rather than publishing unread.
		expect(errors.filter((e) => e !== null).map((e) => e!.code)).toEqual(['CONFLICT']);
		const row = await db.selectFrom('pcf_edition').select(['published_at', 'version']).where('id', '=', editionId).executeTakeFirstOrThrow();
		expect(row.published_at).toBeNull();
		expect(await editionAudit(editionId, 'pcf.edition_published')).toBe(0);
	});

	it('publishes and mails once when the approval that publishes is posted twice', async () => {
		const { editionId } = await createEdition(db, actors.pcf, editionInput({ title: 'Posted twice' }));
		await approveEdition(db, actors.officer, { editionId, version: 0, as: 'officer' });
		const form = '/(app)/pcf/editions/[editionId] approve';
		const token = randomUUID();
		const approve = () => withFormPost({ token, form, fingerprint: 'same fields', userId: ids.pcfLead }, () => approveEdition(db, actors.pcfLead, { editionId, version: 1, as: 'lead' })).result;
		const [first, second] = await Promise.all([approve(), approve()]);
		expect([first, second]).toEqual([{ published: true }, { published: true }]);
		expect(await approve()).toEqual({ published: true });
		expect(await editionAudit(editionId, 'pcf.edition_published')).toBe(1);
		expect(await db.selectFrom('mail_outbox').select('id').where('subject', '=', 'You said, we did: Posted twice').execute()).toHaveLength(
			Number((await sql<{ n: string }>`select count(*) as n from pcf_subscriber where confirmed_at is not null and (district_id is null or district_id = ${ids.district})`.execute(db)).rows[0].n)
		);
	});

	it('refuses the lead’s approval while the group’s lead is being replaced: it waits for the change and reads the new lead', async () => {
		const { editionId } = await createEdition(db, actors.pcf, editionInput({ title: 'Lead replaced meanwhile' }));
		let changed!: () => void;
		let commit!: () => void;
		let holder = 0;
		const replacing = db.transaction().execute(async (trx) => {
			holder = await backendPid(trx);
			await trx.updateTable('pcf_group').set({ lead_user_id: ids.pcf }).where('district_id', '=', ids.district).execute();
			changed();
			await new Promise<void>((resolve) => (commit = resolve));
		});
		await new Promise<void>((resolve) => (changed = resolve));
		let done = false;
		const approval = settled(approveEdition(db, actors.pcfLead, { editionId, version: 0, as: 'lead' }));
		void approval.finally(() => (done = true));
		// Until the approval is seen waiting on the group's row (or has finished without waiting, the bug this guards against).
		while (!done && (await waitingFor(db, holder)) === 0);
		commit();
		await replacing;
		const refused = await approval;
		await db.updateTable('pcf_group').set({ lead_user_id: ids.pcfLead }).where('district_id', '=', ids.district).execute();
		expect(refused).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/lead of the Cherwell/) });
		expect(await editionAudit(editionId, 'pcf.edition_approved')).toBe(0);
	});

	it('freezes its points in the same statements whether the period has few published points or many', async () => {
		async function publicPointsInPeriod(count: number, body: string) {
			await sql`insert into pcf_point (district_id, bid_id, source, heard_on, raised_count, body, answer, answer_text, answered_by, answered_at, answer_published_at,
					officer_checked_by, officer_checked_at, lead_checked_by, lead_checked_at, public_at, public_changed_at)
				select ${ids.district}::int, ${ids.bid}::int, 'survey', ${AGO(3)}::date, 2, ${body} || ' ' || n, 'partly', 'In part.', ${ids.officer}::int, now(), now(),
					${ids.officer}::int, now(), ${ids.pcfLead}::int, now(), now(), now()
				from generate_series(1, ${count}) n`.execute(db);
			await sql`insert into pcf_point_theme (point_id, theme_id) select id, ${ids.communication}::int from pcf_point where body like ${`${body} %`}`.execute(db);
		}
		async function publishCounted(title: string) {
			const { editionId } = await createEdition(db, actors.pcf, editionInput({ title }));
			await approveEdition(db, actors.officer, { editionId, version: 0, as: 'officer' });
			const counted = countingStatements(db);
			await approveEdition(counted.db, actors.pcfLead, { editionId, version: 1, as: 'lead' });
			const { points_snapshot } = await db.selectFrom('pcf_edition').select('points_snapshot').where('id', '=', editionId).executeTakeFirstOrThrow();
			return { statements: counted.count(), frozen: points_snapshot ?? [] };
		}
		await publicPointsInPeriod(2, 'A few');
		const few = await publishCounted('Frozen few');
		await publicPointsInPeriod(120, 'Many more');
		const many = await publishCounted('Frozen many');
		expect(many.frozen.length).toBe(few.frozen.length + 120);
		expect(many.frozen.filter((p) => p.body.startsWith('Many more ')).every((p) => p.themes.some((t) => t.id === ids.communication))).toBe(true);
		expect(many.statements).toBe(few.statements);
	});
});
