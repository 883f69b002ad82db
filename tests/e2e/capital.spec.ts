import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// Inclusion-base capital, the programme set-up: an officer changes a line's allocation with a
// reason and sees it in the line's history (another officer's overview follows without
// reloading); an officer opens a drafted round, and a headteacher reads it, published and frozen.

const LINE = 'Early years support base';
const ROUND = 'Specialist units and resource bases 2026/27';

test.describe('capital programme set-up', () => {
	test('an officer changes a line’s allocation with a reason; the history says who, what and why, and another officer’s overview moves live', async ({ page, openPage }) => {
		test.slow();
		const watcher = await openPage();
		await signIn(watcher, 'officer');
		await expectNoSeriousAxeViolations(watcher);
		await watcher.getByRole('link', { name: 'Capital programme' }).click();
		await expect(watcher.getByRole('heading', { level: 1, name: 'Capital programme' })).toBeVisible();
		await expectNoSeriousAxeViolations(watcher);
		const allocated = watcher.getByTestId('capital-allocated');
		const before = await allocated.textContent();

		await signIn(page, 'officer', { next: '/capital' });
		await expectNoSeriousAxeViolations(page);
		await page.getByTestId('capital-lines').getByRole('link', { name: LINE }).click();
		await expect(page.getByRole('heading', { level: 1, name: LINE })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		// Money changes need a reason.
		await page.getByLabel('Allocation', { exact: true }).fill('1100000');
		await page.getByRole('button', { name: 'Save line' }).click();
		await expect(page.getByRole('alert')).toContainText('Say why the money is changing');
		await expectNoSeriousAxeViolations(page);

		await page.getByLabel('Why are you changing it?').fill('Cabinet moved £100,000 to early years');
		await page.getByRole('button', { name: 'Save line' }).click();
		await expect(page.getByText('Line saved.')).toBeVisible();
		await expect(page.getByTestId('line-allocation')).toContainText('£1,100,000');
		const history = page.getByTestId('line-history');
		await expect(history).toContainText('Allocation: £1,000,000 → £1,100,000');
		await expect(history).toContainText('Cabinet moved £100,000 to early years');
		await expectNoSeriousAxeViolations(page);

		// The other officer's overview was not reloaded, yet shows the new total.
		await expect(allocated).not.toHaveText(before ?? '');
		await expectNoSeriousAxeViolations(watcher);
	});

	test('an officer adds a target, then changes it; an empty form and an unchanged one each say what to do', async ({ page }) => {
		await signIn(page, 'officer', { next: '/capital' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Add a target' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Add a target' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('button', { name: 'Add target' }).click();
		await expect(page.getByRole('alert')).toContainText('There is a problem');
		await expectNoSeriousAxeViolations(page);

		const name = `Inclusion places ${Date.now().toString(36)}`;
		await page.getByLabel('Target name').fill(name);
		await page.getByLabel('What the target counts').fill('Pupils supported in inclusion bases over the year');
		await page.getByRole('group', { name: 'Target by the end of each financial year' }).getByRole('textbox').first().fill('50');
		await page.getByRole('button', { name: 'Add target' }).click();
		await expect(page.getByText('Target added.')).toBeVisible();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		await page.getByRole('button', { name: 'Save target' }).click();
		await expect(page.getByRole('alert')).toContainText('Nothing has changed');
		await page.getByLabel('Baseline (optional)', { exact: true }).fill('12');
		await page.getByRole('button', { name: 'Save target' }).click();
		await expect(page.getByText('Target saved.')).toBeVisible();
		await expect(page.getByTestId('target-history')).toContainText('Baseline: not set → 12');
		await expectNoSeriousAxeViolations(page);
	});

	test('an officer opens a drafted round; a headteacher then reads it with its criteria, and cannot change them', async ({ page, openPage }) => {
		test.slow();
		await signIn(page, 'officer', { next: '/capital/rounds' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: ROUND }).click();
		await expect(page.getByTestId('round-status')).toContainText('Draft');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('button', { name: 'Open round' }).click();
		await expect(page.getByText('Round opened. Its criteria are published and can no longer change.')).toBeVisible();
		await expect(page.getByTestId('round-status')).toContainText('Open');
		await expect(page.getByRole('button', { name: 'Save criteria' })).toHaveCount(0);
		await expect(page.getByTestId('round-history')).toContainText('Opened the round and published its criteria, now frozen');
		await expectNoSeriousAxeViolations(page);

		const head = await openPage();
		await signIn(head, 'headteacher');
		await expectNoSeriousAxeViolations(head);
		await head.getByRole('link', { name: 'Capital rounds' }).click();
		await expect(head.getByRole('heading', { level: 1, name: 'Capital funding rounds' })).toBeVisible();
		await expectNoSeriousAxeViolations(head);
		await head.getByRole('link', { name: ROUND }).click();
		await expect(head.getByRole('heading', { level: 1, name: ROUND })).toBeVisible();
		await expect(head.getByTestId('round-criteria')).toContainText('Need in the area');
		await expect(head.locator('main').getByRole('button')).toHaveCount(0);
		await expectNoSeriousAxeViolations(head);

		// The set-up itself stays with officers.
		const refused = await head.goto('/capital');
		expect(refused?.status()).toBe(403);
		await expectNoSeriousAxeViolations(head);
	});
});
