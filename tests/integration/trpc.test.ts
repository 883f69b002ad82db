import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { freshDatabase, type TestDatabase } from './db';
import { appRouter } from '../../src/lib/server/trpc/router';
import type { Context } from '../../src/lib/server/trpc/context';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { TRPC_PATH } from '../../src/lib/trpc';

let test: TestDatabase;
const ids = { cherwell: 0, banbury: 0, vale: 0, abingdon: 0 };
let headteacher: Actor;
let officer: Actor;
let otherPersonId: number;
let headteacherId = 0;
let settingId = 0;

beforeAll(async () => {
	test = await freshDatabase();
	const cluster = async (values: { kind: 'district' | 'locality'; name: string; parent_id?: number }) =>
		(await test.db.insertInto('cluster').values(values).returning('id').executeTakeFirstOrThrow()).id;
	ids.cherwell = await cluster({ kind: 'district', name: 'Cherwell' });
	ids.banbury = await cluster({ kind: 'locality', name: 'Banbury', parent_id: ids.cherwell });
	ids.vale = await cluster({ kind: 'district', name: 'Vale of White Horse' });
	ids.abingdon = await cluster({ kind: 'locality', name: 'Abingdon', parent_id: ids.vale });
	const setting = await test.db
		.insertInto('setting')
		.values({ urn: '100001', name: 'Banbury Academy', phase: 'secondary', setting_type: 'Academy', town: 'Banbury', pupil_count: 900, cluster_id: ids.banbury })
		.returning('id')
		.executeTakeFirstOrThrow();
	const user = async (email: string, name: string, countyRole: 'officer' | null = null) =>
		(await test.db.insertInto('app_user').values({ email, name, county_role: countyRole }).returning('id').executeTakeFirstOrThrow()).id;
	headteacherId = await user('head@banbury.example', 'Hana Head');
	settingId = setting.id;
	await test.db.insertInto('setting_membership').values({ user_id: headteacherId, setting_id: setting.id, role: 'headteacher' }).execute();
	const officerId = await user('officer@county.example', 'Olu Officer', 'officer');
	otherPersonId = await user('senco@abingdon.example', 'Sam Senco');
	headteacher = (await loadActor(test.db, headteacherId))!;
	officer = (await loadActor(test.db, officerId))!;
});

afterAll(async () => {
	await test?.close();
});

function contextFor(actor: Actor | null): Context {
	return { db: test.db, io: undefined, actor, session: null, event: {} as never };
}
const callerFor = (actor: Actor | null) => appRouter.createCaller(contextFor(actor));

/** Runs a call that must fail and hands back its tRPC error. */
async function refusal(call: Promise<unknown>): Promise<TRPCError> {
	const error = await call.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(error, 'the call should have been refused').toBeInstanceOf(TRPCError);
	return error as TRPCError;
}

/** The same call over HTTP, as the browser makes it, to see the error shape clients receive. */
async function overHttp(actor: Actor | null, path: string, input: unknown) {
	const url = new URL(`http://portal.test${TRPC_PATH}/${path}`);
	if (input !== undefined) url.searchParams.set('input', JSON.stringify(input));
	const response = await fetchRequestHandler({
		endpoint: TRPC_PATH,
		req: new Request(url),
		router: appRouter,
		createContext: () => contextFor(actor)
	});
	return { status: response.status, body: (await response.json()) as { error?: { message: string; data: Record<string, unknown> } } };
}

/** A mutation over HTTP (a POST with the input as its body), as the browser sends it. */
async function postHttp(actor: Actor | null, path: string, input: unknown) {
	const response = await fetchRequestHandler({
		endpoint: TRPC_PATH,
		req: new Request(`http://portal.test${TRPC_PATH}/${path}`, { method: 'POST', body: JSON.stringify(input), headers: { 'content-type': 'application/json' } }),
		router: appRouter,
		createContext: () => contextFor(actor)
	});
	return { status: response.status, body: (await response.json()) as { error?: { message: string; data: Record<string, unknown> } } };
}

describe('signed-in procedures', () => {
	it('refuse someone not signed in with UNAUTHORIZED', async () => {
		const caller = callerFor(null);
		// Each call is settled as it starts: a refusal waiting in a list would be an unhandled rejection.
		const refusals = [caller.workspace.get({ clusterId: ids.banbury }), caller.notifications.unreadCount(), caller.notifications.markAllRead()].map(refusal);
		for (const error of await Promise.all(refusals)) {
			expect(error.code).toBe('UNAUTHORIZED');
			expect(getHTTPStatusCodeFromError(error)).toBe(401);
			expect(error.message).toMatch(/sign in/);
		}
	});

	it('answer someone signed in', async () => {
		expect(await callerFor(headteacher).notifications.unreadCount()).toBe(0);
	});
});

describe('workspace.get', () => {
	it('opens a workspace the person belongs to', async () => {
		const { cluster, localities } = await callerFor(headteacher).workspace.get({ clusterId: ids.cherwell });
		expect(cluster).toMatchObject({ id: ids.cherwell, name: 'Cherwell', kind: 'district', settingCount: 1 });
		expect(localities.map((l) => l.name)).toEqual(['Banbury']);
	});

	it('refuses a workspace the person is not in with FORBIDDEN and the policy’s reason', async () => {
		const error = await refusal(callerFor(headteacher).workspace.get({ clusterId: ids.abingdon }));
		expect(error.code).toBe('FORBIDDEN');
		expect(getHTTPStatusCodeFromError(error)).toBe(403);
		expect(error.message).toMatch(/You are not a member of the Abingdon locality cluster/);
	});

	it('lets a council officer open any workspace', async () => {
		const { cluster } = await callerFor(officer).workspace.get({ clusterId: ids.abingdon });
		expect(cluster.name).toBe('Abingdon');
	});

	it('answers NOT_FOUND for a cluster that does not exist, before any permission check', async () => {
		const error = await refusal(callerFor(headteacher).workspace.get({ clusterId: 987_654 }));
		expect(error.code).toBe('NOT_FOUND');
		expect(getHTTPStatusCodeFromError(error)).toBe(404);
		expect(error.message).toMatch(/That cluster could not be found/);
	});

	const malformed: [string, unknown][] = [
		['a word', { clusterId: 'abc' }],
		['a negative number', { clusterId: -1 }],
		['zero', { clusterId: 0 }],
		['a fraction', { clusterId: 1.5 }],
		['nothing', {}]
	];

	it.each(malformed)('answers BAD_REQUEST when the cluster id is %s', async (_what, input) => {
		const error = await refusal(callerFor(headteacher).workspace.get(input as { clusterId: number }));
		expect(error.code).toBe('BAD_REQUEST');
		expect(getHTTPStatusCodeFromError(error)).toBe(400);
	});

	it.each(malformed)('over HTTP, a cluster id that is %s comes back as a field error on clusterId', async (_what, input) => {
		const { status, body } = await overHttp(headteacher, 'workspace.get', input);
		expect(status).toBe(400);
		expect(body.error?.data.code).toBe('BAD_REQUEST');
		const fieldErrors = body.error?.data.fieldErrors as Record<string, string[]>;
		expect(Object.keys(fieldErrors)).toEqual(['clusterId']);
		expect(fieldErrors.clusterId.length).toBeGreaterThan(0);
		expect(fieldErrors.clusterId[0].length).toBeGreaterThan(0);
		// Server internals never reach the browser.
		expect(body.error?.data.stack).toBeUndefined();
	});

	it('over HTTP, a missing input is a BAD_REQUEST too', async () => {
		const { status, body } = await overHttp(headteacher, 'workspace.get', undefined);
		expect(status).toBe(400);
		expect(body.error?.data.code).toBe('BAD_REQUEST');
	});

	it('over HTTP, a refusal carries its reason and no field errors', async () => {
		const { status, body } = await overHttp(headteacher, 'workspace.get', { clusterId: ids.abingdon });
		expect(status).toBe(403);
		expect(body.error?.message).toMatch(/not a member of the Abingdon locality cluster/);
		expect(body.error?.data.fieldErrors).toBeUndefined();
	});
});

describe('notifications', () => {
	async function notificationFor(userId: number) {
		return (
			await test.db
				.insertInto('notification')
				.values({ user_id: userId, kind: 'test', title: 'A bid needs your sign-off' })
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;
	}
	const readAt = async (id: number) =>
		(await test.db.selectFrom('notification').select('read_at').where('id', '=', id).executeTakeFirstOrThrow()).read_at;

	it("marking someone else's notification as read is FORBIDDEN and changes nothing", async () => {
		const theirs = await notificationFor(otherPersonId);
		const error = await refusal(callerFor(headteacher).notifications.markRead({ notificationId: theirs }));
		expect(error.code).toBe('FORBIDDEN');
		expect(error.message).toMatch(/belongs to someone else/);
		expect(await readAt(theirs)).toBeNull();
		// Not even a council officer may do it.
		await refusal(callerFor(officer).notifications.markRead({ notificationId: theirs }));
		expect(await readAt(theirs)).toBeNull();
	});

	it('marking one’s own notification as read records when', async () => {
		const mine = await notificationFor(headteacher.id);
		await callerFor(headteacher).notifications.markRead({ notificationId: mine });
		expect(await readAt(mine)).toBeInstanceOf(Date);
	});

	it('a notification that does not exist is NOT_FOUND', async () => {
		const error = await refusal(callerFor(headteacher).notifications.markRead({ notificationId: 987_654 }));
		expect(error.code).toBe('NOT_FOUND');
	});

	it("mark-all-read touches only the person's own notifications", async () => {
		const mine = [await notificationFor(headteacher.id), await notificationFor(headteacher.id)];
		const theirs = await notificationFor(otherPersonId);
		expect(await callerFor(headteacher).notifications.unreadCount()).toBe(2);
		expect(await callerFor(headteacher).notifications.markAllRead()).toBe(2);
		for (const id of mine) expect(await readAt(id)).toBeInstanceOf(Date);
		expect(await readAt(theirs)).toBeNull();
		expect(await callerFor(headteacher).notifications.unreadCount()).toBe(0);
	});
});

describe('bids.saveSection', () => {
	it('two writers of one section from the same version: the second gets CONFLICT with the first one’s saved text to merge', async () => {
		const day = 86_400_000;
		const round = await test.db
			.insertInto('funding_round')
			.values({ cluster_id: ids.banbury, created_by: headteacherId, name: 'API round', pot_pence: 1_000_000, max_request_pence: 500_000,
				endorsement_rule: 'majority', opens_at: new Date(Date.now() - day), closes_at: new Date(Date.now() + 30 * day) })
			.returning('id')
			.executeTakeFirstOrThrow();
		const bid = await test.db
			.insertInto('bid')
			.values({ round_id: round.id, cluster_id: ids.banbury, lead_setting_id: settingId, title: 'Shared therapist', created_by: headteacherId })
			.returning('id')
			.executeTakeFirstOrThrow();
		const save = (evaluation: string) => postHttp(headteacher, 'bids.saveSection', { bidId: bid.id, section: 'evaluation', version: 0, content: { evaluation } });
		expect((await save('Termly WellComm scores')).status).toBe(200);
		const { status, body } = await save('Parents’ views each term');
		expect(status).toBe(409);
		expect(body.error?.data.code).toBe('CONFLICT');
		expect(body.error?.message).toMatch(/Someone else saved “Evaluation” while you were editing/);
		expect(body.error?.data.sectionConflict).toEqual({ section: 'evaluation', label: 'Evaluation', version: 1, theirs: ['Termly WellComm scores'], savedBy: null });
		expect(body.error?.data.fieldErrors).toBeUndefined();
	});

	it('any other refusal carries no clash', async () => {
		const { status, body } = await overHttp(headteacher, 'workspace.get', { clusterId: ids.abingdon });
		expect(status).toBe(403);
		expect(body.error?.data.sectionConflict).toBeNull();
	});
});
