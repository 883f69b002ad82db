import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';
import { daysAgo, fillReferral } from './disputes-support';

// District dispute-resolution panels, as far as built: a SENDIASS officer records a family's
// referral (an exclusion is routed out with its deadline; the next is accepted for a panel, and
// both parties' agreement to take part is recorded); the
// school's headteacher sees the accepted case's status, not the family's details; a PCF
// representative opening it by its address is refused, and the officer sees both looks logged.

test.describe('district dispute-resolution panels', () => {
	test('an officer records an exclusion (routed out with its deadline) and a referral the panel accepts; the head sees status only; a PCF rep is refused and logged', async ({ page, openPage }) => {
		test.slow();
		await signIn(page, 'sendiass');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Dispute panels' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Dispute-resolution cases' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		await page.getByRole('link', { name: 'Record a referral' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Record a referral' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		// Nothing filled in: the error summary names each missing answer.
		await page.getByRole('button', { name: 'Record referral' }).click();
		const summary = page.getByRole('alert');
		await expect(summary).toContainText('Choose who the disagreement is with');
		await expect(summary).toContainText('Enter the child’s initials only');
		await expectNoSeriousAxeViolations(page);

		// A full name is refused: initials only.
		await fillReferral(page, { category: 'An exclusion', initials: 'Tom Smith', letter: daysAgo(2) });
		await page.getByRole('button', { name: 'Record referral' }).click();
		// The refusal of this post, not the last one: only the initials are wrong now, and what was typed is kept.
		await expect(page.getByRole('alert')).not.toContainText('Choose who the disagreement is with');
		await expect(page.getByRole('alert')).toContainText('Enter the child’s initials only, 1 to 3 letters, like JS');
		await expect(page.getByLabel('The child’s year group')).toHaveValue('Year 5');
		await page.getByLabel('The child’s initials').fill('TS');
		await page.getByRole('button', { name: 'Record referral' }).click();

		await expect(page.getByText(/Referral recorded as DR-CHE-\d{4}/)).toBeVisible();
		await expect(page.getByTestId('routed-out')).toContainText('The governing board, then an independent review panel');
		await expect(page.getByTestId('deadlines')).toContainText('Ask for an independent review panel');
		await expect(page.getByTestId('deadlines')).toContainText('days left');
		await expectNoSeriousAxeViolations(page);

		await page.getByRole('link', { name: 'Cherwell cases' }).click();
		await page.getByRole('link', { name: 'Record a referral' }).click();
		await fillReferral(page, { category: 'Special educational needs support at the setting', initials: 'ab' });
		await page.getByRole('button', { name: 'Record referral' }).click();
		await expect(page.getByTestId('case-status')).toHaveText('Referred to a panel');
		await expect(page.getByText('This case carries no statutory deadline.')).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		// Both parties agree to take part before anything is shared.
		const agreement = page.getByTestId('agreement');
		await expect(agreement).toContainText('Not yet agreed');
		await page.getByRole('button', { name: 'Record the family’s agreement' }).click();
		await expect(page.getByText('Agreement recorded.')).toBeVisible();
		await page.getByRole('button', { name: 'Record the setting’s agreement' }).click();
		await expect(page.getByRole('button', { name: 'Record the setting’s agreement' })).toHaveCount(0);
		await expect(agreement).not.toContainText('Not yet agreed');
		const caseUrl = new URL(page.url()).pathname;
		const reference = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
		await expectNoSeriousAxeViolations(page);

		// The school's headteacher: the status, never the child or the family's details.
		const head = await openPage();
		await signIn(head, 'headteacher', { next: caseUrl });
		await expect(head.getByRole('heading', { level: 1, name: reference })).toBeVisible();
		await expect(head.getByTestId('case-status')).toHaveText('Referred to a panel');
		await expect(head.getByText('AB, Year 5')).toHaveCount(0);
		await expect(head.getByText('A support plan both agree')).toHaveCount(0);
		await expectNoSeriousAxeViolations(head);

		// A PCF representative opening it by its address is refused, with the reason.
		const pcf = await openPage();
		await signIn(pcf, 'pcfRep');
		await expectNoSeriousAxeViolations(pcf);
		const response = await pcf.goto(caseUrl);
		expect(response?.status()).toBe(403);
		await expect(pcf.getByTestId('refusal-reason')).toContainText('Only the people working on this case');
		await expectNoSeriousAxeViolations(pcf);

		// The officer sees both looks, the refusal included.
		await page.reload();
		const log = page.getByTestId('access-log');
		await expect(log).toContainText('Claire Donnelly');
		await expect(log).toContainText('Refused: Only the people working on this case');
		await expect(log).toContainText('status');
		await expectNoSeriousAxeViolations(page);
	});
});
