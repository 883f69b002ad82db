import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { z } from 'zod';
import { io as connectClient, type Socket } from 'socket.io-client';
import { freshDatabase, type TestDatabase } from './db';
import { ROOT, ensureBuild, freePort, startApp, type AppProcess } from './app-process';
import { createSession, generateToken, SESSION_COOKIE } from '../../src/lib/server/auth/session';
import { appRouter } from '../../src/lib/server/trpc/router';
import { TRPC_PATH } from '../../src/lib/trpc';
import { CONFIRM_FIELD } from '../../src/lib/form-token';
import type { ClientToServerEvents, JoinReply, ServerToClientEvents } from '../../src/lib/live/events';
import { ABSENT_ID, decodeURIComponentSafe, describeValue, HOSTILE, HOSTILE_TEXT, inParallel, paths, REFUSED, sample, withValue } from './hostile-values';

// Throws a fixed list of hostile values at every tRPC procedure (enumerated from the router),
// every form action and page (enumerated from src/routes), every query parameter a page reads,
// every route parameter and the socket events, as a council officer and anonymously, through the
// production build on a real PostgreSQL. Nothing may answer 5xx, refused input must get a 4xx,
// and nothing may be written. New procedures, routes and actions are covered without editing this.

let test: TestDatabase;
let app: AppProcess;
let officerToken = '';
let officerId = 0;
const realIds: Record<string, number> = {};
const failures: string[] = [];

/** Waits (up to a minute) until each named scheduled job has finished its first run, then marks mail still waiting as sent. */
async function bootJobsFinished(db: TestDatabase['db'], names: string[]): Promise<void> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const done = await db.selectFrom('scheduled_job').select('name').where('name', 'in', names).where('last_finished_at', 'is not', null).execute();
		if (done.length === names.length) {
			// Mail written by the seed or a job and not yet sent would be claimed by the first sender after any
			// later commit, changing its row mid-test: count it as sent before the fingerprints.
			await db.updateTable('mail_outbox').set({ sent_at: new Date() }).where('sent_at', 'is', null).execute();
			return;
		}
		if (Date.now() > deadline) throw new Error(`These jobs never finished a first run: ${names.filter((n) => !done.some((d) => d.name === n)).join(', ')}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

beforeAll(async () => {
	ensureBuild();
	test = await freshDatabase();
	const port = await freePort();
	app = await startApp({ PORT: String(port), DATABASE_URL: test.url, SEED_DEMO: '1', LOG_LEVEL: 'warn', ORIGIN: `http://127.0.0.1:${port}` }, 120_000);
	const officer = await test.db.selectFrom('app_user').select('id').where('email', '=', 'officer@portal.example').executeTakeFirstOrThrow();
	officerId = officer.id;
	// A create whose fields are all free text (a trust: its name, and an optional number and reason)
	// would store a well-formed probe; one of that name is there already, so each probe is refused as a
	// duplicate after its fields are parsed, and nothing is written.
	await test.db.insertInto('academy_trust').values({ name: 'A well-formed probe' }).onConflict((oc) => oc.doNothing()).execute();
	// Scheduled jobs run once at boot and write to the seeded data (the disputes' flags and chases, poll
	// reminders, discussion digests): let their first runs finish before any fingerprint is taken.
	const bootJobs = ['retention', 'disputes-daily', 'disputes-poll-reminders', 'discussions.digest', 'discussions.retention', 'pcf-consultation-closing', 'mail.retry'];
	await bootJobsFinished(test.db, bootJobs);
	// A job added later and missing from this list could write mid-test: name it above.
	const registered = await test.db.selectFrom('scheduled_job').select('name').execute();
	expect(registered.map((r) => r.name).filter((name) => !bootJobs.includes(name)), 'scheduled jobs this test does not wait for').toEqual([]);
	officerToken = generateToken();
	await createSession(test.db, officerToken, officerId);
	// A round and a bid in the setting's cluster, so the bid and round pages have something to refuse changes to.
	const setting = await test.db.selectFrom('setting').select(['id', 'cluster_id']).orderBy('id').executeTakeFirstOrThrow();
	realIds.id = setting.cluster_id;
	realIds.roundId = (
		await test.db
			.insertInto('funding_round')
			.values({
				cluster_id: setting.cluster_id,
				name: 'Probe fund',
				pot_pence: 6_000_000,
				max_request_pence: 1_000_000,
				opens_at: new Date('2026-01-01'),
				closes_at: new Date('2030-01-01'),
				endorsement_rule: 'majority',
				created_by: officerId
			})
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	realIds.bidId = (
		await test.db
			.insertInto('bid')
			.values({ round_id: realIds.roundId, cluster_id: setting.cluster_id, lead_setting_id: setting.id, title: 'Probe bid', created_by: officerId })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	// Marking everything read is the one input-less write; done now, it changes nothing later.
	await test.db.updateTable('notification').set({ read_at: new Date() }).where('read_at', 'is', null).execute();
}, 240_000);

afterAll(async () => {
	if (app && app.child.exitCode === null) app.child.kill('SIGKILL');
	await test?.close();
});

/** Tables that change on their own while requests arrive (sessions slide, sign-in attempts are counted). */
// signin_throttle: a refused sign-in is counted on purpose (that is the throttle working, not a write from bad input).
// dispute_case_view: every look at a dispute case is logged on purpose, a refused one too.
// scheduled_job: the scheduler's own bookkeeping (the mail sweep runs every minute, whatever the requests).
const CHANGING = new Set(['dispute_case_view', 'user_session', 'rate_limit', 'signin_throttle', 'socket_io_attachments', 'scheduled_job', 'kysely_migration', 'kysely_migration_lock']);

/** A fingerprint of every other table's rows: equal before and after means nothing was written. */
async function fingerprint(): Promise<Record<string, string>> {
	const tables = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public' order by tablename`.execute(test.db);
	const prints: Record<string, string> = {};
	for (const { name } of tables.rows) {
		if (CHANGING.has(name)) continue;
		const row = await sql<{ print: string }>`select count(*)::text || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') as print from ${sql.table(name)} t`.execute(test.db);
		prints[name] = row.rows[0].print;
	}
	return prints;
}

function headers(signedIn: boolean, extra: Record<string, string> = {}): Record<string, string> {
	return { origin: app.url, ...(signedIn ? { cookie: `${SESSION_COOKIE}=${officerToken}` } : {}), ...extra };
}

/** Sends one request; any 5xx is a failure, and so is anything but a 4xx when `mustRefuse`. */
async function probe(label: string, url: string, init: RequestInit, mustRefuse: boolean) {
	let status = 0;
	// One retry: a kept-alive connection the server has just closed is the client's problem, not the app's.
	for (let attempt = 1; status === 0; attempt++) {
		try {
			const response = await fetch(url, { ...init, redirect: 'manual' });
			status = response.status;
			const body = await response.text();
			// An enhanced form post is answered 200 with the action's result inside: a failure carries its own status.
			if (status === 200 && response.headers.get('content-type')?.startsWith('application/json') && (init.headers as Record<string, string> | undefined)?.['x-sveltekit-action']) {
				const result = JSON.parse(body) as { type?: string; status?: number };
				if (result.type === 'failure' && typeof result.status === 'number') status = result.status;
			}
		} catch (error) {
			if (attempt < 2) continue;
			failures.push(`${label}: no answer (${(error as Error).message}: ${String((error as Error).cause)})`);
			return;
		}
	}
	if (status >= 500) failures.push(`${label}: answered ${status}`);
	else if (mustRefuse && (status < 400 || status >= 500)) failures.push(`${label}: answered ${status}, expected a refusal (4xx)`);
}

interface ProcedureDef {
	_def: { inputs: z.ZodType[]; query?: boolean; mutation?: boolean };
}
const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, ProcedureDef> }).procedures);

function trpcRequest(name: string, procedure: ProcedureDef, input: unknown, signedIn: boolean): [string, RequestInit] {
	const url = `${app.url}${TRPC_PATH}/${name}`;
	if (procedure._def.mutation) {
		return [url, { method: 'POST', headers: headers(signedIn, { 'content-type': 'application/json' }), body: JSON.stringify(input) ?? '' }];
	}
	const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
	return [url + query, { headers: headers(signedIn) }];
}

describe('hostile input never answers 5xx and writes nothing', () => {
	beforeEach(() => {
		failures.length = 0;
	});

	it('finds the procedures, pages and actions to try', () => {
		expect(procedures.length).toBeGreaterThan(30);
		expect(routes().filter((r) => r.actions.length).length).toBeGreaterThan(5);
		// Both lists' cursors on the people page, and the query parameters read through the picker helpers, are probed too.
		const people = routes().find((r) => r.id === '/admin/people');
		expect(people?.query).toEqual(expect.arrayContaining(['page', 'invitations']));
		expect(routes().find((r) => r.id === '/admin/people/invite')?.query).toEqual(expect.arrayContaining(['settingQuery', 'settingId']));
		expect(routes().find((r) => r.id === '/admin/clusters/[id]')?.query).toEqual(expect.arrayContaining(['settingId', 'moveQuery', 'toClusterId']));
		// Actions spread from a shared helper, or the whole set taken from one, are found with the fields they read.
		const round = routes().find((r) => r.id === '/pcf/rounds/[roundId]');
		expect(round?.actions).toEqual(expect.arrayContaining(['position', 'point', 'approve', 'answer', 'publish', 'deliver']));
		expect(round?.fields).toEqual(expect.arrayContaining(['stance', 'pointId', 'themeIds', 'agreedOn-day', 'changeBy-year']));
		expect(routes().find((r) => r.id === '/pcf/bids/[bidId]')?.actions).toEqual(expect.arrayContaining(['position', 'answer']));
		expect(routes().find((r) => r.id === '/capital/applications/trust')?.fields).toEqual(expect.arrayContaining(['trustId', 'roundLine', 'settingIds']));
		expect(routes().find((r) => r.id === '/capital/applications/[id]/scheme')?.fields).toEqual(expect.arrayContaining(['costedTotalPence', 'surveyDoneOn-day', 'agreementId']));
		expect(routes().find((r) => r.id === '/disputes/[id]/papers')?.fields).toEqual(expect.arrayContaining(['paperId', 'file', CONFIRM_FIELD]));
		// Public forms are told apart from signed-in ones (they are probed anonymously, field by field, too).
		expect(routes().filter((r) => !r.signedInOnly && r.fields.length).map((r) => r.id)).toEqual(expect.arrayContaining(['/signin', '/signin/forgot', '/you-said-we-did/subscribe']));
		expect(routes().find((r) => r.id === '/disputes/polls')?.signedInOnly).toBe(true);
		// Every action is probed through its fields: a route whose actions read input none of the patterns
		// above recognise fails here, rather than being tried with its route parameters only.
		expect(routes().filter((r) => r.actions.length && r.readsForm && r.fields.length === 0).map((r) => r.id)).toEqual([]);
	});

	it('every tRPC procedure, signed in as a council officer and anonymously', async () => {
		const before = await fingerprint();
		const jobs: { label: string; request: [string, RequestInit]; mustRefuse: boolean }[] = [];
		for (const [name, procedure] of procedures) {
			const schema = procedure._def.inputs[0];
			const base = schema ? sample(schema) : undefined;
			for (const at of schema ? paths(base) : [[]]) {
				for (const value of HOSTILE) {
					const input = withValue(base, at, value);
					// A refused value where the schema has a field is refused; with no input at all, it is ignored.
					// An empty object or array where one belongs may be fine (all defaults, an empty list).
					const replaced = at.reduce<unknown>((node, step) => (node as Record<string | number, unknown>)[step], base);
					const sameShape = typeof value === 'object' && value !== null && Array.isArray(value) === Array.isArray(replaced) && typeof replaced === 'object';
					const mustRefuse = Boolean(schema) && REFUSED.includes(value) && !sameShape;
					jobs.push({ label: `officer ${name} ${at.join('.') || '(input)'}=${describeValue(value)}`, request: trpcRequest(name, procedure, input, true), mustRefuse });
				}
			}
			for (const value of HOSTILE) {
				jobs.push({ label: `anonymous ${name} (input)=${describeValue(value)}`, request: trpcRequest(name, procedure, value, false), mustRefuse: true });
			}
		}
		await inParallel(jobs, (job) => probe(job.label, ...job.request, job.mustRefuse));
		expect(failures, failures.slice(0, 40).join('\n')).toEqual([]);
		expect(await fingerprint()).toEqual(before);
	}, 600_000);

	it('every page: route parameters and the query parameters it reads', async () => {
		const before = await fingerprint();
		const jobs: { label: string; url: string; signedIn: boolean; mustRefuse: boolean }[] = [];
		for (const route of routes()) {
			for (const signedIn of [true, false]) {
				for (const param of route.params) {
					for (const value of HOSTILE_TEXT) {
						const url = app.url + route.path(param, value);
						jobs.push({ label: `${signedIn ? 'officer' : 'anonymous'} GET ${route.id} ${param}=${value.slice(0, 30)}`, url, signedIn, mustRefuse: false });
					}
				}
				for (const query of route.query) {
					for (const value of HOSTILE_TEXT) {
						const url = `${app.url}${route.path()}?${query}=${value}`;
						jobs.push({ label: `${signedIn ? 'officer' : 'anonymous'} GET ${route.id}?${query}=${value.slice(0, 30)}`, url, signedIn, mustRefuse: false });
					}
				}
			}
		}
		await inParallel(jobs, (job) => probe(job.label, job.url, { headers: headers(job.signedIn) }, job.mustRefuse));
		expect(failures, failures.slice(0, 40).join('\n')).toEqual([]);
		expect(await fingerprint()).toEqual(before);
	}, 600_000);

	it('every form action: each field it reads, and its route parameters', async () => {
		const before = await fingerprint();
		// Each field and route parameter is probed alone the way an enhanced form posts (the action's answer
		// as JSON: the action runs, the page is not drawn), and each value once in every field at once the
		// way a browser without JavaScript posts, asking for a page (the refused form is drawn again with
		// what was typed, which the JSON answer never exercises). Drawing the page for every field and
		// value would only repeat the drawing without reaching new code.
		const jobs: { label: string; url: string; body: URLSearchParams; signedIn: boolean; enhanced: boolean }[] = [];
		const idLike = (field: string) => /Id$|[vV]ersion|submissionNo/.test(field);
		for (const route of routes()) {
			for (const action of route.actions) {
				const target = (param?: string, value?: string) => `${app.url}${route.path(param, value)}${action === 'default' ? '' : `?/${action}`}`;
				// A comment's only field is free text, which may be stored: posted to the real subject, a
				// well-formed one would be written. Its input is parsed before the subject is read, so it
				// is probed on a subject that does not exist (refused values answer 400, the rest 404).
				const fieldTarget = () => (ON_ABSENT_ROW.has(action) ? target(ALL_PARAMS, String(ABSENT_ID)) : target());
				const base = new URLSearchParams();
				for (const field of route.fields) base.set(field, field === CONFIRM_FIELD ? 'yes' : idLike(field) ? String(ABSENT_ID) : 'A well-formed probe');
				const asPosted = (value: string) => (value.includes('%') ? decodeURIComponentSafe(value) : value);
				// ' 1' or '01' in an id or version field names a real row or version: the change is then real.
				const namesRealRow = (field: string, value: string) => idLike(field) && /^\s*\d{1,9}\s*$/.test(value);
				const values = [...HOSTILE_TEXT, 'a\u0000b', 'lone \uD800 surrogate'];
				for (const signedIn of [true, false]) {
					const who = signedIn ? 'officer' : 'anonymous';
					// Anonymous posts to signed-in pages are sent to sign in before any field is read: the route
					// parameters suffice. Public forms (signing in, subscribing, a link from an email) read their
					// fields for anyone, and are probed anonymously too.
					const readsFields = signedIn || !route.signedInOnly;
					for (const field of readsFields ? route.fields : []) {
						for (const value of values) {
							if (namesRealRow(field, value)) continue;
							const body = new URLSearchParams(base);
							body.set(field, asPosted(value));
							jobs.push({ label: `${who} POST ${route.id} ?/${action} ${field}=${value.slice(0, 30)}`, url: fieldTarget(), body, signedIn, enhanced: true });
						}
						// The same field twice, as a tampered form might send it.
						const twice = new URLSearchParams(base);
						twice.append(field, 'constructor');
						jobs.push({ label: `${who} POST ${route.id} ?/${action} ${field} twice`, url: fieldTarget(), body: twice, signedIn, enhanced: true });
					}
					if (readsFields && route.fields.length) {
						for (const value of values) {
							const body = new URLSearchParams(base);
							// A list of ids (lineIds, settingIds) given ' 1' names real rows too: with every other field
							// holding the same number, that can be a well-formed create (a target called '1', counting line 1).
							for (const field of route.fields) if (field !== CONFIRM_FIELD && !namesRealRow(field, value) && !(field.endsWith('Ids') && namesRealRow('anId', value))) body.set(field, asPosted(value));
							jobs.push({ label: `${who} POST (no JavaScript) ${route.id} ?/${action} every field=${value.slice(0, 30)}`, url: fieldTarget(), body, signedIn, enhanced: false });
						}
					}
					for (const param of route.params) {
						for (const value of HOSTILE_TEXT) {
							jobs.push({ label: `${who} POST ${route.id} ?/${action} ${param}=${value.slice(0, 30)}`, url: target(param, value), body: base, signedIn, enhanced: true });
						}
					}
					if (route.params.length) {
						for (const value of HOSTILE_TEXT) {
							jobs.push({ label: `${who} POST (no JavaScript) ${route.id} ?/${action} every parameter=${value.slice(0, 30)}`, url: target(ALL_PARAMS, value), body: base, signedIn, enhanced: false });
						}
					}
				}
			}
		}
		await inParallel(jobs, (job) =>
			probe(
				job.label,
				job.url,
				{
					method: 'POST',
					// Without the accept header a post is answered as JSON (fetch's own is */*): a browser's asks for a page.
					headers: headers(job.signedIn, { 'content-type': 'application/x-www-form-urlencoded', ...(job.enhanced ? { accept: 'application/json', 'x-sveltekit-action': 'true' } : { accept: 'text/html' }) }),
					body: job.body
				},
				false
			)
		);
		expect(failures, failures.slice(0, 40).join('\n')).toEqual([]);
		expect(await fingerprint()).toEqual(before);
	}, 600_000);

	it('socket joins and events: refused with a reason, never an internal failure, and the connection carries on', async () => {
		const client: Socket<ServerToClientEvents, ClientToServerEvents> = connectClient(app.url, {
			transports: ['websocket'],
			extraHeaders: { cookie: `${SESSION_COOKIE}=${officerToken}` },
			reconnection: false
		});
		await new Promise<void>((resolve, reject) => {
			client.once('connect', resolve);
			client.once('connect_error', reject);
		});
		// Messages over the socket's size limit end the connection by design (tested in live.test.ts).
		const hostile = HOSTILE.filter((value) => (JSON.stringify(value) ?? '').length < 1000);
		try {
			const rooms = ['cluster:2147483648', 'bid:9999999999', 'user:-1', 'bid:1.5', 'cluster:abc', '__proto__', 'constructor', 'cluster:\u0000', ''];
			const requests: unknown[] = [
				...rooms.map((room) => ({ room })),
				...hostile.map((room) => ({ room })),
				...hostile.map((since) => ({ room: `cluster:${realIds.id}`, since })).filter((r) => typeof r.since !== 'number' || !Number.isInteger(r.since) || r.since < 0 || r.since > 2 ** 31 - 1),
				...hostile
			];
			for (const request of requests) {
				const reply = (await client.timeout(5000).emitWithAck('join', request as never)) as JoinReply;
				expect(reply.ok, `join ${describeValue(request)}`).toBe(false);
				expect(reply.reason, `join ${describeValue(request)}`).not.toMatch(/could not open/);
				for (const value of hostile) {
					client.emit('focus', { room: `cluster:${realIds.id}`, section: value } as never);
					client.emit('leave', { room: value } as never);
				}
			}
			// Still connected, and still served.
			expect((await client.timeout(5000).emitWithAck('join', { room: `cluster:${realIds.id}` })).ok).toBe(true);
		} finally {
			client.close();
		}
	}, 120_000);
});

// ——— Routes, read from src/routes ———

interface Route {
	id: string;
	/** The address, with `param` (if given, or every one for ALL_PARAMS) set to `value` and the others to a row that exists. */
	path(param?: string, value?: string): string;
	params: string[];
	query: string[];
	actions: string[];
	fields: string[];
	/** Whether its actions read a posted form at all (a confirmation link's action reads only its address). */
	readsForm: boolean;
	/** Under the signed-in layout group, (app): anyone else is sent to sign in. */
	signedInOnly: boolean;
}

// The action names come from the route modules themselves (as the server sees them, spread helpers
// such as the PCF advice actions included); the fields each reads are found in the route's server
// code and in the helper modules it imports that read posted forms.
const serverModules = import.meta.glob<{ actions?: Record<string, unknown> }>('/src/routes/**/+page.server.ts', { eager: true });
const moduleActions = new Map(Object.entries(serverModules).map(([file, module]) => [file.replace(/^\//, ''), Object.keys(module.actions ?? {})]));

/**
 * The source of the helper modules a route's server code imports that read a posted form, and of
 * the helpers those import in turn (a page's actions may come from a helper that spreads another's).
 */
function formHelpers(dir: string, source: string, seen = new Set<string>()): string[] {
	const helpers: string[] = [];
	for (const [, specifier] of source.matchAll(/from '((?:\.\.?\/|\$lib\/server\/)[^']+)'/g)) {
		const bare = specifier.startsWith('$lib/') ? path.join(ROOT, 'src/lib', specifier.slice(5)) : path.resolve(dir, specifier);
		const file = [bare, `${bare}.ts`, path.join(bare, 'index.ts')].find((f) => existsSync(f) && statSync(f).isFile());
		// The form helper itself reads only the fields it is given; those are found at its callers.
		if (!file || seen.has(file) || file.endsWith(path.join('server', 'forms.ts'))) continue;
		seen.add(file);
		const text = readFileSync(file, 'utf8');
		if (/formAction\(|FormData/.test(text)) helpers.push(text);
		// Followed on only from a module that builds actions (it names SvelteKit's Action type), such as
		// the advice page's, which spreads the advice and discussion actions; not through the whole app.
		if (/import type \{[^}]*\bActions?\b[^}]*\} from '@sveltejs\/kit'/.test(text)) helpers.push(...formHelpers(path.dirname(file), text, seen));
	}
	return helpers;
}

/** The posted fields a route's form actions read, found in their source. */
function fieldsIn(source: string): string[] {
	const names = (pattern: RegExp) => [...source.matchAll(pattern)].map((m) => m[1]);
	return [
		...new Set([
			...names(/(?:textOf|formText)\([^'\n]*?'([\w.-]+)'\)/g),
			// A helper's own reader of one posted field (the new-password fields).
			...names(/\btext\('([\w.-]+)'\)/g),
			...names(/(?:form|data|posted|formData\(\))\)?\.get(?:All)?\('([\w.-]+)'\)/g),
			// Ticked boxes and repeated rows read through the shared helpers.
			...names(/\b(?:idsFrom|textsFrom|ids)\([^'\n]*?'([\w.-]+)'\)/g),
			...names(/\byearRows\([^'\n]*?'([\w.-]+)'\)/g).map((prefix) => `${prefix}-2026`),
			// A date is posted as three fields (DateInput): <name>-day, -month and -year.
			...names(/(?:DATE_PARTS\(|datePartsOf\([^'\n]*?|\bdate\([^'\n]*?)'(\w+)'\)/g).flatMap((name) => [`${name}-day`, `${name}-month`, `${name}-year`]),
			// Fields a form action names for the form helper (`formAction({ fields: [...] })`, or a list it is given).
			...[...source.matchAll(/(?:fields:|FIELDS\s*=)\s*\[([^\]]*)\]/g)].flatMap((m) => [...m[1].matchAll(/'([\w.]+)'/g)].map((f) => f[1])),
			// Fields read through the shared helpers (people's grant fields, bid sections).
			...(/grantFromForm|grantFormValues/.test(source) ? ['kind', 'settingId', 'settingRole', 'clusterId', 'clusterRole', 'countyRole'] : []),
			...(/valuesFromForm/.test(source) ? ['title', 'summary', 'cohortSize', 'needs', 'phases', 'item.0', 'category.0', 'cost.0', 'dueOn.0', 'evaluation'] : []),
			// A step that cannot simply be undone is ticked, so the probe reaches the command behind it.
			...(/confirm: '/.test(source) ? [CONFIRM_FIELD] : [])
		])
	];
}

const ALL_PARAMS = '*';
/** Actions that write free text to the row their address names (see the form action probe). */
const ON_ABSENT_ROW = new Set(['comment', 'reply']);

let found: Route[] | undefined;
function routes(): Route[] {
	if (found) return found;
	const base = path.join(ROOT, 'src/routes');
	const list: Route[] = [];
	const walk = (dir: string) => {
		const files = readdirSync(dir);
		for (const file of files) if (statSync(path.join(dir, file)).isDirectory()) walk(path.join(dir, file));
		const served = files.filter((f) => /^\+(page\.svelte|page\.server\.ts|server\.ts)$/.test(f));
		if (served.length === 0) return;
		const id = '/' + path.relative(base, dir).split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).join('/');
		// The page's own server code and the helpers beside it that read the posted form.
		const sources = files.filter((f) => /\.server\.ts$|^\+server\.ts$/.test(f)).map((f) => readFileSync(path.join(dir, f), 'utf8'));
		const ownSource = sources.join('\n');
		const source = [ownSource, ...formHelpers(dir, ownSource)].join('\n');
		const params = [...id.matchAll(/\[(\w+)\]/g)].map((m) => m[1]);
		const actions = files.includes('+page.server.ts') ? (moduleActions.get(path.relative(ROOT, path.join(dir, '+page.server.ts')).split(path.sep).join('/')) ?? []) : [];
		const query = [
			...new Set([
				...[...source.matchAll(/searchParams\.get\('(\w+)'\)/g)].map((m) => m[1]),
				// Parameters read through the pickers' shared helper.
				...(/grantPickers\(/.test(source) ? ['settingQuery', 'clusterQuery', 'settingId', 'clusterId'] : []),
				...(/moveSettingPicker\(/.test(source) ? ['moveQuery', 'toClusterId'] : [])
			])
		];
		const fields = actions.length ? fieldsIn(source) : [];
		list.push({
			id,
			params,
			query: id === '/signin' ? query.filter((q) => q !== 'next') : query,
			// The sign-out action ends the session the other probes use; it reads no input anyway.
			actions: id === '/signout' ? [] : actions,
			fields,
			readsForm: /formData\(|formAction\(/.test(source),
			signedInOnly: path.relative(base, dir).split(path.sep).includes('(app)'),
			path(param, value) {
				return id.replace(/\[(\w+)\]/g, (_, name: string) => {
					if (name === param || param === ALL_PARAMS) return value ?? '';
					// A person's page: the officer's own, which refuses the changes it could otherwise make.
					if (name === 'id' && id.startsWith('/admin/people')) return String(officerId);
					if (name === 'token') return 'a'.repeat(32);
					if (name === 'section') return 'overview'; // a section the bid has, so its form's fields are read
					return String(realIds[name] ?? realIds.id);
				});
			}
		});
	};
	walk(base);
	found = list;
	return list;
}
