import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';
import { headSeesOnlyTheAction, recordOutcomeWithSchoolAction } from './disputes-support';

// After a panel meets: a SENDIASS officer opens the seeded Cherwell case waiting for its outcome,
// records it (partly resolved: the escalation route and its dates appear) and an action for the
// school; the school's headteacher, in another browser, sees that action on their home page and
// on the case's outcome page, and not the family's details or what was agreed in words.

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

		await recordOutcomeWithSchoolAction(page, reference, 'Send a weekly update email to the family');

		// The headteacher of the school, elsewhere: the action is on their home page; the family's details are not.
		const head = await openPage();
		await signIn(head, 'headteacher');
		await headSeesOnlyTheAction(head, 'Send a weekly update email to the family', ['Year 6']);
	});
});
