import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// A district's PCF advisory group page lists its submitted bids and its funding rounds as paged
// tables (each in its own scrolling region, with its caption), and a round's link opens the
// group's themed response across that round. Read only: nothing is written, so no other spec's
// figures move. axe runs on every page at desktop width and 320 px.

test.describe('PCF advisory group page', () => {
	test('a representative finds the district’s submitted bids and rounds, and opens a round’s themed response', async ({ page }) => {
		await signIn(page, 'pcfRep', { next: '/pcf' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Cherwell' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Cherwell PCF advisory group' })).toBeVisible();
		const bids = page.getByRole('table', { name: 'Submitted bids in Cherwell' });
		const rounds = page.getByRole('table', { name: 'Funding rounds in Cherwell' });
		await expect(bids.getByRole('columnheader')).toHaveText(['Bid', 'Cluster', 'Status', 'Points', 'Watch list']);
		await expect(bids.getByRole('row').nth(1).getByRole('link')).toHaveAttribute('href', /^\/pcf\/bids\/\d+$/);
		await expect(rounds.getByRole('columnheader')).toHaveText(['Round', 'Cluster', 'Status', 'Submitted bids', 'Points across the round']);
		// The demo district has fewer than a page of each: no pager is shown.
		await expect(page.getByRole('navigation', { name: 'Funding rounds pages' })).toHaveCount(0);
		await expectNoSeriousAxeViolations(page);

		const round = rounds.getByRole('row').nth(1).getByRole('link');
		const roundName = ((await round.textContent()) ?? '').replace(': themed response across the round', '').trim();
		await round.click();
		await expect(page.getByRole('heading', { level: 1, name: `Themed response across “${roundName}”` })).toBeVisible();
		await expect(page.getByRole('status').filter({ hasText: /./ })).toHaveCount(0);
		await expectNoSeriousAxeViolations(page);
	});

	test('a made-up page link is refused with a clear message, not a failure', async ({ page }) => {
		await signIn(page, 'pcfRep', { next: '/pcf' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Cherwell' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Cherwell PCF advisory group' })).toBeVisible();
		const response = await page.goto(`${new URL(page.url()).pathname}?rounds=not-a-cursor`);
		expect(response?.status()).toBe(400);
		await expect(page.locator('main')).toContainText('That page link is not valid');
		await expectNoSeriousAxeViolations(page);
	});
});
