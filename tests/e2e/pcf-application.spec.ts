import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';
import { openFromCherwellGroup } from './pcf-support';

// The forum's advice on an inclusion-base application (/pcf/applications/<id>), opened from the
// Cherwell group's page: the representative drafts the group's position and adds a themed point,
// puts the application on the group's watch list, and finds the application's own page linking back to the advice; a SENCO of another district is
// refused the page with the reason. It uses the demo rollout school CAP-DEMO-SEC1 (in delivery), which
// no other spec moves, and its point sits in a position the lead has not approved, so no decision
// elsewhere is warned of it. axe on each page at desktop width and at 320 px.

const APPLICATION = 'CAP-DEMO-SEC1: Castlebrook inclusion base';

test.describe('PCF advice on an inclusion-base application', () => {
	test('a representative opens a submitted application’s advice from the group’s page and adds a point; another district’s SENCO is refused', async ({ page, openPage }) => {
		test.slow();
		const point = `Say how pupils from the villages will reach the base before it opens. ${Date.now()}`;

		await openFromCherwellGroup(page, new RegExp(`^${APPLICATION}`));
		await expect(page.getByRole('heading', { level: 1, name: `Advice on “${APPLICATION}”` })).toBeVisible();
		const advicePath = new URL(page.url()).pathname;
		expect(advicePath).toMatch(/^\/pcf\/applications\/\d+$/);
		await expectNoSeriousAxeViolations(page);

		// A point belongs to the group's position: the representative drafts it first.
		await page.getByLabel('Support with conditions').check();
		await page.getByLabel('Summary (optional)').fill('A base at Castlebrook is welcome if families can reach it.');
		await page.getByRole('button', { name: 'Save the position' }).click();
		await expect(page.getByTestId('pcf-done')).toContainText('The group’s position was saved.');
		await expectNoSeriousAxeViolations(page);

		// An empty point is refused with the field named.
		await page.getByRole('button', { name: 'Add the point' }).click();
		await expect(page.getByRole('alert')).toBeVisible();
		await expect(page.getByRole('alert').locator('a[href="#point-body"]')).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		const pointForm = page.getByRole('region', { name: 'Add a point to the position' });
		await pointForm.getByLabel('The point').fill(point);
		await pointForm.getByLabel('Transport').check();
		await pointForm.getByRole('button', { name: 'Add the point' }).click();
		await expect(page.getByTestId('pcf-done')).toContainText('The point was added.');
		const added = page.getByTestId('pcf-point').filter({ hasText: point });
		await expect(added).toBeVisible();
		await expect(added).toContainText('Transport');
		await expectNoSeriousAxeViolations(page);

		// The group puts the application on its watch list from its page (with JavaScript, no reload needed).
		await page.goto('/pcf');
		await page.getByRole('link', { name: 'Cherwell', exact: true }).click();
		const applications = page.getByRole('table', { name: /^Inclusion-base applications in Cherwell/ });
		await applications.getByRole('button', { name: `Watch “${APPLICATION}”` }).click();
		await expect(applications.getByRole('button', { name: `Stop watching “${APPLICATION}”` })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.goto(advicePath);

		// The application's own page links back to the advice for those who may read it.
		await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: APPLICATION }).click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Castlebrook inclusion base');
		const adviceLink = page.getByRole('link', { name: 'The PCF advisory group’s advice and its answers' });
		await expect(adviceLink).toHaveAttribute('href', advicePath);
		await expectNoSeriousAxeViolations(page);

		// A SENCO in Oxford may not read Cherwell's application or the advice on it, and is told why.
		const outsider = await openPage();
		await signIn(outsider, 'oxfordSenco');
		await expectNoSeriousAxeViolations(outsider);
		const response = await outsider.goto(advicePath);
		expect(response?.status()).toBe(403);
		await expect(outsider.getByRole('heading', { level: 1, name: 'You do not have access to this' })).toBeVisible();
		await expect(outsider.getByTestId('refusal-reason')).toContainText('Cherwell PCF advisory group');
		await expect(outsider.getByText(point)).toHaveCount(0);
		await expectNoSeriousAxeViolations(outsider);
	});
});
