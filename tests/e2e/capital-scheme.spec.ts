import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// A specialist scheme after approval in principle: on the demo SEMH unit (CAP-DEMO-SP2, seeded at
// its statutory steps with the feasibility, an approved fall in cost and the equalities impact
// assessment recorded), the officer sees the agreement refused naming the statutory step still
// open, records it approved, is refused a clawback period of 0, issues the agreement and
// downloads it as a PDF attachment; the school's headteacher records the trust's signature; delivery
// starts; a lower tender becomes a change that a second officer approves, so the agreement is
// reissued as version 2 (version 1 superseded with who and why) and needs signing again. axe at
// desktop and 320 px on the page in each state.

test.describe('specialist scheme after approval in principle', () => {
	test('officer records the statutory approval and issues the funding agreement; it is signed, the cost moves and it is reissued', async ({ page, openPage }) => {
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
		const schemeUrl = new URL(page.url()).pathname;

		// The school's headteacher records the trust's signature (a trust is not a portal user);
		// the officer's page, open all along, shows the agreement signed without a reload.
		const head = await openPage();
		await signIn(head, 'partnerHeadteacher', { next: schemeUrl });
		await expect(head.getByTestId('agreement-status')).toHaveText('Issued, waiting for signatures');
		await expectNoSeriousAxeViolations(head);
		await head.getByRole('button', { name: /^Record the signature/ }).click();
		await expect(head.getByRole('alert')).toContainText('Give the name of the person who signed for them');
		await expectNoSeriousAxeViolations(head);
		await head.getByLabel('Who signed for them?').fill('Dr Ruth Adeyemi, chief executive of the trust');
		await head.getByRole('button', { name: /^Record the signature/ }).click();
		await expect(head.getByText('Your signature is recorded on the funding agreement.')).toBeVisible();
		await expect(head.getByTestId('agreement-status')).toHaveText('Signed');
		await expect(head.getByText('Dr Ruth Adeyemi, chief executive of the trust (recorded by')).toBeVisible();
		await expectNoSeriousAxeViolations(head);
		await expect(page.getByTestId('agreement-status')).toHaveText('Signed');

		// Delivery starts; the builder's final account comes in lower, so the costed total falls.
		await page.getByRole('button', { name: 'Start delivery' }).click();
		await expect(page.getByTestId('scheme-stage')).toHaveText('In delivery');
		const approved = await page.getByTestId('scheme-approved').textContent();
		const feasibility = page.locator('form[action="?/feasibility"]');
		const costed = Number((await feasibility.getByLabel('Costed scheme total, in pounds').inputValue()).replace(/,/g, ''));
		await feasibility.getByLabel('Costed scheme total, in pounds').fill(String(costed - 20000));
		await feasibility.getByLabel('Why has the cost moved?').fill('The tender came in £20,000 under the costed scheme.');
		await feasibility.getByRole('button', { name: 'Record the feasibility' }).click();
		await expect(page.getByText('The change to the costed total waits for another officer’s decision.')).toBeVisible();
		await expect(page.getByTestId('scheme-pending-change')).toContainText('It needs no new money.');
		await expectNoSeriousAxeViolations(page);

		// Another officer approves it; the agreed terms have moved, so the agreement is reissued.
		const second = await openPage();
		await signIn(second, 'admin', { next: schemeUrl });
		await second.getByLabel('Approve the change').check();
		await second.getByLabel('Why?').fill('Same places for less money.');
		await second.getByRole('button', { name: 'Record the decision' }).click();
		await expect(second.getByText('The change to the costed total is decided.')).toBeVisible();
		await expect(second.getByTestId('scheme-approved')).not.toHaveText(approved ?? '');
		await expectNoSeriousAxeViolations(second);

		await page.reload();
		await expect(page.getByRole('heading', { level: 3, name: 'Reissue the agreement' })).toBeVisible();
		await page.getByRole('button', { name: 'Reissue the funding agreement' }).click();
		await expect(page.getByRole('alert')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('Why is it reissued?').fill('The approved cost fell by £20,000 after the tender.');
		await page.getByRole('button', { name: 'Reissue the funding agreement' }).click();
		await expect(page.getByText('The funding agreement is reissued as a new version.')).toBeVisible();
		await expect(page.getByTestId('scheme-stage')).toHaveText('Funding agreement');
		await expect(page.getByTestId('agreement-status')).toHaveText('Issued, waiting for signatures');
		await expect(page.getByTestId('agreement-superseded')).toContainText('because “The approved cost fell by £20,000 after the tender.”');
		await expectNoSeriousAxeViolations(page);
		const reissued = page.waitForEvent('download');
		await page.getByRole('link', { name: 'Download the funding agreement, version 2 (PDF)' }).click();
		expect((await reissued).suggestedFilename()).toBe('funding-agreement-CAP-DEMO-SP2-v2.pdf');

		// Every signature is needed again, on the new version.
		await head.reload();
		await expect(head.getByTestId('agreement-status')).toHaveText('Issued, waiting for signatures');
		await expect(head.getByRole('button', { name: /^Record the signature/ })).toBeVisible();
		await expectNoSeriousAxeViolations(head);
	});
});
