import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// Pages people can work in: the public footer pages, the officers' menu, links that only go where
// the reader may open, live-update promises only when scripts run, GOV.UK date fields, and wide
// tables that fit. Every page visited is checked with axe at desktop width and at 320 px, and
// must not scroll sideways at 320 px (see support.ts).

test.describe('public pages from the footer and the beta banner', () => {
	test('a visitor reaches the accessibility statement, privacy notice and contact page without signing in', async ({ page }) => {
		await page.goto('/signin');
		await expectNoSeriousAxeViolations(page);
		const footer = page.getByRole('contentinfo');

		await footer.getByRole('link', { name: 'Accessibility statement' }).click();
		await expect(page).toHaveURL('/accessibility');
		await expect(page.getByRole('heading', { level: 1, name: /Accessibility statement/ })).toBeVisible();
		await expect(page.getByRole('main')).toContainText('partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard');
		await expect(page.getByRole('heading', { name: 'Reporting accessibility problems with this service' })).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Enforcement procedure' })).toBeVisible();
		await expect(page.getByRole('link', { name: /Equality Advisory and Support Service/ })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		await footer.getByRole('link', { name: 'Privacy notice' }).click();
		await expect(page).toHaveURL('/privacy');
		await expect(page.getByRole('heading', { level: 1, name: 'Privacy notice' })).toBeVisible();
		for (const words of ['public task', 'substantial public interest', 'How long we keep it', 'Your rights', 'Information Commissioner’s Office']) {
			await expect(page.getByRole('main')).toContainText(words);
		}
		await expectNoSeriousAxeViolations(page);

		await footer.getByRole('link', { name: 'Contact us' }).click();
		await expect(page).toHaveURL('/contact');
		await expect(page.getByRole('heading', { level: 1, name: 'Contact us' })).toBeVisible();
		await expect(page.getByRole('main').getByRole('link', { name: /@/ }).first()).toHaveAttribute('href', /^mailto:/);
		await expectNoSeriousAxeViolations(page);

		await page.getByRole('complementary', { name: 'About this service' }).getByRole('link', { name: 'give your feedback' }).click();
		await expect(page).toHaveURL('/contact#feedback');
		await expect(page.getByRole('heading', { name: 'Give feedback' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
	});

	test('officers have Outgoing mail in their menu; school staff do not', async ({ page, openPage }) => {
		await signIn(page, 'officer');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Outgoing mail' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Outgoing mail' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		const sencoPage = await openPage();
		await signIn(sencoPage, 'senco');
		await expectNoSeriousAxeViolations(sencoPage);
		await expect(sencoPage.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Outgoing mail' })).toHaveCount(0);
	});
});

test.describe('links go only where the reader may go', () => {
	test('a school’s SENCO sees the district’s other localities as plain text, and an officer as links', async ({ page, openPage }) => {
		await signIn(page, 'senco', { next: '/clusters' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('main').getByRole('link', { name: 'Cherwell' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Cherwell' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const localities = page.getByTestId('locality');
		await expect(localities.filter({ hasText: 'Bicester' })).toHaveCount(1);
		await expect(localities.filter({ hasText: 'Bicester' }).getByRole('link')).toHaveCount(0);
		await expect(localities.filter({ hasText: 'Banbury' }).getByRole('link', { name: 'Banbury' })).toBeVisible();
		// No link in the district's feed leads to a locality the SENCO may not open.
		for (const href of await page.getByTestId('activity-feed').getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))) {
			const response = await page.request.get(href);
			expect(response.status(), href).toBeLessThan(400);
		}

		const officerPage = await openPage();
		await signIn(officerPage, 'officer', { next: '/clusters' });
		await expectNoSeriousAxeViolations(officerPage);
		await officerPage.getByRole('main').getByRole('link', { name: 'Cherwell' }).click();
		await expect(officerPage.getByRole('heading', { level: 1, name: 'Cherwell' })).toBeVisible();
		await expectNoSeriousAxeViolations(officerPage);
		await officerPage.getByTestId('locality').getByRole('link', { name: 'Bicester' }).click();
		await expect(officerPage.getByRole('heading', { level: 1, name: 'Bicester' })).toBeVisible();
		await expectNoSeriousAxeViolations(officerPage);
	});
});

test.describe('without JavaScript', () => {
	test('the workspace never says it is connecting to live updates, since it cannot', async ({ openPage }) => {
		const page = await openPage({ javaScriptEnabled: false });
		await signIn(page, 'senco');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('main').getByRole('link', { name: /^Banbury/ }).click();
		await expect(page.getByRole('heading', { level: 1, name: /^Banbury/ })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await expect(page.getByText('Connecting to live updates')).toHaveCount(0);
	});

	test('with JavaScript the promise is kept: the message goes once connected', async ({ page }) => {
		await signIn(page, 'senco');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('main').getByRole('link', { name: /^Banbury/ }).click();
		await expect(page.getByRole('heading', { level: 1, name: /^Banbury/ })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await expect(page.getByTestId('presence')).toContainText('(you)');
		await expect(page.getByText('Connecting to live updates')).toHaveCount(0);
	});
});

test.describe('GOV.UK date fields', () => {
	test('opening a round: day, month and year fields, with errors that name the field and link to it', async ({ page }) => {
		await signIn(page, 'officer', { next: '/clusters' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('main').getByRole('link', { name: 'Banbury' }).click();
		await expect(page.getByRole('heading', { level: 1, name: /^Banbury/ })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Open a funding round' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Open a funding round' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		const closes = page.getByRole('group', { name: 'Closes on' });
		await expect(closes.getByLabel('Day')).toHaveAttribute('inputmode', 'numeric');
		await expect(page.locator('input[type="date"]')).toHaveCount(0);

		await page.getByRole('button', { name: 'Open the round' }).click();
		const summary = page.locator('.govuk-error-summary');
		await expect(summary).toContainText('Enter the pot');
		await expect(summary).toContainText('Enter the closing date');
		await expectNoSeriousAxeViolations(page);
		await summary.getByRole('link', { name: 'Enter the closing date' }).click();
		await expect(closes.getByLabel('Day')).toBeFocused();

		await closes.getByLabel('Day').fill('31');
		await closes.getByLabel('Month').fill('');
		await closes.getByLabel('Year').fill(String(new Date().getFullYear() + 1));
		await page.getByRole('button', { name: 'Open the round' }).click();
		await expect(summary).toContainText('Closing date must include a month');
		await summary.getByRole('link', { name: 'Closing date must include a month' }).click();
		await expect(closes.getByLabel('Month')).toBeFocused();
		await expect(closes.getByLabel('Month')).toHaveAttribute('aria-invalid', 'true');
		await expect(closes.getByLabel('Day')).not.toHaveAttribute('aria-invalid', 'true');

		await closes.getByLabel('Month').fill('2');
		await page.getByRole('button', { name: 'Open the round' }).click();
		await expect(summary).toContainText('Closing date must be a real date');

		await closes.getByLabel('Day').fill('1');
		await closes.getByLabel('Month').fill('1');
		await closes.getByLabel('Year').fill('2020');
		await page.getByRole('button', { name: 'Open the round' }).click();
		await expect(summary).toContainText('Closing date must be in the future');
		// What was typed comes back.
		await expect(closes.getByLabel('Year')).toHaveValue('2020');
		await expectNoSeriousAxeViolations(page);
	});
});

test.describe('wide tables', () => {
	test('the workspace rounds table is not cut off at 1024 px', async ({ openPage }) => {
		const page = await openPage({ viewport: { width: 1024, height: 800 } });
		await signIn(page, 'senco');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('main').getByRole('link', { name: /^Banbury/ }).click();
		await expect(page.getByTestId('rounds')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const region = page.getByRole('region', { name: /^Funding rounds of/ });
		const fits = await region.evaluate((el) => el.scrollWidth <= el.clientWidth);
		expect(fits, 'the rounds table fits its box without scrolling').toBe(true);
	});
});
