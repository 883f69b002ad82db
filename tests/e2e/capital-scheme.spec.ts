import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// A specialist scheme after approval in principle: on the demo SEMH unit (CAP-DEMO-SP2, seeded at
// its statutory steps with the feasibility, an approved fall in cost and the equalities impact
// assessment recorded), the officer sees the agreement refused naming the statutory step still
// open, records it approved, is refused a clawback period of 0, issues the agreement and
// downloads it as a PDF attachment. axe at desktop and 320 px on the page in each state.

test.describe('specialist scheme after approval in principle', () => {
	test('officer records the statutory approval and issues the funding agreement', async ({ page }) => {
		test.slow();
		await signIn(page, 'officer', { next: '/capital/applications' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: /CAP-DEMO-SP2/ }).click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Specialist unit for social, emotional and mental health needs');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'The scheme: feasibility, statutory steps, funding agreement and delivery' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Scheme: Specialist unit for social, emotional and mental health needs');
		await expect(page.getByTestId('scheme-stage')).toHaveText('Statutory steps');
		await expect(page.getByTestId('scheme-changes')).toContainText('Falling rolls released two classrooms');
		await expect(page.getByTestId('move-issue_agreement-problem')).toContainText('recorded as approved (it is in progress)');
		await expectNoSeriousAxeViolations(page);

		const step = page.locator('details').filter({ hasText: /Record (prescribed alteration|significant change)/ });
		await step.locator('summary').click();
		await step.getByLabel('Approved').check();
		await step.getByLabel('Day').fill('1');
		await step.getByLabel('Month').fill('2');
		await step.getByLabel('Year').fill('2099');
		await step.getByRole('button', { name: /^Record/ }).click();
		await expect(page.getByRole('alert')).toContainText('Date must be');
		await expectNoSeriousAxeViolations(page);
		const again = page.locator('details').filter({ hasText: /Record (prescribed alteration|significant change)/ });
		if (!(await again.getAttribute('open'))) await again.locator('summary').click();
		await again.getByLabel('Approved').check();
		await again.getByLabel('Year').fill('2026');
		await again.getByLabel('Month').fill('11');
		await again.getByRole('button', { name: /^Record/ }).click();
		await expect(page.getByText('The statutory step is recorded.')).toBeVisible();
		await expect(page.getByTestId('scheme-steps')).toContainText('Approved on 1 November 2026');

		await page.getByLabel('Clawback period, in years from opening').fill('0');
		await page.getByRole('button', { name: 'Issue the funding agreement' }).click();
		await expect(page.getByRole('alert')).toContainText('The clawback period must be at least 1 year');
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('Clawback period, in years from opening').fill('10');
		await page.getByRole('button', { name: 'Issue the funding agreement' }).click();
		await expect(page.getByText('The funding agreement is issued.')).toBeVisible();
		await expect(page.getByTestId('scheme-stage')).toHaveText('Funding agreement');
		await expect(page.getByTestId('agreement-status')).toHaveText('Issued, waiting for signatures');
		const download = page.waitForEvent('download');
		await page.getByRole('link', { name: 'Download the funding agreement, version 1 (PDF)' }).click();
		expect((await download).suggestedFilename()).toBe('funding-agreement-CAP-DEMO-SP2-v1.pdf');
		await expectNoSeriousAxeViolations(page);
	});
});
