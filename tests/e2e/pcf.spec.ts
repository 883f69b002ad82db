import { expect, expectNoSeriousAxeViolations, pickBySearch, test } from './support';

// The public "you said, we did" page and its feed, signed out. The whole journey (points,
// answers, checks, the live public page, the decision record and delivery) is pcf-journey.spec.ts.

test.describe('PCF advice and you said, we did', () => {
	test('the public page and its feed need no sign-in, and filter by district (a search) and theme', async ({ page, request }) => {
		await page.goto('/you-said-we-did?theme=999999&status=nonsense&district=abc');
		await expect(page.getByRole('heading', { level: 1, name: 'You said, we did' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const [transport] = await page.getByLabel('Theme').selectOption({ label: 'Transport' });
		await page.getByRole('button', { name: 'Show' }).click();
		// The address first: the empty list was already showing before the filter was applied, and the
		// address already held a theme (the made-up one), so wait for this theme's own.
		await expect(page).toHaveURL(new RegExp(`[?&]theme=${transport}(&|$)`));
		await expect(page.getByTestId('ysw-empty')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		// The district is found by a search (England has hundreds), open to families without an account.
		await pickBySearch(page, 'district', 'cher', 'Cherwell');
		await page.getByLabel('Theme').selectOption({ label: 'All themes' });
		await page.getByRole('button', { name: 'Show' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'You said, we did: Cherwell' })).toBeVisible();
		await expect(page.getByRole('radio', { name: 'Cherwell', exact: true })).toBeChecked();
		await expect(page.getByLabel('Local cluster').locator('option')).not.toHaveCount(1);
		await expectNoSeriousAxeViolations(page);
		// Emails about the district shown: the link comes with the district chosen.
		await page.getByRole('link', { name: 'get an email when a new edition is published' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Get an email about new editions' })).toBeVisible();
		await expect(page.getByRole('radio', { name: 'Cherwell', exact: true })).toBeChecked();
		await expectNoSeriousAxeViolations(page);
		const search = await request.get('/you-said-we-did/districts?query=cher');
		expect(search.status()).toBe(200);
		expect((await search.json()).options).toEqual([{ value: expect.stringMatching(/^\d+$/), label: 'Cherwell' }]);
		const tooLong = await request.get(`/you-said-we-did/districts?query=${'x'.repeat(500)}`);
		expect(tooLong.status()).toBe(400);
		expect((await tooLong.json()).errors.query[0]).toMatch(/characters or fewer/);
		const feed = await request.get('/you-said-we-did/feed.atom');
		expect(feed.status()).toBe(200);
		expect(feed.headers()['content-type']).toContain('application/atom+xml');
		expect(await feed.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
	});
});
