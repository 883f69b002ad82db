import type { Page } from '@playwright/test';
import { DEMO_SETTINGS, expect, expectNoSeriousAxeViolations, inviteToSetting, newPerson, signIn, test } from './support';

/** The number in the header's Notifications badge. */
async function unreadCount(page: Page): Promise<number> {
	const text = await page.getByTestId('unread-count').innerText();
	return Number.parseInt(text, 10);
}
/** The header link as a screen reader announces it. */
const notificationsLink = (page: Page, count: number) => page.getByRole('link', { name: `Notifications ${count} unread`, exact: true });

test.describe('notifications', () => {
	// The administrator, not the officer: no other test notifies them, so the count moves only because of this one.
	test("the header's unread count rises the moment an invitation is accepted, and falls when it is read, without reloading", async ({
		page,
		openPage
	}) => {
		const invitee = newPerson('headteacher');
		await signIn(page, 'admin');
		await expectNoSeriousAxeViolations(page);
		const link = await inviteToSetting(page, invitee, { label: `${DEMO_SETTINGS.banburySecondary}, Banbury`, role: 'Headteacher' });

		await page.getByRole('link', { name: /^Notifications/ }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const before = await unreadCount(page);
		await page.evaluate(() => document.documentElement.setAttribute('data-e2e-unreloaded', ''));

		const invited = await openPage();
		await invited.goto(link);
		await expectNoSeriousAxeViolations(invited);
		const password = 'castlebrook herons fly high';
		await invited.getByLabel('Password', { exact: true }).fill(password);
		await invited.getByLabel('Enter the password again').fill(password);
		await invited.getByRole('button', { name: 'Accept and sign in' }).click();
		await expect(invited.getByText(`Signed in as ${invitee.name}.`)).toBeVisible();
		await expectNoSeriousAxeViolations(invited);

		const title = `${invitee.name} accepted your invitation`;
		await expect(notificationsLink(page, before + 1)).toBeVisible();
		const notification = page.getByTestId('notifications').getByRole('listitem').filter({ hasText: title });
		await expect(notification).toContainText('New');
		await expectNoSeriousAxeViolations(page);

		await notification.getByRole('button', { name: /^Mark as read/ }).click();
		await expect(notificationsLink(page, before)).toBeVisible();
		await expect(notification).not.toContainText('New');
		await expect(page.locator('html')).toHaveAttribute('data-e2e-unreloaded', '');
	});
});
