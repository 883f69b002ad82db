import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { DomainError } from '../../src/lib/server/errors';
import { addPartner, createBid, openRound, submitBid } from '../../src/lib/server/bids/commands';
import { BidFixture, inDays } from './bids-pages-fixture';
import { bidDetail } from '../../src/lib/server/bids/queries';
import { invitePerson } from '../../src/lib/server/people/commands';
import { earlierLocation, recordFormLocation, withFormPost } from '../../src/lib/server/form-posts';

// A double click, or a post the browser sends again, carries the same one-time form token: the
// work is done once and the repeat gets the first answer, whether it arrives at the same time as
// the first (it waits on the token's unique key) or after it (it finds the recorded token).

let test: TestDatabase;
let db: Database;
let bids: BidFixture;
let ids: BidFixture['ids'];
let actors: BidFixture['actors'];

/** One command run as a form post carrying `token`, as the request hook runs an action. */
function asPost<T>(token: string, form: string, userId: number, command: () => Promise<T>, fingerprint = 'same fields'): Promise<T> {
	return withFormPost({ token, form, fingerprint, userId }, command).result;
}

const settled = <T>(work: Promise<T>) => work.then((value) => ({ value, error: null }), (error: unknown) => ({ value: null, error }));

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	bids = new BidFixture(db, 'posts.test');
	({ ids, actors } = bids);
	await bids.banbury();
});

afterAll(async () => {
	await test?.close();
});

const START = '/(app)/rounds/[roundId] startBid';
const bidsStarted = async () => (await db.selectFrom('bid').select('id').where('round_id', '=', ids.round).execute()).length;

describe('a form that creates something ("Start a bid")', () => {
	const start = () => createBid(db, actors.senco, { roundId: ids.round, leadSettingId: ids.meadow, title: 'Shared therapist' });

	it('makes one bid from two posts sent at once, and both lead to it', async () => {
		const before = await bidsStarted();
		const token = randomUUID();
		const [first, second] = await Promise.all([asPost(token, START, ids.senco, start), asPost(token, START, ids.senco, start)]);
		expect(second).toBe(first);
		expect(await bidsStarted()).toBe(before + 1);
		const created = await db.selectFrom('audit_log').select('id').where('action', '=', 'bid.created').where('subject_id', '=', first).execute();
		expect(created).toHaveLength(1);
	});

	it('makes one bid when the same post comes again later, and answers with the first bid', async () => {
		const before = await bidsStarted();
		const token = randomUUID();
		const first = await asPost(token, START, ids.senco, start);
		const again = await asPost(token, START, ids.senco, start);
		expect(again).toBe(first);
		expect(await bidsStarted()).toBe(before + 1);
	});

	it('sends a repeat that arrives after the first answer to where the first went', async () => {
		const token = randomUUID();
		const post = { token, form: START, fingerprint: 'fields', userId: ids.senco };
		const bidId = await withFormPost(post, start).result;
		await recordFormLocation(db, token, `/bids/${bidId}?done=created`);
		expect(await earlierLocation(db, post)).toBe(`/bids/${bidId}?done=created`);
		// Someone else, another form or other content: not a repeat of this post.
		expect(await earlierLocation(db, { ...post, userId: ids.head })).toBeNull();
		expect(await earlierLocation(db, { ...post, form: '/(app)/bids/[bidId]/check submit' })).toBeNull();
		expect(await earlierLocation(db, { ...post, fingerprint: 'other fields' })).toBeNull();
	});

	it('makes separate bids from separate renders of the form', async () => {
		const before = await bidsStarted();
		await asPost(randomUUID(), START, ids.senco, start);
		await asPost(randomUUID(), START, ids.senco, start);
		expect(await bidsStarted()).toBe(before + 2);
	});

	it('refuses a used token sent with other content, by another person or to another form, doing nothing', async () => {
		const token = randomUUID();
		await asPost(token, START, ids.senco, start);
		const before = await bidsStarted();
		// Each attempt is settled as it starts: a refusal waiting in a list would be an unhandled rejection.
		const attempts = [
			asPost(token, START, ids.senco, start, 'other fields'),
			asPost(token, START, ids.head, () => createBid(db, actors.head, { roundId: ids.round, leadSettingId: ids.meadow, title: 'Other' })),
			asPost(token, '/(app)/bids/[bidId]/check submit', ids.senco, start)
		].map(settled);
		for (const { error } of await Promise.all(attempts)) {
			expect(error).toBeInstanceOf(DomainError);
			expect((error as DomainError).code).toBe('CONFLICT');
			expect((error as DomainError).message).toMatch(/already been used/);
		}
		expect(await bidsStarted()).toBe(before);
	});

	it('does not use up a token when the post is refused, so the corrected form can be sent', async () => {
		const token = randomUUID();
		const closedRound = await openRound(db, actors.officer, {
			clusterId: ids.banbury,
			name: 'Later fund',
			potPence: 1_000_000,
			maxRequestPence: 500_000,
			opensOn: inDays(10),
			closesOn: inDays(40),
			guidance: '',
			endorsementRule: 'majority',
			endorsementValue: 0
		});
		const refused = await settled(asPost(token, START, ids.senco, () => createBid(db, actors.senco, { roundId: closedRound, leadSettingId: ids.meadow, title: 'Too early' })));
		expect((refused.error as DomainError).code).toBe('BAD_REQUEST');
		const bidId = await asPost(token, START, ids.senco, start);
		expect(bidId).toBeGreaterThan(0);
	});
});

describe('a form that moves something on ("Sign off and submit")', () => {
	async function readyBid(): Promise<number> {
		const bidId = await createBid(db, actors.senco, { roundId: ids.round, leadSettingId: ids.meadow, title: 'Shared speech and language therapist' });
		await addPartner(db, actors.senco, { bidId, settingId: ids.castle });
		await bids.complete(bidId);
		return bidId;
	}
	const SUBMIT = '/(app)/bids/[bidId]/check submit';
	const submissions = async (bidId: number) => (await db.selectFrom('bid_submission').select('id').where('bid_id', '=', bidId).execute()).length;

	it('submits once from two posts sent at once; neither is told someone else changed it first', async () => {
		const bidId = await readyBid();
		const { version } = (await bidDetail(db, actors.head, bidId)).bid;
		const token = randomUUID();
		const submit = () => submitBid(db, actors.head, { bidId, version });
		const results = await Promise.all([settled(asPost(token, SUBMIT, ids.head, submit)), settled(asPost(token, SUBMIT, ids.head, submit))]);
		expect(results.map((r) => r.error)).toEqual([null, null]);
		expect(await submissions(bidId)).toBe(1);
		// The fixture's cluster has no setting outside the bid, so one submission goes straight to officers.
		expect((await bidDetail(db, actors.head, bidId)).bid.status).toBe('review');
	});

	it('submits once when the same post comes again later', async () => {
		const bidId = await readyBid();
		const { version } = (await bidDetail(db, actors.head, bidId)).bid;
		const token = randomUUID();
		const submit = () => submitBid(db, actors.head, { bidId, version });
		await asPost(token, SUBMIT, ids.head, submit);
		const again = await settled(asPost(token, SUBMIT, ids.head, submit));
		expect(again.error).toBeNull();
		expect(await submissions(bidId)).toBe(1);
		// Without the token the same stale post is the conflict it really is.
		const stale = await settled(submitBid(db, actors.head, { bidId, version }));
		expect((stale.error as DomainError).code).toBe('CONFLICT');
	});
});

describe('a form that sends an invitation', () => {
	const INVITE = '/(app)/admin/people/invite default';
	const invite = (email: string) => () =>
		invitePerson(db, actors.officer, { email, name: 'Nia New', grant: { kind: 'setting', settingId: ids.meadow, role: 'senco' } });
	const sentTo = async (email: string) => ({
		mail: (await db.selectFrom('mail_outbox').select('id').where('to_address', '=', email).execute()).length,
		invitations: await db.selectFrom('invitation').select(['id', 'token_hash']).where('email', '=', email).execute()
	});

	it('sends one email with one working link from two posts sent at once', async () => {
		const email = 'twice.at.once@posts.test';
		const token = randomUUID();
		const [first, second] = await Promise.all([asPost(token, INVITE, ids.officer, invite(email)), asPost(token, INVITE, ids.officer, invite(email))]);
		expect(second.kind).toBe('invited');
		expect(first.kind === 'invited' && second.kind === 'invited' && second.invitationId === first.invitationId).toBe(true);
		const sent = await sentTo(email);
		expect(sent.mail).toBe(1);
		expect(sent.invitations).toHaveLength(1);
	});

	it('sends one email when the same post comes again later, keeping the first link', async () => {
		const email = 'twice.later@posts.test';
		const token = randomUUID();
		await asPost(token, INVITE, ids.officer, invite(email));
		const link = (await sentTo(email)).invitations[0].token_hash;
		const again = await asPost(token, INVITE, ids.officer, invite(email));
		expect(again.kind).toBe('invited');
		const sent = await sentTo(email);
		expect(sent.mail).toBe(1);
		expect(sent.invitations.map((i) => i.token_hash)).toEqual([link]);
	});
});
