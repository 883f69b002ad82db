import type { Page } from '@playwright/test';
import { expect, expectNoSeriousAxeViolations, pickBySearch, signIn, test } from './support';

// "You said, we did" editions: signed out, the seeded Cherwell edition is listed and prints without
// the menu; a family subscribes (double opt-in: the confirmation link from the outgoing mail works
// once) and unsubscribes; the PCF representative drafts an edition, the council officer and the
// PCF lead approve it, and it is then public. axe on every page at desktop width and at 320 px.

async function fillDate(page: Page, legend: string, date: Date) {
	const group = page.getByRole('group', { name: legend });
	await group.getByLabel('Day').fill(String(date.getDate()));
	await group.getByLabel('Month').fill(String(date.getMonth() + 1));
	await group.getByLabel('Year').fill(String(date.getFullYear()));
}

/** A link of this kind in the newest email to this address, read on the officers' outgoing-mail page. */
async function linkInMail(officer: Page, to: string, path: 'subscribe' | 'unsubscribe'): Promise<string> {
	await officer.goto('/admin/mail');
	const email = officer.getByRole('article').filter({ hasText: to }).first();
	await expect(email).toBeVisible();
	await expectNoSeriousAxeViolations(officer);
	const pattern = path === 'subscribe' ? /https?:\/\/[^/\s]+\/you-said-we-did\/subscribe\/[a-z2-7]{32}/ : /https?:\/\/[^/\s]+\/you-said-we-did\/unsubscribe\/[0-9a-f-]{36}/;
	const link = pattern.exec(await email.innerText())?.[0];
	if (!link) throw new Error(`no ${path} link in the email to ${to}`);
	return new URL(link).pathname;
}

test.describe('You said, we did editions', () => {
	test('signed out, the published Cherwell edition is readable and prints without the menu', async ({ page }) => {
		await page.goto('/you-said-we-did');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Read and print the editions' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'You said, we did: editions' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'You said, we did: Cherwell this term' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'You said, we did: Cherwell this term' })).toBeVisible();
		await expect(page.getByTestId('public-edition')).toContainText('Communication with families');
		await expect(page.getByTestId('public-edition')).not.toContainText('Claire Donnelly');
		await expectNoSeriousAxeViolations(page);
		await page.emulateMedia({ media: 'print' });
		await expect(page.locator('.app-header')).toBeHidden();
		await expect(page.locator('.govuk-footer')).toBeHidden();
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await page.emulateMedia({ media: 'screen' });
	});

	test('a family subscribes with a confirmation link that works once, and unsubscribes', async ({ page, openPage }) => {
		test.slow();
		const address = `family.${Date.now().toString(36)}@example.com`;
		// Without JavaScript the area search is its own form: the email address typed never goes into an address.
		const scriptless = await openPage({ javaScriptEnabled: false });
		await scriptless.goto('/you-said-we-did/subscribe');
		await expect(scriptless.getByRole('radio', { name: 'All of Oxfordshire (every edition)' })).toBeChecked();
		await scriptless.getByLabel('Email address').fill('kept.out@example.com');
		await pickBySearch(scriptless, 'district', 'cher', 'Cherwell');
		expect(scriptless.url()).toContain('districtQuery=cher');
		expect(scriptless.url()).not.toContain('example.com');
		await expectNoSeriousAxeViolations(scriptless);
		await page.goto('/you-said-we-did/subscribe');
		await expect(page.getByRole('heading', { level: 1, name: 'Get an email about new editions' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('button', { name: 'Send me a confirmation email' }).click();
		await expect(page.getByRole('alert')).toContainText('Enter your email address');
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('Email address').fill(address);
		await pickBySearch(page, 'district', 'cher', 'Cherwell');
		await page.getByRole('button', { name: 'Send me a confirmation email' }).click();
		await expect(page.getByTestId('subscribe-asked')).toContainText('Check your email');
		await expectNoSeriousAxeViolations(page);

		const officer = await openPage();
		await signIn(officer, 'officer', { next: '/admin/mail' });
		const confirm = await linkInMail(officer, address, 'subscribe');
		await page.goto(confirm);
		await expect(page.getByRole('heading', { level: 1, name: 'Confirm your emails' })).toContainText('Confirm');
		await expect(page.getByRole('main')).toContainText('Cherwell');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('button', { name: 'Confirm my emails' }).click();
		await expect(page.getByTestId('editions-note')).toContainText('Your email is confirmed');
		await expectNoSeriousAxeViolations(page);

		// The link works once.
		await page.goto(confirm);
		await expect(page.getByRole('heading', { level: 1 })).toContainText('already been used');
		await expect(page.getByTestId('confirm-problem')).toContainText('already confirmed');
		await expectNoSeriousAxeViolations(page);

		const leave = await linkInMail(officer, address, 'unsubscribe');
		// A mail program's one-click unsubscribe (RFC 8058): a cross-site POST with no page and no Origin.
		const oneClick = await page.request.post(`${leave}/one-click`, { form: { 'List-Unsubscribe': 'One-Click' } });
		expect(oneClick.status()).toBe(200);
		expect(await oneClick.text()).toContain('Unsubscribed');
		// The page answers the same afterwards: it never says whether an address was on the list.
		await page.goto(leave);
		await expect(page.getByRole('heading', { level: 1, name: 'Stop getting emails about new editions' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('button', { name: 'Unsubscribe' }).click();
		await expect(page.getByTestId('editions-note')).toContainText('Your email address has been deleted');
		await expectNoSeriousAxeViolations(page);
	});

	test('the PCF representative drafts an edition; the officer and the PCF lead approve it; then anyone reads it', async ({ page, openPage }) => {
		test.slow();
		const title = `You said, we did: Cherwell ${Date.now().toString(36)}`;
		await signIn(page, 'pcfRep', { next: '/pcf' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: '“You said, we did” editions: draft, co-edit, approve and publish' }).click();
		await expect(page.getByRole('heading', { level: 1, name: '“You said, we did” editions' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		// Who it is for is a search (England has hundreds of districts); without JavaScript the search reloads the page keeping what was typed.
		const scriptless = await openPage({ javaScriptEnabled: false });
		await signIn(scriptless, 'pcfRep', { next: '/pcf/editions' });
		await scriptless.getByLabel('Title').fill('Kept across the search');
		await pickBySearch(scriptless, 'district', 'cher', 'Cherwell (district)');
		await expect(scriptless).toHaveURL(/districtQuery=cher/);
		await expect(scriptless.getByLabel('Title')).toHaveValue('Kept across the search');
		await expect(scriptless.getByRole('radio', { name: 'All of Oxfordshire', exact: true })).not.toBeChecked();
		await expectNoSeriousAxeViolations(scriptless);
		await page.getByLabel('Title').fill(title);
		await pickBySearch(page, 'district', 'cher', 'Cherwell (district)');
		await fillDate(page, 'Start of the period', new Date(Date.now() - 30 * 86_400_000));
		await fillDate(page, 'End of the period', new Date());
		await page.getByLabel('Introduction').fill('What families in Cherwell told us this month, and what we did about it.');
		await page.getByRole('button', { name: 'Save the draft' }).click();
		await expect(page.getByTestId('edition-done')).toContainText('saved as a draft');
		await expect(page.getByTestId('edition-status')).toContainText('waiting for an officer’s approval and the PCF lead’s approval');
		await expectNoSeriousAxeViolations(page);
		const editionPath = new URL(page.url()).pathname;

		const officer = await openPage();
		await signIn(officer, 'officer', { next: editionPath });
		await expect(officer.getByRole('button', { name: 'Approve as the PCF lead' })).toHaveCount(0);
		await officer.getByRole('button', { name: 'Approve as an officer' }).click();
		await expect(officer.getByTestId('edition-done')).toContainText('Your approval is recorded');
		await expect(officer.getByTestId('edition-status')).toContainText('waiting for the PCF lead’s approval');
		await expectNoSeriousAxeViolations(officer);

		const lead = await openPage();
		await signIn(lead, 'pcfLead', { next: editionPath });
		await lead.getByRole('button', { name: 'Approve as the PCF lead' }).click();
		await expect(lead.getByTestId('edition-done')).toContainText('The edition is published');
		await expect(lead.getByTestId('edition-timeline')).toContainText('now published');
		await expectNoSeriousAxeViolations(lead);

		const family = await openPage();
		await family.goto('/you-said-we-did/editions');
		await expect(family.getByRole('link', { name: title })).toBeVisible();
		await expectNoSeriousAxeViolations(family);
		await family.getByRole('link', { name: title }).click();
		await expect(family.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expectNoSeriousAxeViolations(family);
	});
});
