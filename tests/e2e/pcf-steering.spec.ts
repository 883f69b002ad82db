import type { Page } from '@playwright/test';
import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';
import { inE2eDatabase } from './database';

// A cluster steering group's decision item: the Banbury cluster lead, from the workspace, puts a
// decision on the steering group's agenda (a meeting on the day the forum's advice closes is
// refused; a week later is taken); the Cherwell PCF representative finds it on the Cherwell group's
// page, labelled as a steering group decision, drafts the group's position and adds a point, which
// the lead's open page shows without reloading; once the meeting has taken place, the lead records
// the decision and how the advice was considered. axe on every page at desktop width and at 320 px.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

async function fillDate(page: Page, legend: string, iso: string) {
	const [year, month, day] = iso.split('-').map(Number);
	const group = page.getByRole('group', { name: legend });
	await group.getByLabel('Day').fill(String(day));
	await group.getByLabel('Month').fill(String(month));
	await group.getByLabel('Year').fill(String(year));
}

const isoOf = (match: RegExpExecArray) => `${match[3]}-${String(MONTHS.indexOf(match[2]) + 1).padStart(2, '0')}-${match[1].padStart(2, '0')}`;
const daysAfter = (iso: string, days: number) => new Date(Date.parse(`${iso}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

test.describe('PCF steering group decisions', () => {
	test('a cluster lead puts a decision on the steering group’s agenda; a PCF representative sees it on the group’s page and adds a point; after the meeting the lead records the decision', async ({ page, openPage }) => {
		test.slow();
		const title = `Sharing the outreach teacher ${Date.now()}`;
		const point = 'Publish how a family asks for outreach time, and how long they wait.';

		await signIn(page, 'clusterLead', { next: '/clusters' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('main').getByRole('link', { name: 'Banbury' }).click();
		await expect(page.getByRole('heading', { level: 1, name: /^Banbury/ })).toBeVisible();
		await expect(page.getByTestId('workspace-consultations')).toContainText('Steering group decision');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'put a decision on the steering group’s agenda' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Put a decision on the steering group’s agenda' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		// The workspace it came from is chosen; the earliest closing date the district allows is shown.
		await expect(page.getByLabel('Steering group’s workspace')).toHaveValue(/\d+/);
		const rule = /Banbury: .*the earliest closing date is (\d{1,2}) (\w+) (\d{4})/.exec((await page.locator('.govuk-inset-text').textContent()) ?? '');
		expect(rule).not.toBeNull();
		const closesOn = isoOf(rule!);
		await page.getByLabel('Title').fill(title);
		await page.getByLabel('The question or proposal the steering group will decide').fill('Share the outreach teacher by pupils on SEN support, or by requests as they come in?');
		await page.getByRole('group', { name: 'How early is the forum involved?' }).getByLabel(/^Consulting/).check();
		await fillDate(page, 'Date the forum’s advice closes', closesOn);
		// A meeting on the day the advice closes is refused: the forum's advice closes before the meeting.
		await fillDate(page, 'Date of the steering group meeting that decides it', closesOn);
		await page.getByRole('button', { name: 'Put it on the agenda' }).click();
		await expect(page.getByRole('alert')).toContainText('The steering group must meet after the forum’s advice closes');
		await expectNoSeriousAxeViolations(page);
		await fillDate(page, 'Date of the steering group meeting that decides it', daysAfter(closesOn, 7));
		await page.getByRole('button', { name: 'Put it on the agenda' }).click();
		await expect(page.getByTestId('pcf-done')).toContainText('The decision is on the steering group’s agenda');
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(page.getByText('Steering group decision in Banbury')).toBeVisible();
		await expect(page.getByTestId('steering-meeting')).toContainText('the cluster steering group decides it there');
		await expect(page.getByTestId('consultation-timeline')).toContainText('on the steering group’s agenda');
		await expect(page.getByText(/You can record the steering group’s decision from the day of its meeting/)).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		// The Cherwell representative finds it on the group's page, labelled as a steering group decision.
		const rep = await openPage();
		await signIn(rep, 'pcfRep', { next: '/pcf' });
		await expectNoSeriousAxeViolations(rep);
		await rep.getByRole('link', { name: 'Cherwell', exact: true }).click();
		await expect(rep.getByRole('heading', { level: 1, name: 'Cherwell PCF advisory group' })).toBeVisible();
		const listed = rep.getByRole('row').filter({ has: rep.getByRole('link', { name: title }) });
		await expect(listed).toContainText('Steering group decision');
		await expectNoSeriousAxeViolations(rep);
		await listed.getByRole('link', { name: title }).click();
		await expect(rep.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expectNoSeriousAxeViolations(rep);
		await rep.getByRole('group', { name: 'The group’s position' }).getByLabel('Concerns').check();
		await rep.getByRole('button', { name: 'Save the position' }).click();
		await expect(rep.getByTestId('pcf-done')).toContainText('The group’s position was saved');
		await rep.getByLabel('The point').fill(point);
		await rep.getByRole('button', { name: 'Add the point' }).click();
		await expect(rep.getByTestId('pcf-done')).toContainText('The point was added.');
		await expect(rep.getByTestId('pcf-point').filter({ hasText: point })).toContainText('Waiting for an answer');
		await expectNoSeriousAxeViolations(rep);

		// The lead's page, open all along, shows the point without being reloaded.
		await expect(page.getByTestId('pcf-point').filter({ hasText: point })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		// The steering group meets (the item's dates are moved into the past: the server's clock cannot
		// move); the lead records what it decided. Nothing written is refused with the summary.
		const itemPath = new URL(page.url()).pathname;
		const itemId = Number(/^\/pcf\/consultations\/(\d+)$/.exec(itemPath)?.[1]);
		const moved = await inE2eDatabase(`update pcf_consultation set opens_on = current_date - 40, closes_on = current_date - 8, decision_meeting_on = current_date - 1 where id = $1`, [itemId]);
		expect(moved).toBe(1);
		await page.goto(itemPath);
		const decide = page.getByRole('region', { name: 'Record the steering group’s decision' });
		await decide.getByRole('button', { name: 'Record the decision' }).click();
		await expect(page.getByRole('alert')).toContainText('Say what the steering group decided');
		await expectNoSeriousAxeViolations(page);
		await decide.getByLabel('What did the steering group decide?').fill('Shared by pupils on SEN support, reviewed after a term.');
		await decide.getByLabel('How the PCF advisory group’s advice was considered').fill('The cluster will publish how a family asks for outreach time.');
		await decide.getByRole('button', { name: 'Record the decision' }).click();
		await expect(page.getByTestId('pcf-done')).toContainText('The steering group’s decision was recorded');
		await expect(page.getByTestId('steering-decision')).toContainText('Shared by pupils on SEN support');
		await expect(page.getByTestId('steering-decision')).toContainText('publish how a family asks');
		await expect(page.getByTestId('consultation-status')).toContainText('Decided at the steering group meeting on');
		await expect(page.getByTestId('consultation-timeline')).toContainText('recorded the steering group’s decision');
		await expectNoSeriousAxeViolations(page);
	});
});
