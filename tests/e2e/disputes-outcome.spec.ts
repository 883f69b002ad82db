import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// After a panel meets: a SENDIASS officer opens the seeded Cherwell case waiting for its outcome,
// records it (partly resolved: the escalation route and its dates appear) and an action for the
// school; the school's headteacher, in another browser, sees that action on their home page and
// on the case's outcome page, and not the family's details or what was agreed in words.

function inDays(days: number) {
	const date = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
	return { day: String(date.getUTCDate()), month: String(date.getUTCMonth() + 1), year: String(date.getUTCFullYear()) };
}

test.describe('dispute outcomes', () => {
	test('an officer records an outcome with an agreed action; the headteacher sees the action at home, not the family’s details', async ({ page, openPage }) => {
		test.slow();
		await signIn(page, 'sendiass');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Dispute panels' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Dispute-resolution cases' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('row', { name: /Panel has met/ }).getByRole('link').first().click();
		await expect(page.getByTestId('outcome-link')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const reference = (await page.getByRole('heading', { level: 1 }).textContent())!.trim();
		await page.getByTestId('outcome-link').click();
		await expect(page.getByRole('heading', { level: 1, name: 'Outcome and agreed actions' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		// Nothing chosen: the error summary says what is missing.
		await page.getByRole('button', { name: 'Record the outcome' }).click();
		await expect(page.getByRole('alert')).toContainText('Choose whether the disagreement was resolved');
		await expectNoSeriousAxeViolations(page);

		await page.getByRole('radio', { name: 'Partly resolved' }).check();
		await page.getByLabel('What the parties agreed').fill('Weekly updates from the class teacher; the family still wants a home-school book.');
		await page.getByRole('button', { name: 'Record the outcome' }).click();
		await expect(page.getByText('Outcome recorded.')).toBeVisible();
		await expect(page.getByTestId('escalation')).toContainText('governing board');
		await expect(page.getByRole('link', { name: 'Download the written outcome record (PDF)' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		await page.getByLabel('The action').fill('Send a weekly update email to the family');
		await page.getByRole('group', { name: 'Who will do it?' }).getByRole('radio', { name: 'The setting' }).check();
		const due = inDays(10);
		const dueOn = page.getByRole('group', { name: /Due by/ });
		await dueOn.getByLabel('Day').fill(due.day);
		await dueOn.getByLabel('Month').fill(due.month);
		await dueOn.getByLabel('Year').fill(due.year);
		await page.getByRole('button', { name: 'Add the action' }).click();
		await expect(page.getByText('Agreed action added.')).toBeVisible();
		await expect(page.getByTestId('agreed-actions')).toContainText('Send a weekly update email to the family');
		await expect(page.getByTestId('case-timeline')).toContainText(`Recorded the outcome of ${reference}`);
		await expectNoSeriousAxeViolations(page);

		// The headteacher of the school, elsewhere: the action is on their home page; the family's details are not.
		const head = await openPage();
		await signIn(head, 'headteacher');
		await expect(head.getByText('Send a weekly update email to the family')).toBeVisible();
		await expectNoSeriousAxeViolations(head);
		await head.getByRole('link', { name: 'Send a weekly update email to the family' }).click();
		await expect(head.getByRole('heading', { level: 1, name: 'Outcome and agreed actions' })).toBeVisible();
		await expect(head.getByTestId('agreed-actions')).toContainText('Send a weekly update email to the family');
		await expect(head.getByText('home-school book')).toHaveCount(0);
		await expect(head.getByText('Year 6')).toHaveCount(0);
		await expect(head.getByRole('link', { name: /Download the written outcome record/ })).toHaveCount(0);
		await expectNoSeriousAxeViolations(head);
	});
});
