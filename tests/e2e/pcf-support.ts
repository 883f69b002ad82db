import type { Page } from '@playwright/test';
import { expect, expectNoSeriousAxeViolations, signIn } from './support';

/**
 * The Cherwell PCF representative signs in and follows the group's page to one of the proposals it
 * lists (a bid, a round), checking each page on the way with axe.
 */
export async function openFromCherwellGroup(page: Page, proposal: string | RegExp): Promise<void> {
	await signIn(page, 'pcfRep', { next: '/pcf' });
	await expectNoSeriousAxeViolations(page);
	await page.getByRole('link', { name: 'Cherwell', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Cherwell PCF advisory group' })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	await page.getByRole('link', { name: proposal }).click();
}
