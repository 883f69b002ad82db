import { DEMO_SETTINGS, expect, expectNoSeriousAxeViolations, newPerson, signIn, test } from './support';

// People administration on a portal the size of England: the setting to invite someone to is
// found with a search box (with JavaScript: suggestions as you type; without: a search that comes
// back with the matches and everything typed kept), and the people list pages with next and
// previous links instead of stopping at a cap.

const meadowside = `${DEMO_SETTINGS.banburyPrimary}, Banbury`;

test.describe('the setting picker on the invite page', () => {
	test('without JavaScript, Search comes back with the matches and keeps what was typed, and the invitation goes', async ({ openPage }) => {
		const page = await openPage({ javaScriptEnabled: false });
		const invitee = newPerson('picker');
		await signIn(page, 'officer', { next: '/admin/people/invite' });
		await page.getByLabel('Email address').fill(invitee.email);
		await page.getByLabel('Full name').fill(invitee.name);
		await page.getByRole('radio', { name: 'Headteacher or SENCO at a setting' }).check();
		await page.getByLabel('Find a setting').fill('meadowside');
		await page.getByRole('button', { name: 'Search for a setting' }).click();

		await expect(page).toHaveURL(/settingQuery=meadowside/);
		await expect(page.getByLabel('Email address')).toHaveValue(invitee.email);
		await expect(page.getByLabel('Full name')).toHaveValue(invitee.name);
		await expect(page.getByRole('radio', { name: 'Headteacher or SENCO at a setting' })).toBeChecked();
		await expect(page.getByRole('status').filter({ hasText: /settings? found/ })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		await page.getByRole('radio', { name: meadowside, exact: true }).check();
		await page.getByLabel('Role at the setting').selectOption({ label: 'SENCO' });
		await page.getByRole('button', { name: 'Send invitation' }).click();
		await expect(page.getByTestId('invite-sent')).toContainText(invitee.email);
		await expectNoSeriousAxeViolations(page);
	});

	test('with JavaScript, matches appear as you type and a refused post keeps the choice', async ({ page }) => {
		await signIn(page, 'officer', { next: '/admin/people/invite' });
		await page.getByRole('radio', { name: 'Headteacher or SENCO at a setting' }).check();
		await page.getByLabel('Find a setting').pressSequentially('meadows');
		const choice = page.getByRole('radio', { name: meadowside, exact: true });
		await expect(choice).toBeVisible();
		// Suggestions came without leaving the page.
		expect(page.url()).not.toContain('settingQuery');
		await expect(page.getByRole('status').filter({ hasText: /settings? found/ })).toBeVisible();
		await choice.check();
		// Enter in the search box searches again; it does not send the form.
		await page.getByLabel('Find a setting').press('Enter');
		await expect(page.getByTestId('invite-sent')).toHaveCount(0);
		await expectNoSeriousAxeViolations(page);

		// No email: refused, and the chosen setting is still chosen.
		await page.getByRole('button', { name: 'Send invitation' }).click();
		await expect(page.getByRole('alert').getByRole('link', { name: 'Enter their email address' })).toBeVisible();
		await expect(page.getByRole('radio', { name: meadowside, exact: true })).toBeChecked();
		await expectNoSeriousAxeViolations(page);
	});
});

test.describe('the people list', () => {
	test('searching finds every match, a page at a time, with next and previous links', async ({ page }) => {
		await signIn(page, 'officer', { next: '/admin/people' });
		// More people than fit on one page, all sharing a name no one else has.
		const stem = `Pagewalk ${Date.now().toString(36)}`;
		const found = await page.request.get(`/api/trpc/pickers.settings?input=${encodeURIComponent(JSON.stringify({ query: 'meadowside' }))}`);
		const settingId = Number(((await found.json()) as { result: { data: { options: { value: string }[] } } }).result.data.options[0].value);
		for (let i = 0; i < 55; i++) {
			const response = await page.request.post('/api/trpc/people.invite', {
				data: { email: `pagewalk.${i}.${Date.now().toString(36)}@school.example`, name: `${stem} ${String(i).padStart(2, '0')}`, grant: { kind: 'setting', settingId, role: 'senco' } }
			});
			expect(response.ok()).toBe(true);
		}

		await page.getByLabel('Name or email address').fill(stem);
		await page.getByRole('button', { name: 'Search' }).click();
		const names = page.getByTestId('people').getByRole('rowheader');
		await expect(names).toHaveCount(50);
		await expect(names.first()).toHaveText(`${stem} 00`);
		await expectNoSeriousAxeViolations(page);

		await page.getByRole('link', { name: 'Next page of people' }).click();
		await expect(names).toHaveCount(5);
		await expect(names.first()).toHaveText(`${stem} 50`);
		await expect(names.last()).toHaveText(`${stem} 54`);
		await expect(page.getByRole('link', { name: 'Next page of people' })).toHaveCount(0);
		await expect(page.getByLabel('Name or email address')).toHaveValue(stem);
		await expectNoSeriousAxeViolations(page);

		await page.getByRole('link', { name: 'Previous page of people' }).click();
		await expect(names).toHaveCount(50);
		await expect(names.first()).toHaveText(`${stem} 00`);
		await expect(page.getByRole('link', { name: 'Previous page of people' })).toHaveCount(0);
	});
});
