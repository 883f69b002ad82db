import type { Page } from '@playwright/test';

// What the dispute journeys share: a date some days back as the GOV.UK date fields take it, and
// the referral form filled for the seeded Meadowside school.

export function daysAgo(days: number) {
	const date = new Date(Date.now() - days * 24 * 60 * 60 * 1000);
	return { day: String(date.getUTCDate()), month: String(date.getUTCMonth() + 1), year: String(date.getUTCFullYear()) };
}

export async function fillReferral(page: Page, referral: { category: string; initials: string; letter?: { day: string; month: string; year: string } }) {
	await page.getByRole('radio', { name: 'A maintained school' }).check();
	await page.getByLabel('Find a setting').fill('Meadowside');
	await page.getByRole('button', { name: 'Search for a setting' }).click();
	await page.getByRole('radio', { name: /^Banbury Meadowside Primary School/ }).check();
	await page.getByRole('radio', { name: referral.category }).check();
	await page.getByLabel('The child’s initials').fill(referral.initials);
	await page.getByLabel('The child’s year group').selectOption('Year 5');
	await page.getByLabel('What outcome is the family looking for?').fill('A support plan both agree');
	if (referral.letter) {
		const letter = page.getByRole('group', { name: /Date of the decision letter/ });
		await letter.getByLabel('Day').fill(referral.letter.day);
		await letter.getByLabel('Month').fill(referral.letter.month);
		await letter.getByLabel('Year').fill(referral.letter.year);
	}
}
