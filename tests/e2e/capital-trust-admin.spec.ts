import { expect, expectNoSeriousAxeViolations, pickBySearch, signIn, test } from './support';

// Officers setting up academy trusts: add a trust, link a seeded academy found with the search
// picker, see the history, unlink it with why. A headteacher is refused the pages with the reason.
// axe runs on every page visited, at desktop width and 320 px.

const ACADEMY = 'Kidlington Larkspur Primary School';

test.describe('academy trust set-up', () => {
	test('an officer adds a trust, links an academy by search, sees the history and unlinks it', async ({ page }) => {
		const name = `Windrush Learning Trust ${Date.now()}`;
		await signIn(page, 'officer', { next: '/capital' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Academy trusts' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Academy trusts' })).toBeVisible();
		await expect(page.getByTestId('trusts')).toContainText('Cherwell Valley Learning Trust');
		await expectNoSeriousAxeViolations(page);

		// A Companies House number that is not one is a field error; what was typed stays.
		await page.getByLabel('Trust name').fill(name);
		await page.getByLabel('Companies House number (optional)').fill('12AB');
		await page.getByRole('button', { name: 'Add trust' }).click();
		await expect(page.getByRole('alert').getByRole('link', { name: /Enter the Companies House number/ })).toBeVisible();
		await expect(page.getByLabel('Trust name')).toHaveValue(name);
		await expectNoSeriousAxeViolations(page);

		await page.getByLabel('Companies House number (optional)').fill('09876543');
		await page.getByLabel('Why are you adding it? (optional)').fill('New multi-academy trust for the Kidlington schools');
		await page.getByRole('button', { name: 'Add trust' }).click();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		await expect(page.getByText('Trust added.')).toBeVisible();
		await expect(page.getByTestId('trust-academies')).toContainText('No academies are linked');
		await expectNoSeriousAxeViolations(page);

		// Linking with nothing chosen says what to do.
		await page.getByRole('button', { name: 'Link academy' }).click();
		await expect(page.getByRole('alert').getByRole('link', { name: 'Choose the academy to link' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		await pickBySearch(page, 'setting', 'Kidlington Larkspur', `${ACADEMY}, Kidlington`);
		await page.getByLabel('Why are you linking it? (optional)').fill('Joined the trust in September');
		await page.getByRole('button', { name: 'Link academy' }).click();
		await expect(page.getByText('Academy linked to the trust.')).toBeVisible();
		await expect(page.getByTestId('trust-academies')).toContainText(ACADEMY);
		await expect(page.getByTestId('trust-history')).toContainText(`Linked ${ACADEMY} to ${name}`);
		await expect(page.getByTestId('trust-history')).toContainText('Joined the trust in September');
		await expect(page.getByTestId('trust-history')).toContainText('Priya Shah');
		await expectNoSeriousAxeViolations(page);

		await page.locator('summary', { hasText: 'Unlink' }).click();
		await page.getByLabel(`Why is ${ACADEMY} leaving the trust?`).fill('Linked by mistake');
		await page.getByRole('button', { name: `Unlink ${ACADEMY}` }).click();
		await expect(page.getByText('Academy unlinked from the trust.')).toBeVisible();
		await expect(page.getByTestId('trust-academies')).toContainText('No academies are linked');
		await expect(page.getByTestId('trust-history')).toContainText(`Unlinked ${ACADEMY} from ${name}`);
		await expect(page.getByTestId('trust-history')).toContainText('Linked by mistake');
		await expectNoSeriousAxeViolations(page);

		await page.getByRole('link', { name: 'Academy trusts' }).click();
		await expect(page.getByRole('link', { name })).toBeVisible();
	});

	test('a headteacher is refused the trust pages, with the reason', async ({ page }) => {
		await signIn(page, 'headteacher', { next: '/capital/trusts' });
		for (const path of ['/capital/trusts', '/capital/trusts/1']) {
			const refused = await page.goto(path);
			expect(refused?.status()).toBe(403);
			await expect(page.getByText('Only council officers can see and change the capital programme’s set-up.')).toBeVisible();
			await expectNoSeriousAxeViolations(page);
		}
	});
});
