import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// An early years grant after the decision: an officer offers a grant on the demo nursery's
// application (over the £10,000 cap refused first); the nursery's manager downloads the letter,
// accepts it with the subsidy-control declaration and claims with an invoice; the officer who
// offered may not approve the claim, a second officer does, and the base is open.

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

test.describe('early years grant', () => {
	test('officer offers, the nursery manager accepts and claims with a file, a second officer approves', async ({ page, openPage }) => {
		test.slow();
		const manager = await openPage();
		await signIn(manager, 'nurseryManager', { next: '/capital/applications' });
		await expectNoSeriousAxeViolations(manager);
		await manager.getByRole('link', { name: /CAP-DEMO-EY5/ }).click();
		await expect(manager.getByRole('heading', { level: 1 })).toContainText('Little Owls early years support base');
		await expect(manager.getByRole('link', { name: 'The grant: offer, letter, acceptance and claim' })).toBeVisible();
		await expectNoSeriousAxeViolations(manager);
		const grantUrl = `${new URL(manager.url()).pathname}/grant`;

		await signIn(page, 'officer', { next: grantUrl });
		await expect(page.getByRole('heading', { level: 1, name: 'Grant for Little Owls early years support base' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('Grant amount, in pounds').fill('10001');
		await page.getByLabel('Funding source (confirmed)').selectOption({ label: 'HNCPA tranche 1' });
		await page.getByLabel('Financial year').selectOption({ label: '2026/27' });
		await page.getByLabel('Why is the grant offered?').fill('Assessed: a clear plan for six places and a trained key person');
		await page.getByRole('button', { name: 'Offer the grant' }).click();
		await expect(page.getByRole('alert')).toContainText('Early years support base grants are at most £10,000 per base; £10,001 is over that.');
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('Grant amount, in pounds').fill('8500');
		await page.getByRole('button', { name: 'Offer the grant' }).click();
		await expect(page.getByText('The grant is offered. The setting has been told.')).toBeVisible();
		await expect(page.getByTestId('grant-status')).toHaveText('Offered, waiting for acceptance');

		// The manager's page was open on the application; the grant page shows the offer and its letter.
		await manager.goto(grantUrl);
		await expect(manager.getByTestId('grant-status')).toHaveText('Offered, waiting for acceptance');
		const download = manager.waitForEvent('download');
		await manager.getByRole('link', { name: 'Download the grant letter, version 1 (PDF)' }).click();
		expect((await download).suggestedFilename()).toBe('grant-letter-CAP-DEMO-EY5-v1.pdf');
		await expectNoSeriousAxeViolations(manager);
		await manager.getByRole('button', { name: 'Accept the grant' }).click();
		await expect(manager.getByRole('alert')).toContainText('Confirm the subsidy-control declaration');
		await expectNoSeriousAxeViolations(manager);
		await manager.getByRole('checkbox', { name: /I declare that, including this grant/ }).check();
		await manager.getByRole('button', { name: 'Accept the grant' }).click();
		await expect(manager.getByText('The grant is accepted, with your declaration.')).toBeVisible();

		// A claim needs evidence.
		await manager.getByLabel('Amount spent, in pounds').fill('8400');
		await manager.getByLabel('What was the money spent on?').fill('A sensory corner and a quiet room');
		await manager.getByRole('button', { name: 'Claim the grant' }).click();
		await expect(manager.getByRole('alert')).toContainText('Attach evidence of spend (an invoice or receipt)');
		await expectNoSeriousAxeViolations(manager);
		await manager.getByLabel('Evidence of spend').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: PDF });
		await manager.getByRole('button', { name: 'Claim the grant' }).click();
		await expect(manager.getByText('The claim is sent to the council with your evidence.')).toBeVisible();
		await expect(manager.getByTestId('grant-status')).toHaveText('Claimed, waiting for approval');

		// The officer who offered may not approve; a second officer does.
		await page.reload();
		await expect(page.getByTestId('grant-approve-why')).toHaveText('You made this offer, so another officer must approve the claim.');
		const second = await openPage();
		await signIn(second, 'admin', { next: grantUrl });
		await second.getByLabel('What evidence did you check?').fill('Invoice for £8,400 checked against the conditions');
		await expectNoSeriousAxeViolations(second);
		await second.getByRole('button', { name: 'Approve the claim and open the base' }).click();
		await expect(second.getByText('The claim is approved: the spend is recorded and the base is open.')).toBeVisible();
		await expect(second.getByTestId('grant-stage')).toHaveText('Open');
		await expect(second.getByTestId('grant-history')).toContainText('Claim approved by Tom Whitaker');
		await expectNoSeriousAxeViolations(second);
	});
});
