import type { Page } from '@playwright/test';
import { DEMO_SETTINGS, expect, expectNoSeriousAxeViolations, inviteToSetting, newPerson, signIn, test } from './support';

// Double submits and destructive clicks. Each test works in its own new round or person, away from
// the Banbury round the other specs count.

const suffix = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** An officer opens a funding round in North & Central Oxford and lands on its page. */
async function openOxfordRound(page: Page): Promise<{ path: string; name: string }> {
	const name = `Quick support fund ${suffix()}`;
	await page.goto('/clusters');
	await expectNoSeriousAxeViolations(page);
	await page.getByRole('main').getByRole('link', { name: 'North & Central Oxford', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: /North & Central Oxford/ })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await page.getByRole('link', { name: 'Open a funding round' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Open a funding round' })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await page.getByLabel('Name of the round').fill(name);
	await page.getByLabel('Pot (£)').fill('10000');
	await page.getByLabel('Maximum request (£)').fill('5000');
	const closes = page.getByRole('group', { name: 'Closes on' });
	const [year, month, day] = inDays(30).split('-');
	await closes.getByLabel('Day').fill(String(Number(day)));
	await closes.getByLabel('Month').fill(String(Number(month)));
	await closes.getByLabel('Year').fill(year);
	await page.getByRole('radio', { name: 'More than half of the cluster’s settings' }).check();
	await page.getByRole('button', { name: 'Open the round' }).click();
	await expect(page).toHaveURL(/\/rounds\/\d+\?done=opened$/);
	await expectNoSeriousAxeViolations(page);
	return { path: new URL(page.url()).pathname, name };
}

test.describe('double submits and destructive clicks', () => {
	test('a double click on "Start a bid" starts one bid; the same post sent again goes to that bid; closing the round asks first', async ({
		page,
		openPage,
		baseURL
	}) => {
		test.setTimeout(240_000);
		await signIn(page, 'officer');
		await expectNoSeriousAxeViolations(page);
		const round = await openOxfordRound(page);

		const senco = await openPage();
		await signIn(senco, 'oxfordSenco', { next: round.path });
		await expect(senco.getByRole('heading', { level: 1, name: round.name })).toBeVisible();
		await expectNoSeriousAxeViolations(senco);
		const title = `Sensory room for two schools ${suffix()}`;
		await senco.getByLabel('Title').fill(title);
		await senco.getByRole('button', { name: 'Start a bid' }).dblclick();
		await expect(senco).toHaveURL(/\/bids\/\d+\?done=created$/);
		await expect(senco.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expectNoSeriousAxeViolations(senco);

		// Removing a partner setting (with its pledge) is a check step: "Remove" opens it, the post
		// is refused until the box is ticked, and "No, keep it" leaves the partner where it was.
		// The partner picker lists the cluster's first settings before anything is typed; its labels say "name, town".
		const partnerRadio = senco.getByTestId('partner-settingId-options').getByRole('radio').first();
		const partnerName = (await senco.locator(`label[for="${await partnerRadio.getAttribute('id')}"]`).textContent())!.trim().replace(/, [^,]+$/, '');
		await partnerRadio.check();
		await senco.getByRole('button', { name: 'Add partner' }).click();
		await expect(senco).toHaveURL(/\?done=partnerAdded/);
		const partners = senco.getByTestId('bid-partners');
		await partners.getByRole('link', { name: `Remove ${partnerName}` }).click();
		const removal = senco.locator('#remove-partner');
		await expect(removal.getByRole('heading', { name: `Remove ${partnerName} from this bid?` })).toBeVisible();
		await expectNoSeriousAxeViolations(senco);
		await removal.getByRole('link', { name: 'No, keep it' }).click();
		await expect(senco.locator('#remove-partner')).toHaveCount(0);
		await partners.getByRole('link', { name: `Remove ${partnerName}` }).click();
		await senco.locator('#remove-partner').getByRole('button', { name: `Remove ${partnerName}` }).click();
		await expect(senco.locator('.govuk-error-summary')).toContainText('Tick the box to confirm you want to remove this setting and its pledge from the bid');
		await expect(partners).toContainText(partnerName);
		await expectNoSeriousAxeViolations(senco);
		await senco.locator('#remove-partner').getByLabel(`Remove ${partnerName} and its pledge from this bid`).check();
		await senco.locator('#remove-partner').getByRole('button', { name: `Remove ${partnerName}` }).click();
		await expect(senco).toHaveURL(/\?done=partnerRemoved/);
		await expect(partners).not.toContainText(partnerName);
		await expectNoSeriousAxeViolations(senco);

		await senco.goto(round.path);
		await expect(senco.getByTestId('round-bids').getByRole('row').filter({ hasText: title })).toHaveCount(1);
		await expectNoSeriousAxeViolations(senco);

		// Without JavaScript nothing stops the browser sending a post twice: the server answers the
		// repeat with where the first went, and starts nothing more.
		const startForm = senco.locator('form[action="?/startBid"]');
		const formToken = await startForm.locator('input[name="formToken"]').inputValue();
		const leadSettingId = await startForm.getByLabel('Lead setting').inputValue();
		const again = `Sent twice ${suffix()}`;
		const post = () =>
			senco.request.post(`${round.path}?/startBid`, {
				form: { formToken, leadSettingId, title: again },
				// A browser without JavaScript: it asks for a page, so the answer is a plain redirect.
				headers: { origin: baseURL ?? '', accept: 'text/html' },
				maxRedirects: 0
			});
		const first = await post();
		const second = await post();
		expect(first.status()).toBe(303);
		expect(second.status()).toBe(303);
		expect(first.headers().location).toMatch(/^\/bids\/\d+\?done=created$/);
		expect(second.headers().location).toBe(first.headers().location);
		await senco.reload();
		await expect(senco.getByTestId('round-bids').getByRole('row').filter({ hasText: again })).toHaveCount(1);
		await expectNoSeriousAxeViolations(senco);

		// Closing the round is a warning button behind a check step.
		await page.goto(round.path);
		const close = page.getByRole('region', { name: 'Close the round' });
		await expect(close.getByRole('button', { name: 'Close round' })).toHaveClass(/govuk-button--warning/);
		await close.getByLabel('Why are you closing the round?').fill('Opened by mistake.');
		await close.getByRole('button', { name: 'Close round' }).click();
		const summary = page.locator('.govuk-error-summary');
		await expect(summary).toContainText('Tick the box to confirm you want to close the round');
		await expect(page.getByRole('heading', { level: 2, name: 'Close the round' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await close.getByLabel(`I want to close ${round.name} now`).check();
		await close.getByRole('button', { name: 'Close round' }).click();
		await expect(page).toHaveURL(/\?done=closed$/);
		await expect(page.getByText('Funding round closed.')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
	});

	test('removing a role and deactivating an account each ask before they act', async ({ page, openPage }) => {
		test.setTimeout(120_000);
		await signIn(page, 'officer');
		await expectNoSeriousAxeViolations(page);
		const invitee = newPerson('senco');
		const link = await inviteToSetting(page, invitee, { label: `${DEMO_SETTINGS.oxfordPrimary}, Oxford`, role: 'SENCO' });
		const invited = await openPage();
		await invited.goto(link);
		await expectNoSeriousAxeViolations(invited);
		await invited.getByLabel('Password', { exact: true }).fill('summertown foxes run late');
		await invited.getByLabel('Enter the password again').fill('summertown foxes run late');
		await invited.getByRole('button', { name: 'Accept and sign in' }).click();
		await expect(invited.getByText(`Signed in as ${invitee.name}.`)).toBeVisible();
		await expectNoSeriousAxeViolations(invited);
		await page.goto(`/admin/people?search=${encodeURIComponent(invitee.email)}`);
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: invitee.name }).click();
		await expect(page.getByRole('heading', { level: 1, name: invitee.name })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		// "Remove" only opens the check step; "No" leaves the role where it was.
		const roles = page.getByTestId('roles');
		await roles.getByRole('link', { name: /^Remove/ }).click();
		const check = page.getByTestId('remove-role');
		await expect(check.getByRole('heading', { name: 'Are you sure you want to remove this role?' })).toBeVisible();
		await expect(check).toContainText(`SENCO at ${DEMO_SETTINGS.oxfordPrimary}`);
		await expectNoSeriousAxeViolations(page);
		await check.getByRole('link', { name: 'No, keep the role' }).click();
		await expect(page.getByTestId('remove-role')).toHaveCount(0);
		await expect(roles.getByRole('row').filter({ hasText: DEMO_SETTINGS.oxfordPrimary })).toHaveCount(1);
		await roles.getByRole('link', { name: /^Remove/ }).click();
		await page.getByTestId('remove-role').getByRole('button', { name: /^Yes, remove/ }).click();
		await expect(page).toHaveURL(/\?done=revoked$/);
		await expect(page.getByTestId('roles')).toHaveCount(0);
		await expectNoSeriousAxeViolations(page);

		// Deactivating refuses until the box is ticked, and says so beside it.
		await page.getByLabel('Why are you deactivating this account?').fill('Left the school.');
		await page.getByRole('button', { name: 'Deactivate account' }).click();
		await expect(page.locator('.govuk-error-summary')).toContainText('Tick the box to confirm you want to deactivate this account');
		await expect(page.getByTestId('status')).toContainText('Active');
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel(`I want to deactivate ${invitee.name}’s account`).check();
		await page.getByRole('button', { name: 'Deactivate account' }).click();
		await expect(page).toHaveURL(/\?done=deactivated$/);
		await expect(page.getByTestId('status')).toContainText('Deactivated');
		await expectNoSeriousAxeViolations(page);
		// The person's own open page is told at once: it reloads, and with the account ended, asks them to sign in.
		await expect(invited).toHaveURL(/\/signin/, { timeout: 15_000 });
		await expectNoSeriousAxeViolations(invited);
	});
});
