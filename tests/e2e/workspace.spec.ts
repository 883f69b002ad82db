import type { Page } from '@playwright/test';
import { demoAccount, expect, expectNoSeriousAxeViolations, pickBySearch, signIn, test } from './support';

/** Follows the Banbury link on the person's home page into the locality workspace. */
async function openBanburyWorkspace(page: Page) {
	await page.getByRole('main').getByRole('link', { name: /^Banbury/ }).click();
	await expect(page).toHaveURL(/\/clusters\/\d+$/);
	await expect(page.getByRole('heading', { level: 1, name: /^Banbury/ })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	return new URL(page.url()).pathname;
}

/** Marks the document, so a later check can prove the page was updated in place, not reloaded. */
async function markDocument(page: Page) {
	await page.evaluate(() => document.documentElement.setAttribute('data-e2e-unreloaded', ''));
}
async function expectNotReloaded(page: Page) {
	await expect(page.locator('html')).toHaveAttribute('data-e2e-unreloaded', '');
}

test.describe('the locality workspace, live', () => {
	test('two colleagues see each other under "Here now" as they arrive, and one disappears when they close the page', async ({
		page,
		openPage
	}) => {
		const senco = await signIn(page, 'senco');
		await expectNoSeriousAxeViolations(page);
		const workspace = await openBanburyWorkspace(page);
		const sencoPresence = page.getByTestId('presence');
		await expect(sencoPresence).toContainText(`${senco.name} (you)`);
		await markDocument(page);

		const partnerPage = await openPage();
		const partner = await signIn(partnerPage, 'partnerHeadteacher', { next: workspace });
		await expect(partnerPage.getByRole('heading', { level: 1, name: /^Banbury/ })).toBeVisible();
		await expectNoSeriousAxeViolations(partnerPage);

		// Each sees the other, without reloading.
		await expect(partnerPage.getByTestId('presence')).toContainText(senco.name);
		await expect(partnerPage.getByTestId('presence')).toContainText(`${partner.name} (you)`);
		await expect(sencoPresence).toContainText(partner.name);

		await partnerPage.close();
		await expect(sencoPresence).not.toContainText(partner.name);
		await expect(sencoPresence).toContainText(`${senco.name} (you)`);
		await expectNotReloaded(page);
	});

	test("an officer's change in County set-up appears in the open workspace's activity without reloading", async ({ page, openPage }) => {
		await signIn(page, 'senco');
		await expectNoSeriousAxeViolations(page);
		await openBanburyWorkspace(page);
		const feed = page.getByTestId('activity-feed');
		await expect(feed).toBeVisible();
		const settingCount = page.getByRole('heading', { level: 2, name: /^Settings \(\d+\)$/ });
		const countBefore = await settingCount.textContent();
		await markDocument(page);

		// The officer moves one of Banbury's villages' settings to Bicester.
		const officerPage = await openPage();
		await signIn(officerPage, 'officer', { next: '/admin/clusters' });
		await expect(officerPage.getByRole('heading', { level: 1, name: 'District and locality clusters' })).toBeVisible();
		await expectNoSeriousAxeViolations(officerPage);
		await officerPage.getByRole('table', { name: 'Locality clusters in Cherwell' }).getByRole('link', { name: /^Banbury/ }).click();
		await expect(officerPage.getByRole('heading', { level: 1, name: /^Banbury/ })).toBeVisible();
		await expectNoSeriousAxeViolations(officerPage);

		const settings = officerPage.getByRole('table', { name: /^Settings in Banbury/ });
		const names = (await settings.locator('tbody tr td:first-child').allInnerTexts()).map((text) => text.split('\n')[0]!.trim());
		// Not one of the demo people's own settings: moving those would move the people too.
		const setting = names.find((name) => !name.startsWith('Banbury'));
		if (!setting) throw new Error(`no village setting left in Banbury to move: ${names.join(', ')}`);

		const row = settings.getByRole('row').filter({ hasText: setting });
		await row.locator('summary').click(); // "Move", with the setting's name for screen readers
		await pickBySearch(row, 'locality cluster', 'Bices', 'Bicester (locality)');
		await row.getByLabel('Why are you moving it?').fill('The setting works with Bicester schools on transition.');
		await row.getByRole('button', { name: /^Move setting/ }).click();
		await expect(officerPage.getByRole('alert').filter({ hasText: 'Success' })).toBeVisible();
		await expect(settings.getByRole('row').filter({ hasText: setting })).toHaveCount(0);
		await expectNoSeriousAxeViolations(officerPage);

		// The SENCO's open workspace shows it, newest first, and nothing was reloaded.
		// Found by its words: other journeys may add Banbury activity at the same moment.
		const moved = feed.getByRole('listitem').filter({ hasText: `${setting} moved from Banbury to Bicester` });
		await expect(moved).toHaveCount(1);
		await expect(moved).toContainText(demoAccount('officer').name);
		// The page's own data was reloaded for the move (the settings count), not the whole document.
		await expect(settingCount).not.toHaveText(countBefore ?? '');
		await expectNotReloaded(page);
		await expectNoSeriousAxeViolations(page);
	});
});
