import { expect, expectNoSeriousAxeViolations, test } from './support';

// The public "you said, we did" page and its feed, signed out. The whole journey (points,
// answers, checks, the live public page, the decision record and delivery) is pcf-journey.spec.ts.

test.describe('PCF advice and you said, we did', () => {
	test('the public page and its feed need no sign-in, and filter by theme', async ({ page, request }) => {
		await page.goto('/you-said-we-did?theme=999999&status=nonsense&district=abc');
		await expect(page.getByRole('heading', { level: 1, name: 'You said, we did' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('Theme').selectOption({ label: 'Transport' });
		await page.getByRole('button', { name: 'Show' }).click();
		await expect(page.getByTestId('ysw-empty')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const feed = await request.get('/you-said-we-did/feed.atom');
		expect(feed.status()).toBe(200);
		expect(feed.headers()['content-type']).toContain('application/atom+xml');
		expect(await feed.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
	});
});
