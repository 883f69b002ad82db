import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// The Cherwell district workspace: its SENDIASS officer sees the panel of flagged dispute cases
// (references only, with the way to the flagged-only case list); the district's PCF representative,
// in another browser, sees the same workspace without the panel or its count. axe on each page.

test.describe('flagged dispute cases in the district workspace', () => {
	test('the officer sees the flagged cases panel and follows it to the case list; the PCF representative does not see it', async ({ page, openPage }) => {
		test.slow();
		await signIn(page, 'sendiass');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('main').getByRole('link', { name: /^Cherwell/ }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Cherwell' })).toBeVisible();
		const panel = page.getByTestId('dispute-flags');
		await expect(panel.getByRole('heading', { name: /^Cases approaching or past a target or deadline \(\d+\)$/ })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const workspace = new URL(page.url()).pathname;
		// The flagged cases only: each listed case carries its flags, a page at a time.
		await panel.getByRole('link', { name: /^See (all \d+ flagged cases|the flagged cases in the case list)$/ }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Dispute-resolution cases' })).toBeVisible();
		const flaggedTable = page.getByRole('table', { name: 'Flagged cases, newest first' });
		await expect(flaggedTable).toBeVisible();
		const flaggedRows = flaggedTable.getByRole('row').filter({ has: page.getByRole('link') });
		expect(await flaggedRows.count()).toBeGreaterThan(0);
		for (const row of await flaggedRows.all()) await expect(row).toContainText(/Past|Approaching/);
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Show all cases' }).click();
		await expect(page.getByRole('table', { name: 'Cases, newest first' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.goto(workspace);
		await panel.getByRole('link', { name: 'All of this district’s cases' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Dispute-resolution cases' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		const pcf = await openPage();
		await signIn(pcf, 'pcfRep', { next: workspace });
		await expect(pcf.getByRole('heading', { level: 1, name: 'Cherwell' })).toBeVisible();
		await expect(pcf.getByRole('heading', { name: 'Dispute-resolution panels' })).toBeVisible();
		await expect(pcf.getByTestId('dispute-flags')).toHaveCount(0);
		await expect(pcf.getByText(/approaching or past a target/)).toHaveCount(0);
		await expectNoSeriousAxeViolations(pcf);
	});
});
