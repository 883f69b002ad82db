// What the bid journeys share: reading money and the workspace's figures as a person does, and
// moving through a bid's task list, section pages and presence list.
import type { Locator, Page } from '@playwright/test';
import { formatPence } from '../../src/lib/format';
import { expect, expectNoSeriousAxeViolations } from './support';

/** Pence as the portal shows them ("£20,000", "£1,250.50"). */
export const pounds = formatPence;
/** "£20,000" or "£1,250.50" back to whole pence. */
const penceOf = (text: string) => {
	const match = /£([\d,]+)(?:\.(\d{2}))?/.exec(text);
	if (!match) throw new Error(`no amount in “${text}”`);
	return Number(match[1]!.replaceAll(',', '')) * 100 + Number(match[2] ?? 0);
};

/** Marks the document, so a later check can prove the page was updated in place, not reloaded. */
export async function markDocument(page: Page) {
	await page.evaluate(() => document.documentElement.setAttribute('data-e2e-unreloaded', ''));
}
export async function expectNotReloaded(page: Page) {
	await expect(page.locator('html')).toHaveAttribute('data-e2e-unreloaded', '');
}

/** The round's row in the workspace's rounds table, read as a person reads the figures. */
export async function roundFigures(row: Locator) {
	const [, pot, requested, approved, remaining, bids] = await row.getByRole('cell').allInnerTexts();
	return {
		pot: penceOf(pot!),
		requested: penceOf(requested!),
		approved: penceOf(approved!),
		remaining: penceOf(remaining!),
		bids: Number(bids)
	};
}

/** The overview's task list: one item per section, each linking to the section's own page. */
export const task = (page: Page, label: string) => page.getByTestId('bid-checklist').getByRole('listitem').filter({ hasText: label });

/**
 * Opens a section's page from the overview's task list, as a person does, and checks it with axe
 * (`axe: false` for a page this person has had checked already, or will check in a moment).
 */
export async function openSection(page: Page, label: string, { axe = true } = {}) {
	await page.getByTestId('bid-checklist').getByRole('link', { name: label, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible();
	if (axe) await expectNoSeriousAxeViolations(page);
	return page.getByTestId('section-page');
}

/** Saves the section page's form: back on the overview, which says it was saved. */
export async function saveSection(page: Page, button: string, label: string) {
	await page.getByRole('button', { name: button }).click();
	await expect(page.getByRole('alert').filter({ hasText: `${label} saved.` })).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: 'Sections' })).toBeVisible();
}

/** Someone else's line in "Who is here". */
export const presenceOf = (page: Page, name: string) => page.getByTestId('bid-presence').getByRole('listitem').filter({ hasText: name });
