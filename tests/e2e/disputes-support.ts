import type { Page } from '@playwright/test';
import { expect, expectNoSeriousAxeViolations } from './support';
import { inE2eDatabase } from './database';

// What the dispute journeys share: a date some days back as the GOV.UK date fields take it, the
// referral form filled for the seeded Meadowside school, a booked meeting let take place, and an
// outcome recorded with an action for the school, which the school's headteacher then sees.

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

/**
 * Lets the booked meeting of a case take place: moves its slot to earlier today (the server's
 * clock cannot be moved, and a slot can only be proposed in the future).
 */
export async function meetingHeld(reference: string): Promise<void> {
	const moved = await inE2eDatabase(
		`update dispute_slot s set starts_at = now() - interval '3 hours', ends_at = now() - interval '1 hour'
		 from dispute_poll p join dispute_case c on c.id = p.case_id
		 where s.id = p.booked_slot_id and p.cancelled_at is null and c.reference = $1`,
		[reference]
	);
	if (moved !== 1) throw new Error(`expected one booked meeting for ${reference}, found ${moved}`);
}

/**
 * On a case's outcome page, after the panel met: an empty submit shows the error summary; then a
 * partly resolved outcome (the escalation route appears) and an action for the setting due in ten days.
 */
export async function recordOutcomeWithSchoolAction(page: Page, reference: string, action: string): Promise<void> {
	await page.getByRole('button', { name: 'Record the outcome' }).click();
	await expect(page.getByRole('alert')).toContainText('Choose whether the disagreement was resolved');
	await expectNoSeriousAxeViolations(page);

	await page.getByRole('radio', { name: 'Partly resolved' }).check();
	await page.getByLabel('What the parties agreed').fill('Weekly updates from the class teacher; the family still wants a home-school book.');
	await page.getByRole('button', { name: 'Record the outcome' }).click();
	await expect(page.getByText('Outcome recorded.')).toBeVisible();
	await expect(page.getByTestId('escalation')).toContainText('governing board');
	await expect(page.getByRole('link', { name: 'Download the written outcome record (PDF)' })).toBeVisible();
	await expectNoSeriousAxeViolations(page);

	await page.getByLabel('The action').fill(action);
	await page.getByRole('group', { name: 'Who will do it?' }).getByRole('radio', { name: 'The setting' }).check();
	const due = daysAgo(-10);
	const dueOn = page.getByRole('group', { name: /Due by/ });
	await dueOn.getByLabel('Day').fill(due.day);
	await dueOn.getByLabel('Month').fill(due.month);
	await dueOn.getByLabel('Year').fill(due.year);
	await page.getByRole('button', { name: 'Add the action' }).click();
	await expect(page.getByText('Agreed action added.')).toBeVisible();
	await expect(page.getByTestId('agreed-actions')).toContainText(action);
	await expect(page.getByTestId('case-timeline')).toContainText(`Recorded the outcome of ${reference}`);
	await expectNoSeriousAxeViolations(page);
}

/**
 * The school's headteacher, signed in elsewhere: the agreed action is on their home page and on
 * the case's outcome page; what was agreed in words, the written record and `hidden` are not.
 */
export async function headSeesOnlyTheAction(head: Page, action: string, hidden: string[]): Promise<void> {
	await head.goto('/');
	await expect(head.getByText(action)).toBeVisible();
	await expectNoSeriousAxeViolations(head);
	await head.getByRole('link', { name: action }).click();
	await expect(head.getByRole('heading', { level: 1, name: 'Outcome and agreed actions' })).toBeVisible();
	await expect(head.getByTestId('agreed-actions')).toContainText(action);
	for (const text of ['home-school book', ...hidden]) await expect(head.getByText(text)).toHaveCount(0);
	await expect(head.getByRole('link', { name: /Download the written outcome record/ })).toHaveCount(0);
	await expectNoSeriousAxeViolations(head);
}
