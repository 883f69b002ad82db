import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// A panel member's private calendar feed: on their polls page they make a feed link (shown once),
// their calendar app fetches it (an iCalendar feed, never cached), a tampered link is a 404, and
// once they stop it the link is a 404 too. axe at desktop and 320 px on the page in each state.

test.describe('district dispute-resolution panels: the calendar feed', () => {
	test('a member makes a private calendar feed link, it serves an uncached calendar, and stopping it ends it', async ({ page }) => {
		await signIn(page, 'panelMember');
		await expectNoSeriousAxeViolations(page);
		await page.goto('/disputes/polls');
		await expect(page.getByRole('heading', { level: 2, name: 'Your calendar feed' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		await page.getByRole('button', { name: /^(Make a|Replace the) feed link/ }).first().click();
		await expect(page.getByTestId('feed-made')).toContainText('shown only once');
		const url = await page.getByTestId('feed-url').inputValue();
		const path = /\/panel-calendar\/[A-Za-z0-9_-]+\.ics$/.exec(url)?.[0];
		expect(path).toBeTruthy();
		await expectNoSeriousAxeViolations(page);

		const feed = await page.request.get(path!);
		expect(feed.status()).toBe(200);
		expect(feed.headers()['content-type']).toMatch(/^text\/calendar/);
		expect(feed.headers()['cache-control']).toContain('no-store');
		const body = await feed.text();
		expect(body).toMatch(/^BEGIN:VCALENDAR/);
		expect(body).toContain('METHOD:PUBLISH');
		expect(body).not.toMatch(/ATTENDEE|Sunita/);

		const tampered = await page.request.get(path!.replace(/.{3}\.ics$/, 'xyz.ics'));
		expect(tampered.status()).toBe(404);

		await page.getByRole('button', { name: /^Stop the feed link/ }).first().click();
		await expect(page.getByTestId('feed-stopped')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		expect((await page.request.get(path!)).status()).toBe(404);
	});
});
