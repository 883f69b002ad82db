import { expect, expectNoSeriousAxeViolations, pickBySearch, signIn, test } from './support';

// The panels' governance figures: the SENDIASS officer follows the link from the district's cases
// to the figures (charts beside their tables, hidden small numbers explained), changes the year
// with the plain GET form without JavaScript, and downloads the CSV; a council officer reaches them
// from the menu and searches for another district; a headteacher is refused with the reason. axe at desktop and 320 px on each page.

test.describe('dispute panels: governance figures', () => {
	test('an officer reads the figures and downloads them; a council officer sees them; a headteacher is refused', async ({ page, openPage }) => {
		test.slow();
		await signIn(page, 'sendiass');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Dispute panels' }).click();
		await expect(page.getByTestId('reports-link')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByTestId('reports-link').click();
		await expect(page.getByRole('heading', { level: 1, name: 'Dispute panels: governance figures' })).toBeVisible();
		await expect(page.getByTestId('suppression-note')).toContainText('[c]');
		await expect(page.getByTestId('referrals-figure-chart')).toBeVisible();
		await expect(page.getByTestId('table-referrals')).toContainText('Heard by a panel');
		await expectNoSeriousAxeViolations(page);

		const download = page.waitForEvent('download');
		await page.getByRole('link', { name: 'Download these figures as CSV' }).click();
		const file = await download;
		expect(file.suggestedFilename()).toMatch(/^dispute-panels-cherwell-\d{4}\.csv$/);

		// The filters are a plain GET form: they work without JavaScript.
		const scriptless = await openPage({ javaScriptEnabled: false });
		await signIn(scriptless, 'sendiass', { next: '/disputes/reports' });
		await expect(scriptless.getByRole('heading', { level: 1, name: 'Dispute panels: governance figures' })).toBeVisible();
		const years = scriptless.getByLabel('Financial year');
		const lastYear = await years.locator('option').nth(1).getAttribute('value');
		await years.selectOption(lastYear!);
		await scriptless.getByRole('button', { name: 'Show figures' }).click();
		await expect(scriptless).toHaveURL(new RegExp(`year=${lastYear}`));
		await expect(scriptless.getByLabel('Financial year')).toHaveValue(lastYear!);
		await expectNoSeriousAxeViolations(scriptless);

		const officer = await openPage();
		await signIn(officer, 'officer');
		await expectNoSeriousAxeViolations(officer);
		await officer.getByRole('link', { name: 'Dispute panels' }).click();
		await expect(officer.getByRole('heading', { level: 1, name: 'Dispute panels: governance figures' })).toBeVisible();
		await expectNoSeriousAxeViolations(officer);
		// A council officer may read any district's figures, so they search for the district.
		await pickBySearch(officer, 'district', 'west', 'West Oxfordshire (district)');
		await officer.getByRole('button', { name: 'Show figures' }).click();
		await expect(officer).toHaveURL(/district=\d+/);
		await expect(officer.getByText('West Oxfordshire ·')).toBeVisible();
		await expectNoSeriousAxeViolations(officer);

		const head = await openPage();
		await signIn(head, 'headteacher');
		await expectNoSeriousAxeViolations(head);
		const response = await head.goto('/disputes/reports');
		expect(response?.status()).toBe(403);
		await expect(head.getByTestId('refusal-reason')).toContainText('SENDIASS officers and council officers');
		await expectNoSeriousAxeViolations(head);
	});
});
