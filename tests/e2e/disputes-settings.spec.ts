import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// The district's dispute settings: the SENDIASS officer follows the link from the district's
// cases, changes a target (with the reason), sees it in the history, adds a term and is refused a
// term that ends before it starts; the case list offers its flags column. A headteacher is
// refused the settings page with the reason. axe at desktop and 320 px on each page.

test.describe('dispute panels: settings', () => {
	test('an officer edits a target and adds a term; a headteacher is refused', async ({ page, openPage }) => {
		test.slow();
		await signIn(page, 'sendiass');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Dispute panels' }).click();
		await expect(page.getByTestId('cases')).toContainText('Flags');
		await expect(page.getByTestId('flag-filter')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByTestId('settings-link').click();
		await expect(page.getByRole('heading', { level: 1, name: 'Dispute settings' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		await page.locator('#periods-periods-referralToMeeting-count').fill('12');
		await page.locator('#periods-periods-referralToMeeting-unit').selectOption('working');
		await page.getByLabel('Why are the settings changing?').fill('The reform set a shorter target');
		await page.getByRole('button', { name: 'Save the settings' }).click();
		await expect(page.getByText('Settings saved.')).toBeVisible();
		await expect(page.locator('#periods-periods-referralToMeeting-count')).toHaveValue('12');
		await expect(page.getByTestId('settings-history')).toContainText('The reform set a shorter target');
		await expect(page.getByTestId('settings-history')).toContainText('Target: from referral to the panel meeting from 15 school days to 12 working days');

		// A term that ends before it starts is refused beside the field.
		const year = new Date().getFullYear() + 3;
		const term = page.getByTestId('term-form');
		await term.locator('#term-startsOn').fill('3');
		await term.locator('#term-startsOn-month').fill('9');
		await term.locator('#term-startsOn-year').fill(String(year));
		await term.locator('#term-endsOn').fill('1');
		await term.locator('#term-endsOn-month').fill('9');
		await term.locator('#term-endsOn-year').fill(String(year));
		await page.getByRole('button', { name: 'Add the term' }).click();
		await expect(page.locator('.govuk-error-summary')).toContainText('The last day of term must be after the first day');
		await expectNoSeriousAxeViolations(page);

		await term.locator('#term-endsOn').fill('18');
		await term.locator('#term-endsOn-month').fill('12');
		await page.getByRole('button', { name: 'Add the term' }).click();
		await expect(page.getByText('Term added.')).toBeVisible();
		await expect(page.getByTestId('terms')).toContainText(`18 December ${year}`);
		await expect(page.getByTestId('settings-history')).toContainText('Added a term');
		await expectNoSeriousAxeViolations(page);

		const head = await openPage();
		await signIn(head, 'headteacher');
		await expectNoSeriousAxeViolations(head);
		const response = await head.goto('/disputes/settings');
		expect(response?.status()).toBe(403);
		await expect(head.getByTestId('refusal-reason')).toContainText('SENDIASS officers');
		await expectNoSeriousAxeViolations(head);
	});
});
