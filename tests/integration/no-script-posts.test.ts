import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import { ensureBuild, freePort, startApp, type AppProcess } from './app-process';
import { createSession, generateToken, SESSION_COOKIE } from '../../src/lib/server/auth/session';

// Forms posted by a browser without JavaScript, through the production build: the action runs and
// the page is drawn again in the same response (with the errors, or with what the action made),
// which an enhanced post (answered as JSON) never exercises.

let test: TestDatabase;
let app: AppProcess;
let token = '';
let panelToken = '';

beforeAll(async () => {
	ensureBuild();
	test = await freshDatabase();
	const port = await freePort();
	app = await startApp({ PORT: String(port), DATABASE_URL: test.url, SEED_DEMO: '1', LOG_LEVEL: 'warn', ORIGIN: `http://127.0.0.1:${port}` }, 120_000);
	// The county's five districts and 25 more, named to sort after them: more than one page of districts.
	await sql`insert into cluster (kind, name) select 'district', 'Zeta district ' || lpad(n::text, 2, '0') from generate_series(1, 25) n`.execute(test.db);
	const officer = await test.db.selectFrom('app_user').select('id').where('email', '=', 'officer@portal.example').executeTakeFirstOrThrow();
	token = generateToken();
	await createSession(test.db, token, officer.id);
	const panel = await test.db.selectFrom('app_user').select('id').where('email', '=', 'panel@portal.example').executeTakeFirstOrThrow();
	panelToken = generateToken();
	await createSession(test.db, panelToken, panel.id);
}, 240_000);

afterAll(async () => {
	if (app && app.child.exitCode === null) app.child.kill('SIGKILL');
	await test?.close();
});

const headers = (extra: Record<string, string> = {}, session = token) => ({ origin: app.url, cookie: `${SESSION_COOKIE}=${session}`, ...extra });

async function page(pathname: string, session = token): Promise<string> {
	const response = await fetch(`${app.url}${pathname}`, { headers: headers({}, session), redirect: 'manual' });
	expect(response.status, pathname).toBe(200);
	return response.text();
}

/** A form post as a browser without JavaScript sends it, asking for a page (fetch's own `accept: *\/*` is answered as JSON). */
function post(pathname: string, fields: Record<string, string>, session = token): Promise<Response> {
	return fetch(`${app.url}${pathname}`, {
		method: 'POST',
		headers: headers({ 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, session),
		body: new URLSearchParams(fields),
		redirect: 'manual'
	});
}

/** The decoded href of the link whose text is `label` (the pagination's Next and Previous). */
function linkHref(html: string, label: string): string | null {
	const anchors = [...html.matchAll(/<a\b[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)];
	const found = anchors.find(([, , text]) => text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').includes(label));
	return found ? found[1].replace(/&amp;/g, '&') : null;
}

describe('a refused need figures post on a later page of districts', () => {
	it('is answered with the same page, the district’s form showing its errors and what was typed', async () => {
		const first = await page('/capital/needs');
		expect(first).toContain('Cherwell');
		expect(first).not.toContain('Zeta district 25');
		const next = linkHref(first, 'Next');
		expect(next, 'the first page links to the next').toMatch(/[?&]page=/);
		const second = await page(next!.startsWith('/') ? next! : `/capital/needs${next}`);
		expect(second).toContain('Zeta district 25');
		expect(second).not.toContain('Cherwell');

		const district = await test.db.selectFrom('cluster').select('id').where('name', '=', 'Zeta district 25').executeTakeFirstOrThrow();
		// The form's own address: the page of districts it was drawn on, then the action.
		const form = second.match(new RegExp(`action="([^"]*)"[^>]*>(?:(?!</form>)[\\s\\S])*?name="districtId" value="${district.id}"[^>]*>\\s*<input[^>]*name="version" value="(\\d+)"`));
		const action = form?.[1]?.replace(/&amp;/g, '&');
		expect(action, 'the district’s form on the second page').toMatch(/page=/);
		const refused = await post(`/capital/needs${action}`, { districtId: String(district.id), version: form![2], forecastDemand: 'lots', plannedPlaces: '', outOfArea: '', independent: '', asOf: '', reason: '' });
		expect(refused.status).toBe(400);
		const html = await refused.text();
		expect(html).toContain('Zeta district 25');
		expect(html).not.toContain('Cherwell');
		expect(html).toContain('Forecast demand must be a whole number');
		expect(html).toContain('value="lots"');
		// Nothing was saved.
		expect(await test.db.selectFrom('audit_log').select('id').where('action', '=', 'capital.district_need_changed').execute()).toEqual([]);
	});
});

describe('a panel member’s calendar feed link, made without JavaScript', () => {
	it('is shown once in the page the post answers with; a refused post is answered 400 with the page', async () => {
		const polls = await page('/disputes/polls', panelToken);
		const membershipId = polls.match(/name="membershipId" value="(\d+)"/)?.[1];
		expect(membershipId, 'the page offers a feed link for the member’s pool').toBeDefined();
		const made = await post('/disputes/polls?/feed', { membershipId: membershipId! }, panelToken);
		expect(made.status).toBe(200);
		expect(made.headers.get('cache-control')).toBe('private, no-store');
		const html = await made.text();
		expect(html).toContain('data-testid="feed-made"');
		expect(html).toContain('data-testid="feed-url"');
		const member = await test.db.selectFrom('dispute_member').select('feed_token_hash').where('id', '=', Number(membershipId)).executeTakeFirstOrThrow();
		expect(member.feed_token_hash).not.toBeNull();

		const refused = await post('/disputes/polls?/feed', { membershipId: 'not a number' }, panelToken);
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain('govuk-error-summary');
	});
});
