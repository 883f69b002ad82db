import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// A trust applying for several of its academies at once: the partner headteacher (head of one of
// the demo trust's academies) is refused for a trust school they do not lead, then starts a draft
// for their own. axe runs on every page visited, at desktop width and 320 px.

test.describe('a trust’s schools at once', () => {
	test('the trust’s signatory starts drafts only for schools they may sign for', async ({ page }) => {
		const line = page.getByLabel('Which round and line?');
		const chooseEarlyYears = async () => line.selectOption((await line.locator('option', { hasText: 'Early years support base' }).getAttribute('value')) ?? '');
		await signIn(page, 'partnerHeadteacher', { next: '/capital/applications/trust' });
		await expect(page.getByRole('heading', { level: 1, name: 'Apply for several of a trust’s schools' })).toBeVisible();
		await expect(page.getByRole('heading', { level: 2, name: 'Cherwell Valley Learning Trust' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		await chooseEarlyYears();
		await page.getByLabel(/^Banbury Castlebrook Academy/).check();
		await page.getByLabel(/^Bicester Stonebridge Academy/).check();
		await page.getByRole('button', { name: 'Start the applications' }).click();
		// A permission refusal is the portal's refusal page, saying why (forms.ts).
		await expect(page.getByText('Only the headteacher of Bicester Stonebridge Academy can record Cherwell Valley Learning Trust’s sign-off for it')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.goto('/capital/applications/trust');

		// Refused for a missing round: the error summary says so and the ticked school stays ticked.
		await page.getByLabel(/^Banbury Castlebrook Academy/).check();
		await page.getByRole('button', { name: 'Start the applications' }).click();
		await expect(page.getByRole('alert').getByRole('link', { name: /round/i })).toBeVisible();
		await expect(page).toHaveTitle(/^Error: /);
		await expect(page.getByLabel(/^Banbury Castlebrook Academy/)).toBeChecked();
		await expect(page.getByLabel(/^Bicester Stonebridge Academy/)).not.toBeChecked();
		await expectNoSeriousAxeViolations(page);

		await chooseEarlyYears();
		await page.getByRole('button', { name: 'Start the applications' }).click();
		await expect(page.getByTestId('trust-started')).toContainText('One draft application was started.');
		await expectNoSeriousAxeViolations(page);
	});
});
