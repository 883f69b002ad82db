import type { Page } from '@playwright/test';
import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// Consultations and decision points: an officer opens one in the Banbury workspace (a closing date
// too soon is refused with the earliest allowed date, which is then used; the Cherwell PCF
// representative's open list shows it live); the representative drafts the group's position and
// adds a point (the officer's open page shows it live) and writes the first comment in the
// consultation's discussion (live on the officer's page too); the lead approves it. An officer changes the
// West Oxfordshire consultation rule, saying why, and sees it in the rule's history. axe on each new page
// (list, open, consultation, rule) at desktop width and at 320 px.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

async function fillDate(page: Page, legend: string, parts: { day: number; month: number; year: number }) {
	const group = page.getByRole('group', { name: legend });
	await group.getByLabel('Day').fill(String(parts.day));
	await group.getByLabel('Month').fill(String(parts.month));
	await group.getByLabel('Year').fill(String(parts.year));
}

test.describe('PCF consultations', () => {
	test('an officer opens a consultation; a PCF representative adds a point; the lead approves', async ({ page, openPage }) => {
		test.slow();
		const title = `Draft cluster MOU ${Date.now()}`;
		const point = 'Families need one named contact in each setting.';

		await signIn(page, 'officer', { next: '/pcf/consultations' });
		await expect(page.getByRole('heading', { level: 1, name: 'Consultations and decision points' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Draft Banbury cluster memorandum of understanding' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Open a consultation' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Open a consultation' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		// Nothing filled in: each field says what it needs.
		await page.getByRole('button', { name: 'Open the consultation' }).click();
		await expect(page.getByRole('alert')).toContainText('Enter the consultation’s title');
		await expectNoSeriousAxeViolations(page);

		// The Cherwell representative has the list open before the consultation is opened.
		const rep = await openPage();
		await signIn(rep, 'pcfRep', { next: '/pcf/consultations' });
		await expect(rep.getByRole('heading', { level: 1, name: 'Consultations and decision points' })).toBeVisible();
		await expect(rep.getByRole('link', { name: title })).toHaveCount(0);
		await expectNoSeriousAxeViolations(rep);

		await page.getByLabel('Workspace').selectOption({ label: 'Banbury' });
		await page.getByLabel('Title').fill(title);
		await page.getByLabel('What it is about and what you are asking').fill('How Banbury’s settings share their SEND support. What should change before it is signed?');
		await page.getByRole('group', { name: 'What kind of consultation is it?' }).getByLabel('Co-design', { exact: true }).check();
		await page.getByRole('group', { name: 'How early is the forum involved?' }).getByLabel(/^Engaging/).check();
		// Tomorrow is too soon: refused, with the earliest allowed date suggested.
		const tomorrow = new Date(Date.now() + 86_400_000);
		await fillDate(page, 'Closing date', { day: tomorrow.getDate(), month: tomorrow.getMonth() + 1, year: tomorrow.getFullYear() });
		await page.getByRole('button', { name: 'Open the consultation' }).click();
		const alert = page.getByRole('alert');
		await expect(alert).toContainText('the earliest closing date is');
		await expectNoSeriousAxeViolations(page);
		const suggested = /earliest closing date is (\d{1,2}) (\w+) (\d{4})/.exec((await alert.textContent()) ?? '');
		expect(suggested).not.toBeNull();
		await fillDate(page, 'Closing date', { day: Number(suggested![1]), month: MONTHS.indexOf(suggested![2]) + 1, year: Number(suggested![3]) });
		await page.getByRole('button', { name: 'Open the consultation' }).click();
		await expect(page.getByTestId('pcf-done')).toContainText('The consultation is open');
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(page.getByTestId('consultation-timeline')).toContainText('opened the co-design');
		await expectNoSeriousAxeViolations(page);
		const consultationPath = new URL(page.url()).pathname;

		// The representative's list, not reloaded, shows the new consultation; they draft the group's position and add a point.
		await expect(rep.getByRole('link', { name: title })).toBeVisible();
		await expectNoSeriousAxeViolations(rep);
		await rep.getByRole('link', { name: title }).click();
		await expect(rep.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await rep.getByRole('group', { name: 'The group’s position' }).getByLabel('Support with conditions').check();
		await rep.getByRole('button', { name: 'Save the position' }).click();
		await expect(rep.getByTestId('pcf-done')).toContainText('The group’s position was saved');
		await rep.getByLabel('The point').fill(point);
		await rep.getByRole('group', { name: 'Themes' }).first().getByLabel('Communication with families').check();
		await rep.getByRole('button', { name: 'Add the point' }).click();
		await expect(rep.getByTestId('pcf-done')).toContainText('The point was added.');
		await expect(rep.getByTestId('pcf-point').filter({ hasText: point })).toContainText('Waiting for an answer');
		await expectNoSeriousAxeViolations(rep);
		// The officer's page, still open, shows the new point without being reloaded.
		await expect(page.getByTestId('pcf-point').filter({ hasText: point })).toBeVisible();

		// The consultation has a discussion for everyone who may read it.
		const discussion = rep.getByRole('region', { name: 'Discussion' });
		await rep.getByLabel('Add a comment').fill('Could the MOU name who families contact first?');
		await discussion.getByRole('button', { name: 'Post comment' }).click();
		await expect(rep.getByTestId('comment').filter({ hasText: 'who families contact first' })).toBeVisible();
		await expectNoSeriousAxeViolations(rep);
		// The officer's page, open since before the discussion had a comment, shows the first one without reloading.
		await expect(page.getByTestId('comment').filter({ hasText: 'who families contact first' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		// The lead approves it as the group's.
		const lead = await openPage();
		await signIn(lead, 'pcfLead', { next: consultationPath });
		const today = new Date();
		await fillDate(lead, 'When did the group agree it?', { day: today.getDate(), month: today.getMonth() + 1, year: today.getFullYear() });
		await lead.getByLabel('Where was it agreed?').fill('Cherwell group email round');
		await lead.getByRole('button', { name: 'Approve the position' }).click();
		await expect(lead.getByTestId('pcf-approved')).toContainText('Cherwell group email round');
		await expectNoSeriousAxeViolations(lead);
	});
});

test.describe('the consultation rule', () => {
	// West Oxfordshire, so a consultation being opened in Cherwell by the test above meets the rule it was shown.
	test('an officer changes a district’s minimum period, saying why, and the change is on its history', async ({ page }) => {
		test.slow();
		await signIn(page, 'officer', { next: '/pcf' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'West Oxfordshire', exact: true }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'West Oxfordshire PCF advisory group' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Consultation closing dates in West Oxfordshire' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Consultation closing dates' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const now = Number(/at least (\d+) working days/.exec((await page.getByTestId('rule-now').textContent()) ?? '')?.[1]);
		expect(now).toBeGreaterThan(0);

		// No reason: refused with the field named.
		await page.getByLabel('Minimum period, in working days').fill(String(now + 1));
		await page.getByRole('button', { name: 'Save the rule' }).click();
		await expect(page.getByRole('alert')).toContainText('Say why the rule changes');
		await expectNoSeriousAxeViolations(page);

		await page.getByLabel('Why does the rule change?').fill('Trial of a longer period agreed at the steering group');
		await page.getByRole('button', { name: 'Save the rule' }).click();
		await expect(page.getByTestId('rule-done')).toContainText('The consultation rule was changed');
		await expect(page.getByTestId('rule-now')).toContainText(`at least ${now + 1} working days`);
		await expect(page.getByTestId('rule-history')).toContainText('Trial of a longer period agreed at the steering group');
		await expectNoSeriousAxeViolations(page);

		// Put back as it was, so other tests see the demo county's rule.
		await page.getByLabel('Minimum period, in working days').fill(String(now));
		await page.getByLabel('Why does the rule change?').fill('End of the trial');
		await page.getByRole('button', { name: 'Save the rule' }).click();
		await expect(page.getByTestId('rule-now')).toContainText(`at least ${now} working days`);
		await expectNoSeriousAxeViolations(page);
	});
});
