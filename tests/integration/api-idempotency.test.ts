import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { appRouter } from '../../src/lib/server/trpc/router';
import { idempotencyKeyOf } from '../../src/lib/server/trpc/idempotency';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { TRPC_PATH } from '../../src/lib/trpc';
import { ukToday } from '../../src/lib/dates';

// A change sent twice with one Idempotency-Key is done once: the repeat answers the first result.

let test: TestDatabase;
let db: Database;
const ids = { district: 0, banbury: 0, meadow: 0, castle: 0, roundId: 0 };
const actors = {} as Record<'officer' | 'otherOfficer' | 'senco', Actor>;

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	const cluster = async (values: { kind: 'district' | 'locality'; name: string; parent_id?: number }) =>
		(await db.insertInto('cluster').values(values).returning('id').executeTakeFirstOrThrow()).id;
	ids.district = await cluster({ kind: 'district', name: 'Cherwell' });
	ids.banbury = await cluster({ kind: 'locality', name: 'Banbury', parent_id: ids.district });
	const setting = async (urn: string, name: string) =>
		(
			await db
				.insertInto('setting')
				.values({ urn, name, phase: 'primary', setting_type: 'academy', town: 'Banbury', pupil_count: 200, cluster_id: ids.banbury })
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;
	ids.meadow = await setting('930001', 'Meadowside Primary');
	ids.castle = await setting('930002', 'Castlebrook Academy');
	const user = async (email: string, name: string, county: 'officer' | null) =>
		(await db.insertInto('app_user').values({ email, name, county_role: county }).returning('id').executeTakeFirstOrThrow()).id;
	const officerId = await user('officer@keys.test', 'Olive Officer', 'officer');
	const otherOfficerId = await user('officer2@keys.test', 'Oscar Officer', 'officer');
	const sencoId = await user('senco@keys.test', 'Sam Senco', null);
	await db.insertInto('setting_membership').values({ user_id: sencoId, setting_id: ids.meadow, role: 'senco' }).execute();
	actors.officer = (await loadActor(db, officerId))!;
	actors.otherOfficer = (await loadActor(db, otherOfficerId))!;
	actors.senco = (await loadActor(db, sencoId))!;
});

afterAll(async () => {
	await test?.close();
});

interface Answer {
	status: number;
	body: { result?: { data?: unknown }; error?: { message: string; data: { code: string } } };
}

/** A mutation over HTTP, as a script sends it: a POST with the input as its body, and a key if given. */
async function post(actor: Actor, path: string, input: unknown, key?: string): Promise<Answer> {
	const headers = new Headers({ 'content-type': 'application/json' });
	if (key !== undefined) headers.set('Idempotency-Key', key);
	const req = new Request(`http://portal.test${TRPC_PATH}/${path}`, { method: 'POST', body: JSON.stringify(input), headers });
	const response = await fetchRequestHandler({
		endpoint: TRPC_PATH,
		req,
		router: appRouter,
		createContext: () => ({ db, io: undefined, actor, session: null, event: {} as never, idempotencyKey: idempotencyKeyOf(req.headers) })
	});
	return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const roundInput = (name: string) => ({
	clusterId: ids.banbury,
	name,
	potPence: 5_000_000,
	maxRequestPence: 3_000_000,
	opensOn: ukToday(),
	closesOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
	guidance: '',
	endorsementRule: 'count',
	endorsementValue: 1
});

const roundsNamed = async (name: string) => (await db.selectFrom('funding_round').select('id').where('name', '=', name).execute()).length;
const bidsTitled = async (title: string) => (await db.selectFrom('bid').select('id').where('title', '=', title).execute()).length;

describe('an Idempotency-Key on a change', () => {
	it('opening a round twice with one key makes one round, and the repeat answers the first result', async () => {
		const first = await post(actors.officer, 'bids.openRound', roundInput('Keyed round'), 'open-keyed-round-1');
		const again = await post(actors.officer, 'bids.openRound', roundInput('Keyed round'), 'open-keyed-round-1');
		expect(first.status).toBe(200);
		expect(again).toEqual(first);
		expect(await roundsNamed('Keyed round')).toBe(1);
		ids.roundId = first.body.result?.data as number;
		expect(ids.roundId).toBeGreaterThan(0);
	});

	it('without a key, the same call twice behaves as it always did (two rounds)', async () => {
		await post(actors.officer, 'bids.openRound', roundInput('Unkeyed round'));
		await post(actors.officer, 'bids.openRound', roundInput('Unkeyed round'));
		expect(await roundsNamed('Unkeyed round')).toBe(2);
	});

	it('starting a bid: two calls at the same moment with one key make one bid and both get its id', async () => {
		const input = { roundId: ids.roundId, leadSettingId: ids.meadow, title: 'Shared speech therapist' };
		const [one, two] = await Promise.all([post(actors.senco, 'bids.create', input, 'start-bid-7'), post(actors.senco, 'bids.create', input, 'start-bid-7')]);
		expect(one.status).toBe(200);
		expect(two).toEqual(one);
		expect(await bidsTitled('Shared speech therapist')).toBe(1);
	});

	it('adding a partner twice with one key succeeds once, where a repeat without a key is refused as a duplicate', async () => {
		const bidId = (await db.selectFrom('bid').select('id').where('title', '=', 'Shared speech therapist').executeTakeFirstOrThrow()).id;
		const input = { bidId, settingId: ids.castle };
		const first = await post(actors.senco, 'bids.addPartner', input, 'partner-castle');
		const again = await post(actors.senco, 'bids.addPartner', input, 'partner-castle');
		expect(first.status).toBe(200);
		expect(again.status).toBe(200);
		const partners = await db.selectFrom('bid_partner').select('setting_id').where('bid_id', '=', bidId).execute();
		expect(partners).toEqual([{ setting_id: ids.castle }]);
		const unkeyed = await post(actors.senco, 'bids.addPartner', input);
		expect(unkeyed.status).toBeGreaterThanOrEqual(400);
		expect(unkeyed.status).toBeLessThan(500);
	});

	it('sending an invitation twice with one key sends one invitation and one email', async () => {
		const input = { email: 'new.head@keys.test', name: 'Nia New', grant: { kind: 'setting', settingId: ids.castle, role: 'headteacher' } };
		const first = await post(actors.officer, 'people.invite', input, 'invite-nia');
		const again = await post(actors.officer, 'people.invite', input, 'invite-nia');
		expect(first.status).toBe(200);
		expect(again).toEqual(first);
		const invitations = await db.selectFrom('invitation').select(['id', 'revoked_at']).where('email', '=', 'new.head@keys.test').execute();
		expect(invitations).toEqual([{ id: expect.any(Number), revoked_at: null }]);
		expect((await db.selectFrom('mail_outbox').select('id').where('to_address', '=', 'new.head@keys.test').execute()).length).toBe(1);
	});

	it('the same key with other input is refused (CONFLICT) and changes nothing', async () => {
		const refused = await post(actors.officer, 'bids.openRound', roundInput('Another name'), 'open-keyed-round-1');
		expect(refused.status).toBe(409);
		expect(refused.body.error?.data.code).toBe('CONFLICT');
		expect(await roundsNamed('Another name')).toBe(0);
	});

	it('the same key from another person is their own call, not a repeat of someone else’s', async () => {
		const theirs = await post(actors.otherOfficer, 'bids.openRound', roundInput('Keyed round'), 'open-keyed-round-1');
		expect(theirs.status).toBe(200);
		expect(theirs.body.result?.data).not.toBe(ids.roundId);
		expect(await roundsNamed('Keyed round')).toBe(2);
	});

	it.each([
		['empty', ''],
		['with a space', 'two words'],
		['too long', 'k'.repeat(256)]
	])('a key that is %s is refused with 400 before anything is done', async (_what, key) => {
		const refused = await post(actors.officer, 'bids.openRound', roundInput('Badly keyed round'), key);
		expect(refused.status).toBe(400);
		expect(refused.body.error?.message).toMatch(/Idempotency-Key/);
		expect(await roundsNamed('Badly keyed round')).toBe(0);
	});
});
