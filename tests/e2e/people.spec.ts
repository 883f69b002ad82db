import { DEMO_SETTINGS, expect, expectNoSeriousAxeViolations, followLink, newPerson, signIn, test } from './support';

// People administration on a portal the size of England: the setting to invite someone to is
// found with a search box (with JavaScript: suggestions as you type; without: a search that comes
// back with the matches and everything typed kept), and long lists page with next and previous
// links instead of stopping at a cap.

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

test.describe('the people page', () => {
	test('waiting invitations page with next and previous links, each once; people are found by the start of a name', async ({ page }) => {
		await signIn(page, 'officer', { next: '/admin/people' });
		// More invitations than fit on one page, all naming someone no one else is called. (The demo
		// has fewer people than a page of the people list holds: its paging is proven in the integration tests.)
		const stem = `Pagewalk ${Date.now().toString(36)}`;
		const found = await page.request.get(`/api/trpc/pickers.settings?input=${encodeURIComponent(JSON.stringify({ query: 'meadowside' }))}`);
		const settingId = Number(((await found.json()) as { result: { data: { options: { value: string }[] } } }).result.data.options[0].value);
		for (let i = 0; i < 55; i++) {
			const response = await page.request.post('/api/trpc/people.invite', {
				data: { email: `pagewalk.${i}.${Date.now().toString(36)}@school.example`, name: `${stem} ${String(i).padStart(2, '0')}`, grant: { kind: 'setting', settingId, role: 'senco' } }
			});
			expect(response.ok()).toBe(true);
		}

		await page.reload();
		const invitations = page.getByTestId('pending-invitations').locator('tbody tr td:first-child');
		const firstPage = await invitations.allInnerTexts();
		expect(firstPage).toHaveLength(25);
		await expectNoSeriousAxeViolations(page);
		const seen = [...firstPage];
		const next = page.getByRole('link', { name: 'Next page of invitations' });
		for (let guard = 0; guard < 40 && (await next.count()) > 0; guard++) {
			// This click's own page (the address it names), not any earlier page's, before reading it.
			await followLink(page, next);
			await page.waitForLoadState();
			seen.push(...(await invitations.allInnerTexts()));
		}
		const mine = seen.filter((name) => name.startsWith(stem));
		expect(new Set(mine).size).toBe(55);
		expect(mine).toHaveLength(55);
		await expectNoSeriousAxeViolations(page);

		// The address holds another page's cursor already: wait for the one this link names.
		await followLink(page, page.getByRole('link', { name: 'Previous page of invitations' }));
		await expect(invitations).toHaveCount(25);

		await page.getByLabel('Name or email address').fill('pri');
		await page.getByRole('button', { name: 'Search', exact: true }).click();
		await expect(page).toHaveURL(/search=pri/);
		await expect(page.getByTestId('people').getByRole('rowheader', { name: 'Priya Shah' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
	});
});
