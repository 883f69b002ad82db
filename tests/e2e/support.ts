// Shared end-to-end helpers: signing in as a demo person, inviting someone, the axe check, and a
// `test` whose fixture fails any test that visited a page without running axe on it (or whose
// pages threw a script error). Import `test` and `expect` from here, not from @playwright/test.
import { test as base, expect, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, RunOptions } from 'axe-core';
import { DEMO_PASSWORD, demoAccount, type DemoAccountKey } from '../../db/seed/demo-accounts';

export { expect };
export { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SETTINGS, demoAccount, type DemoAccountKey } from '../../db/seed/demo-accounts';

/** WCAG 2.2 AA as axe knows it; GOV.UK services are held to this. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Paths each page has had an axe check on, so the fixture can tell which were missed. */
const checkedPaths = new WeakMap<Page, Set<string>>();

const pathOf = (url: string) => new URL(url).pathname;

/** Pages in a context with JavaScript switched off (axe needs scripts and timers to run). */
const scriptlessPages = new WeakSet<Page>();

/** The narrowest screen GOV.UK services must work on (WCAG 1.4.10 Reflow: 320 CSS pixels). */
export const NARROW_WIDTH = 320;

/**
 * Runs axe on the page as it is now, at its own (desktop) width and again at 320 px, and fails on
 * any serious or critical violation, listing each one with the elements it found; at 320 px it
 * also fails if the page scrolls sideways, naming what sticks out. Minor and moderate findings
 * are attached to the report only.
 */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
	await page.waitForLoadState('load');
	const path = pathOf(page.url());
	const scriptless = scriptlessPages.has(page);
	const paths = checkedPaths.get(page) ?? new Set<string>();
	paths.add(path);
	checkedPaths.set(page, paths);
	// The same document at the same width, with the same styles, gets the same answer: a page met
	// again exactly as it was (the sign-in page, before each person signs in) is checked once.
	const key = `${scriptless}|${page.viewportSize()?.width}|${createHash('sha256').update(await page.content()).digest('hex')}`;
	const earlier = answered.get(key);
	if (earlier) {
		if (earlier.length) throw new Error(earlier.join('\n'));
		return;
	}
	const problems = await axeProblems(page, path, scriptless);
	answered.set(key, problems);
	if (problems.length) throw new Error(problems.join('\n'));
}

/** Documents already checked in this worker, by scripts, width and content: what was found on each. */
const answered = new Map<string, string[]>();

async function axeProblems(page: Page, path: string, scriptless: boolean): Promise<string[]> {
	const copy = scriptless ? await scriptlessCopy(page) : null;
	const target = copy ?? page;
	let desktop: Check, narrow: Check;
	try {
		desktop = await analyze(target);
		narrow = await atWidth(target, NARROW_WIDTH, () => checkNarrow(target));
	} finally {
		await copy?.context().close();
	}

	const problems: string[] = [];
	for (const [label, results] of [
		['desktop width', desktop.results],
		[`${NARROW_WIDTH} px`, narrow.results]
	] as const) {
		const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		const lesser = results.violations.filter((v) => !serious.includes(v));
		if (lesser.length) {
			await base.info().attach(`axe minor findings on ${path} at ${label}`, { body: describeViolations(lesser), contentType: 'text/plain' });
		}
		if (serious.length) problems.push(`axe found serious accessibility problems on ${path} at ${label}:\n${describeViolations(serious)}`);
	}
	if (narrow.overflow) problems.push(`${path} scrolls sideways at ${NARROW_WIDTH} px: ${narrow.overflow}`);
	return problems;
}

interface Check {
	results: AxeResults;
	/** At 320 px: why the page scrolls sideways, or null when it does not. */
	overflow: string | null;
}

/** axe-core's own build, put into the page as its source. */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type AxeWindow = Window & { axe?: { run(context: Document, options: RunOptions): Promise<AxeResults> } };

/**
 * Runs axe-core in the page's document. Its source goes into each document once (a page that
 * moves on without reloading keeps it), and nothing else is opened: @axe-core/playwright put the
 * source in again and opened a blank page for every check, about a second each on two cores,
 * where the check itself takes a tenth of that. The page has no frames to reach into.
 */
async function runAxe(page: Page, runOnly: RunOptions['runOnly']): Promise<AxeResults> {
	if (!(await page.evaluate(() => typeof (window as AxeWindow).axe === 'object'))) await page.evaluate(axeSource);
	return page.evaluate((only) => {
		const axe = (window as AxeWindow).axe;
		if (!axe) throw new Error('axe-core did not load in the page');
		// Every violation in full; passes and incomplete findings are not reported, so not kept.
		return axe.run(document, { runOnly: only, resultTypes: ['violations'], iframes: false });
	}, runOnly);
}

async function analyze(page: Page): Promise<Check> {
	return { results: await runAxe(page, { type: 'tag', values: AXE_TAGS }), overflow: null };
}

/**
 * The axe rules whose answer can change with the window's width: a table box that only scrolls
 * when narrow, targets that shrink or crowd, and the viewport's own settings. Names, labels,
 * ARIA, structure and colours are the same at every width (no style changes colour by width) and
 * were checked at desktop width; running all of axe twice doubled the time of the longest pages.
 */
const NARROW_RULES = ['scrollable-region-focusable', 'target-size', 'meta-viewport', 'meta-viewport-large', 'frame-focusable-content', 'nested-interactive'];

/** Axe's width-dependent rules and the sideways-scroll check, on a page already at the narrow width. */
async function checkNarrow(page: Page): Promise<Check> {
	const results = await runAxe(page, { type: 'rule', values: NARROW_RULES });
	return { results, overflow: await sidewaysScroll(page) };
}

/** Runs `work` with the page at `width`, then puts the page back as it was. */
async function atWidth<T>(page: Page, width: number, work: () => Promise<T>): Promise<T> {
	const original = page.viewportSize();
	await page.setViewportSize({ width, height: original?.height ?? 800 });
	try {
		// Let the page lay itself out at the new width before measuring.
		await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
		return await work();
	} finally {
		if (original) await page.setViewportSize(original);
	}
}

/** Null when the document is no wider than the window; otherwise the widest elements that stick out. */
function sidewaysScroll(page: Page): Promise<string | null> {
	return page.evaluate(() => {
		const root = document.documentElement;
		if (root.scrollWidth <= root.clientWidth) return null;
		const culprits = [...document.body.querySelectorAll<HTMLElement>('*')]
			.filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
			// Only the outermost that stick out: their children say nothing new.
			.filter((el, _, all) => !all.includes(el.parentElement as HTMLElement))
			.slice(0, 5)
			.map((el) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).trim().replaceAll(/\s+/g, '.')}` : ''}> ${Math.round(el.getBoundingClientRect().right)} px`);
		return `document ${root.scrollWidth} px wide in a ${root.clientWidth} px window; ${culprits.join(', ')}`;
	});
}

/**
 * A page rendered without JavaScript is checked as a copy: its document, scripts removed, served
 * at the same address in a scripted page of its own context (axe needs scripts to run), so the
 * portal's own styles apply exactly as they did. The caller closes the copy's context.
 */
async function scriptlessCopy(page: Page): Promise<Page> {
	const browser = page.context().browser();
	if (!browser) throw new Error('no browser to check a scriptless page in');
	const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/<link[^>]+rel="modulepreload"[^>]*>/gi, '');
	// Said outright: the test runner gives new contexts the test's own options, which may switch scripts off.
	const context = await browser.newContext({ viewport: page.viewportSize(), javaScriptEnabled: true });
	const copy = await context.newPage();
	const url = page.url();
	await copy.route((candidate) => candidate.href === url, (route) => route.fulfill({ body: html, contentType: 'text/html' }));
	await copy.goto(url);
	return copy;
}

function describeViolations(violations: AxeResults['violations']): string {
	return violations
		.map((v) =>
			[
				`- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
				...v.nodes.map((node) => `    ${node.target.join(' ')}\n      ${(node.failureSummary ?? '').replaceAll('\n', '\n      ')}`)
			].join('\n')
		)
		.join('\n');
}

/**
 * Signs in through the sign-in page as a person would, checking the page with axe on the way.
 * With `next`, the person lands there (as when following a link while signed out); otherwise on
 * their home page, which shows who they are.
 */
export async function signIn(page: Page, key: DemoAccountKey, options: { next?: string } = {}) {
	const account = demoAccount(key);
	await page.goto(options.next ? `/signin?next=${encodeURIComponent(options.next)}` : '/signin');
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await page.getByLabel('Email address').fill(account.email);
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(options.next ?? '/');
	await expect(page.getByText(`Signed in as ${account.name}.`)).toBeVisible();
	return account;
}

/** Someone not yet in the portal, unique per run and per retry (the database lives as long as the server). */
export function newPerson(role: string) {
	const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
	return { email: `new.${role}.${suffix}@school.example`, name: `Jordan Ellis ${suffix}` };
}

/**
 * Chooses in a search picker (a setting or a cluster): types part of its name, presses Search (a
 * live search with JavaScript, a GET to the page without) and picks the match by its words.
 */
export async function pickBySearch(scope: Page | Locator, noun: 'setting' | 'cluster' | 'locality cluster' | 'district', query: string, choice: string): Promise<void> {
	await scope.getByLabel(`Find a ${noun}`).fill(query);
	await scope.getByRole('button', { name: `Search for a ${noun}` }).click();
	await scope.getByRole('radio', { name: choice, exact: true }).check();
}

/**
 * Follows a link and waits for the address it names, not merely for any address of the same
 * shape: a page that is already on `?page=<one cursor>` matches a pattern for the next cursor
 * too, and a test that goes on before its own page has loaded reads (or types into) the old one.
 */
export async function followLink(page: Page, link: Locator): Promise<void> {
	const href = await link.getAttribute('href');
	if (href === null) throw new Error('followLink: the link has no href');
	const target = new URL(href, page.url()).toString();
	await link.click();
	await expect(page).toHaveURL(target);
}

/**
 * A signed-in officer or administrator invites someone as headteacher or SENCO at a setting, then
 * reads the invitation email on the outgoing-mail page (there is no mail server in tests) and
 * returns its link. Checks each page it passes with axe.
 */
export async function inviteToSetting(
	page: Page,
	invitee: { email: string; name: string },
	setting: { label: string; role: 'Headteacher' | 'SENCO' }
): Promise<string> {
	await page.goto('/admin/people/invite');
	await expect(page.getByRole('heading', { level: 1, name: 'Invite someone' })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await page.getByLabel('Email address').fill(invitee.email);
	await page.getByLabel('Full name').fill(invitee.name);
	await page.getByRole('radio', { name: 'Headteacher or SENCO at a setting' }).check();
	await pickBySearch(page, 'setting', setting.label.split(',')[0], setting.label);
	await page.getByLabel('Role at the setting').selectOption({ label: setting.role });
	await expectNoSeriousAxeViolations(page); // with the radio's reveal open
	await page.getByRole('button', { name: 'Send invitation' }).click();
	await expect(page.getByTestId('invite-sent')).toContainText('Invitation sent');
	await expect(page.getByTestId('invite-sent')).toContainText(invitee.email);
	await expectNoSeriousAxeViolations(page);

	await page.getByRole('main').getByRole('link', { name: 'Outgoing mail' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Outgoing mail' })).toBeVisible();
	const email = page.getByRole('article').filter({ hasText: invitee.email });
	await expect(email).toHaveCount(1);
	await expectNoSeriousAxeViolations(page);
	const link = /https?:\/\/[^/\s]+\/invite\/[A-Za-z0-9_-]+/.exec(await email.innerText())?.[0];
	if (!link) throw new Error(`no invitation link in the email to ${invitee.email}`);
	return link;
}

/**
 * What the pages a test opened went through: the paths each visited (to compare with what axe
 * checked) and any script error the page threw, which a person would meet as a dead page.
 */
class PageAudit {
	#visited = new Map<Page, Set<string>>();
	readonly scriptErrors: string[] = [];

	watch(page: Page) {
		const visited = new Set<string>();
		this.#visited.set(page, visited);
		// Main-frame navigations, including SvelteKit's client-side ones (history API).
		page.on('framenavigated', (frame) => {
			if (frame !== page.mainFrame()) return;
			const url = frame.url();
			if (url.startsWith('http')) visited.add(pathOf(url));
		});
		page.on('pageerror', (error) => this.scriptErrors.push(`${pathOf(page.url())}: ${error.stack ?? error.message}`));
	}

	uncheckedPaths(): string[] {
		const missed: string[] = [];
		for (const [page, visited] of this.#visited) {
			const checked = checkedPaths.get(page) ?? new Set<string>();
			for (const path of visited) if (!checked.has(path)) missed.push(path);
		}
		return missed;
	}
}

interface Fixtures {
	/** Another person at another computer: a new browser context and page, closed after the test. */
	openPage: (options?: BrowserContextOptions) => Promise<Page>;
	/** Fails the test if a page it visited was never checked with axe, or threw a script error. */
	pageAudit: PageAudit;
}

export const test = base.extend<Fixtures>({
	pageAudit: [
		// eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern; it needs none
		async ({}, use, testInfo) => {
			const audit = new PageAudit();
			await use(audit);
			if (testInfo.status !== testInfo.expectedStatus) return; // the real failure says more
			expect(audit.scriptErrors, 'script errors in the pages').toEqual([]);
			expect(audit.uncheckedPaths(), 'pages visited without an axe check (call expectNoSeriousAxeViolations on them)').toEqual([]);
		},
		{ auto: true }
	],
	page: async ({ page, pageAudit, javaScriptEnabled }, use) => {
		pageAudit.watch(page);
		if (javaScriptEnabled === false) scriptlessPages.add(page);
		await use(page);
	},
	openPage: async ({ browser, pageAudit }, use) => {
		const contexts: BrowserContext[] = [];
		await use(async (options = {}) => {
			const context = await browser.newContext(options);
			contexts.push(context);
			const page = await context.newPage();
			pageAudit.watch(page);
			if (options.javaScriptEnabled === false) scriptlessPages.add(page);
			return page;
		});
		for (const context of contexts) await context.close();
	}
});
