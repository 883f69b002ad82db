import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';
import { openFromCherwellGroup } from './pcf-support';

// The forum's page for a whole funding round (/pcf/rounds/<id>): the themed response and, below it,
// the round's discussion. The Cherwell representative writes the first comment of a discussion
// nobody has started, and an officer already on the page sees it without reloading; a SENCO of
// another district is refused the page with the reason. It only comments on the open 2026/27
// round, adding no advice, so no bid's decision elsewhere is warned of new points. axe on each
// page at desktop width and at 320 px.

const ROUND = 'Banbury pooled fund 2026/27';

test.describe('PCF themed response across a round', () => {
	test('the round’s discussion: its first comment reaches a reader already on the page; another district’s SENCO is refused', async ({ page, openPage }) => {
		test.slow();
		const comment = `Across the round, who tells families which bid is theirs? ${Date.now()}`;

		await openFromCherwellGroup(page, new RegExp(`^${ROUND.replace('/', '\\/')}`));
		await expect(page.getByRole('heading', { level: 1, name: `Themed response across “${ROUND}”` })).toBeVisible();
		const roundPath = new URL(page.url()).pathname;
		expect(roundPath).toMatch(/^\/pcf\/rounds\/\d+$/);
		const discussion = page.getByRole('region', { name: 'Discussion' });
		await expect(discussion.getByTestId('discussion-empty')).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		// An officer opens the same page before anyone has commented.
		const officer = await openPage();
		await signIn(officer, 'officer', { next: roundPath });
		await expect(officer.getByRole('heading', { level: 1, name: `Themed response across “${ROUND}”` })).toBeVisible();
		await expect(officer.getByTestId('discussion-empty')).toBeVisible();
		await expectNoSeriousAxeViolations(officer);

		// An empty comment is refused with the field named.
		await discussion.getByRole('button', { name: 'Post comment' }).click();
		await expect(page.getByRole('alert')).toBeVisible();
		await expect(page.getByRole('alert').locator('a[href="#comment-body"]')).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		await page.getByLabel('Add a comment').fill(comment);
		await discussion.getByRole('button', { name: 'Post comment' }).click();
		await expect(page.getByTestId('comment').filter({ hasText: comment })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		// The officer's page, not reloaded, shows the first comment.
		await expect(officer.getByTestId('comment').filter({ hasText: comment })).toBeVisible();
		await expect(officer.getByTestId('discussion-empty')).toHaveCount(0);
		await expectNoSeriousAxeViolations(officer);

		// A SENCO in Oxford may not read Cherwell's round, and is told why.
		const outsider = await openPage();
		await signIn(outsider, 'oxfordSenco');
		await expectNoSeriousAxeViolations(outsider);
		const response = await outsider.goto(roundPath);
		expect(response?.status()).toBe(403);
		await expect(outsider.getByRole('heading', { level: 1, name: 'You do not have access to this' })).toBeVisible();
		await expect(outsider.getByTestId('refusal-reason')).toContainText('Cherwell PCF advisory group');
		await expect(outsider.getByText(comment)).toHaveCount(0);
		await expectNoSeriousAxeViolations(outsider);
	});
});
