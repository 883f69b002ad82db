// The accessibility check every journey relies on: it must fail a page with serious problems,
// naming them, pass a sound one, and check a document again after it changes without reloading
// (axe-core is put into each document once and reused).
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousAxeViolations, test } from './support';

const page = (body: string) =>
	`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Check</title></head><body><main><h1>Check</h1>${body}</main></body></html>`;

const SOUND = page('<p>Every word here can be read.</p>');
// An image with no text alternative (critical), grey text on white (serious) and a box wider than
// a phone (sideways scrolling at 320 px).
const BROKEN = page(
	'<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20"><p style="color:#bbb;background:#fff">Too faint to read</p><div style="width:600px">Too wide</div>'
);

const failureOf = (check: Promise<void>) => check.then(() => null, (error: Error) => error.message);

/** The broken page fails the check, naming each problem; the sound one passes. */
async function brokenFailsSoundPasses(tab: Page) {
	await tab.route('**/axe-check/*', (route) => route.fulfill({ contentType: 'text/html', body: route.request().url().endsWith('/broken') ? BROKEN : SOUND }));

	await tab.goto('/axe-check/broken');
	const failure = await failureOf(expectNoSeriousAxeViolations(tab));
	expect(failure).toContain('image-alt');
	expect(failure).toContain('color-contrast');
	expect(failure).toContain('/axe-check/broken scrolls sideways at 320 px');

	await tab.goto('/axe-check/sound');
	expect(await failureOf(expectNoSeriousAxeViolations(tab))).toBeNull();
}

test.describe('the accessibility check', () => {
	test('fails a page with serious problems and says what they are; passes a sound page, also after it changes in place', async ({ page: tab }) => {
		await brokenFailsSoundPasses(tab);

		// The same document, changed without a reload (as a page does when it moves on by itself):
		// the check runs again on what is there now, with the copy of axe already in the page.
		await tab.evaluate(() => {
			document.querySelector('main')?.insertAdjacentHTML('beforeend', '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">');
		});
		const again = await failureOf(expectNoSeriousAxeViolations(tab));
		expect(again).toContain('image-alt');
		expect(again).not.toContain('color-contrast');
	});
});

test.describe('the accessibility check without JavaScript', () => {
	test('checks a copy of the page as served, and fails it for the same problems', async ({ openPage }) => {
		const tab = await openPage({ javaScriptEnabled: false });
		await brokenFailsSoundPasses(tab);
	});
});
