import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// The PCF feedback tracker: the Cherwell representative follows the link from the PCF pages and
// sees their own district's figures as charts with tables beside them; the GET filters (a plain
// form) narrow them and the CSV link downloads the same figures; a headteacher without a PCF role
// is refused with the reason. axe on each page at desktop width and 320 px.

test.describe('PCF feedback tracker', () => {
	test('a representative reads and filters the figures and downloads them; a headteacher is refused', async ({ page, openPage }) => {
		await signIn(page, 'pcfRep', { next: '/pcf' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: /Feedback tracker/ }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Feedback tracker' })).toBeVisible();
		// Their own district first.
		await expect(page.getByRole('heading', { level: 2, name: 'In Cherwell' })).toBeVisible();
		await expect(page.getByRole('radio', { name: 'Cherwell (district)', exact: true })).toBeChecked();
		const periods = page.getByTestId('tracker-period');
		await expect(periods).toBeVisible();
		await expect(page.getByRole('img', { name: /Points waiting for an answer, answered and with the change made, over time/ })).toBeVisible();
		await expect(page.getByTestId('tracker-total')).toContainText('Points');
		await expectNoSeriousAxeViolations(page);

		// Every district, by month, SEND Connect only: a GET form, so the address says it all.
		await page.getByRole('radio', { name: 'All districts', exact: true }).check();
		await page.getByLabel('Source', { exact: true }).selectOption({ label: 'SEND Connect session' });
		await page.getByLabel('Count over time by', { exact: true }).selectOption({ label: 'Month' });
		await page.getByRole('button', { name: 'Show figures' }).click();
		await expect(page).toHaveURL(/period=month/);
		await expect(page).toHaveURL(/source=send_connect/);
		await expect(page.getByRole('heading', { level: 2, name: 'In all districts' })).toBeVisible();
		await expect(page.getByRole('heading', { level: 2, name: 'Over time, by month' })).toBeVisible();
		await expect(page.getByTestId('tracker-source')).toContainText('SEND Connect session');
		await expect(page.getByTestId('tracker-source')).not.toContainText('OxPCF survey');
		await expectNoSeriousAxeViolations(page);

		const href = await page.getByRole('link', { name: 'Download these figures as CSV' }).getAttribute('href');
		expect(href).toContain('source=send_connect');
		const csv = await page.request.get(href!);
		expect(csv.status()).toBe(200);
		expect(csv.headers()['content-type']).toContain('text/csv');
		const text = await csv.text();
		expect(text.split('\n')[0]).toContain('median working days to answer');
		expect(text).toContain('Source: SEND Connect session');

		const head = await openPage();
		await signIn(head, 'headteacher');
		await expectNoSeriousAxeViolations(head);
		const refused = await head.goto('/pcf/tracker');
		expect(refused?.status()).toBe(403);
		await expect(head.getByText('The feedback tracker is open to PCF representatives, cluster leads and council officers.')).toBeVisible();
		await expectNoSeriousAxeViolations(head);
	});
});
