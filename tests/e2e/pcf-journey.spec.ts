import type { Locator, Page } from '@playwright/test';
import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';
import { openFromCherwellGroup } from './pcf-support';

// The journey for PCF advice, on the demo county's Castlebrook bid in the closed Banbury
// 2025/26 round (seeded with no advice on it, and used by no other spec, so no other test's round
// figures, comments or public points move with it): a PCF representative drafts the group's
// position, adds two points and a comment mentioning the lead; the lead approves the position; the
// bid's lead setting answers one point and an officer the other; both checks pass and they are
// published; the public "you said, we did" page, open without signing in in a second browser, shows
// them without reloading and names nobody; the officer's decision records how the advice was
// considered; later the change is marked delivered and the public page follows. axe runs on every
// page at desktop width and 320 px.

const BID = 'Sensory circuits before lessons at Castlebrook';
const POINT_ON_TIMES = 'Tell families which mornings the circuit runs, so they can plan the school run.';
const POINT_ON_PLACES = 'Keep places for pupils who join the school part way through the year.';
const COMMENT = 'Could families see the circuit before their child starts? @[Nadia Brooks]';
// The demo group's people, whose names must never reach the public page.
const NAMES = ['Claire Donnelly', 'Nadia Brooks'];

async function fillDate(scope: Page | Locator, legend: string, date: Date) {
	const group = scope.getByRole('group', { name: legend });
	await group.getByLabel('Day').fill(String(date.getDate()));
	await group.getByLabel('Month').fill(String(date.getMonth() + 1));
	await group.getByLabel('Year').fill(String(date.getFullYear()));
}

const pointOn = (page: Page, text: string) => page.getByTestId('pcf-point').filter({ hasText: text });

test.describe('PCF advice journey', () => {
	test('two points and a mention, the lead’s approval, answers by the owner and an officer, two checks, the public page live, the decision record and delivery', async ({ page, openPage }) => {
		// Seven people, some twenty pages, each checked by axe twice, on two shared cores.
		test.setTimeout(900_000);

		// A family reads the public page, signed out, in a browser of their own, from the start.
		const family = await openPage();
		await family.goto('/you-said-we-did');
		await expect(family.getByRole('heading', { level: 1, name: 'You said, we did' })).toBeVisible();
		await expect(family.getByTestId('ysw-point').first()).toBeVisible();
		await expect(family.getByTestId('ysw-point').filter({ hasText: POINT_ON_TIMES })).toHaveCount(0);
		await family.evaluate(() => document.documentElement.setAttribute('data-e2e-unreloaded', ''));
		await expectNoSeriousAxeViolations(family);

		// ---------- The representative gives the group's position, two points and a comment ----------
		await openFromCherwellGroup(page, BID);
		await expect(page.getByRole('heading', { level: 1, name: `Advice on “${BID}”` })).toBeVisible();
		await expect(page.getByText('The group has not given a position yet.')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const advicePath = new URL(page.url()).pathname;
		const bidId = /\/pcf\/bids\/(\d+)/.exec(advicePath)![1];

		await page.getByRole('group', { name: 'The group’s position' }).getByLabel('Support with conditions').check();
		await page.getByLabel('Summary (optional)').fill('The group supports the circuit if families know when it runs and places stay open all year.');
		await page.getByRole('button', { name: 'Save the position' }).click();
		await expect(page.getByTestId('pcf-done')).toContainText('The group’s position was saved.');
		await expect(page.getByTestId('pcf-stance')).toHaveText('Support with conditions');
		await expectNoSeriousAxeViolations(page);

		for (const [body, theme] of [
			[POINT_ON_TIMES, 'Communication with families'],
			[POINT_ON_PLACES, 'Inclusion in mainstream']
		] as const) {
			await page.getByLabel('The point').fill(body);
			await page.getByRole('group', { name: 'Themes' }).first().getByLabel(theme).check();
			await page.getByRole('button', { name: 'Add the point' }).click();
			await expect(page.getByTestId('pcf-done')).toContainText('The point was added.');
			await expect(pointOn(page, body)).toContainText('Waiting for an answer');
		}
		await expect(page.getByTestId('pcf-point')).toHaveCount(2);
		await expectNoSeriousAxeViolations(page);

		const discussion = page.getByRole('region', { name: 'Discussion' });
		await discussion.getByLabel('Add a comment').fill(COMMENT);
		await discussion.getByRole('button', { name: 'Post comment' }).click();
		await expect(discussion.getByTestId('comment').filter({ hasText: 'see the circuit before their child starts' })).toContainText('Nadia Brooks');
		await expectNoSeriousAxeViolations(page);

		// ---------- The mentioned lead is told, and approves the group's position ----------
		const lead = await openPage();
		await signIn(lead, 'pcfLead', { next: '/notifications' });
		await expect(lead.getByText(`mentioned you in the discussion on “${BID}”`).first()).toBeVisible();
		await expectNoSeriousAxeViolations(lead);
		await lead.goto(advicePath);
		await expect(lead.getByRole('heading', { level: 1, name: `Advice on “${BID}”` })).toBeVisible();
		await expectNoSeriousAxeViolations(lead);
		await fillDate(lead, 'When did the group agree it?', new Date());
		await lead.getByLabel('Where was it agreed?').fill('Cherwell group email round');
		await lead.getByRole('button', { name: 'Approve the position' }).click();
		await expect(lead.getByTestId('pcf-approved')).toContainText('Cherwell group email round');
		await expectNoSeriousAxeViolations(lead);

		// ---------- The bid's lead setting answers one point ----------
		const owner = await openPage();
		await signIn(owner, 'partnerSenco', { next: advicePath });
		const onTimes = pointOn(owner, POINT_ON_TIMES);
		await onTimes.getByLabel('We will change').check();
		await onTimes.getByLabel('What will change, or why not').fill('The circuit’s mornings will be on the school’s SEND page and in the weekly newsletter.');
		await fillDate(onTimes, 'If it will change: by when', new Date(Date.now() + 30 * 86_400_000));
		await onTimes.getByRole('button', { name: 'Save the answer as a draft' }).click();
		await expect(owner.getByTestId('pcf-done')).toContainText('saved as a draft');
		await expectNoSeriousAxeViolations(owner);
		await owner.getByRole('button', { name: 'Publish the answers' }).click();
		await expect(owner.getByTestId('pcf-done')).toContainText('The answers were published');
		await expectNoSeriousAxeViolations(owner);

		// ---------- An officer answers the other ----------
		const officer = await openPage();
		await signIn(officer, 'officer', { next: advicePath });
		const onPlaces = pointOn(officer, POINT_ON_PLACES);
		await onPlaces.getByLabel('We changed it in part').check();
		await onPlaces.getByLabel('What will change, or why not').fill('Two of the twelve places are kept for pupils who join mid-year; the rest are filled each September.');
		await onPlaces.getByRole('button', { name: 'Save the answer as a draft' }).click();
		await expect(officer.getByTestId('pcf-done')).toContainText('saved as a draft');
		await expectNoSeriousAxeViolations(officer);
		await officer.getByRole('button', { name: 'Publish the answers' }).click();
		await expect(officer.getByTestId('pcf-done')).toContainText('The answers were published');
		await expectNoSeriousAxeViolations(officer);

		// ---------- Both checks on both points: an officer who answered neither... ----------
		// The officer answered the second point, so the administrator (also a council officer) checks both.
		const checker = await openPage();
		await signIn(checker, 'admin', { next: advicePath });
		for (const body of [POINT_ON_TIMES, POINT_ON_PLACES]) {
			await pointOn(checker, body).getByRole('button', { name: 'Checked: nothing identifies anyone (officer)' }).click();
			await expect(checker.getByTestId('pcf-done')).toContainText('Your check was recorded.');
			await expect(pointOn(checker, body)).toContainText('Waiting for the PCF lead’s check');
		}
		await expectNoSeriousAxeViolations(checker);
		// One check is not enough for the public page.
		await expect(family.getByTestId('ysw-point').filter({ hasText: POINT_ON_TIMES })).toHaveCount(0);

		// ...and the PCF lead, whose page has followed the answers and checks live.
		for (const body of [POINT_ON_TIMES, POINT_ON_PLACES]) {
			await expect(pointOn(lead, body)).toContainText('Waiting for the PCF lead’s check');
			await pointOn(lead, body).getByRole('button', { name: 'Checked: nothing identifies anyone (PCF lead)' }).click();
			await expect(pointOn(lead, body)).toContainText('Published on');
		}
		await expectNoSeriousAxeViolations(lead);

		// ---------- The family's page shows both without reloading, naming nobody ----------
		await expect(family.getByTestId('ysw-point').filter({ hasText: POINT_ON_TIMES })).toContainText('Change on its way', { timeout: 20_000 });
		await expect(family.getByTestId('ysw-point').filter({ hasText: POINT_ON_PLACES })).toContainText('Answered');
		await expect(family.getByTestId('ysw-point').filter({ hasText: POINT_ON_PLACES })).toContainText('Two of the twelve places are kept');
		await expect(family.locator('html')).toHaveAttribute('data-e2e-unreloaded', '');
		for (const name of NAMES) await expect(family.locator('body')).not.toContainText(name);
		await expectNoSeriousAxeViolations(family);

		// ---------- The officer's decision says how the advice was considered ----------
		await officer.goto(`/bids/${bidId}`);
		await expect(officer.getByRole('heading', { level: 1, name: BID })).toBeVisible();
		await expectNoSeriousAxeViolations(officer);
		await officer.getByRole('group', { name: 'Decision' }).getByLabel('Approve').check();
		await officer.getByLabel('Reason, or your points for the writers if returning').fill('Meets IM4: needs met earlier in the day, in the pupils’ own school.');
		await officer.getByRole('button', { name: 'Record decision' }).click();
		await expect(officer.getByRole('alert')).toContainText('Say how the PCF advisory group’s advice was considered');
		await expectNoSeriousAxeViolations(officer);
		await officer.getByLabel('How the PCF advisory group’s advice was considered').fill('Approved on condition the school publishes the circuit’s mornings, as the forum asked.');
		await officer.getByRole('button', { name: 'Record decision' }).click();
		await expect(officer.getByText('Decision recorded.')).toBeVisible();
		await expect(officer.locator('body')).toContainText('How the PCF advisory group’s advice was considered: Approved on condition the school publishes');
		await expectNoSeriousAxeViolations(officer);

		// ---------- Later the change is delivered, and the public page follows ----------
		await owner.reload();
		await expect(owner.getByRole('heading', { level: 1, name: `Advice on “${BID}”` })).toBeVisible();
		await fillDate(onTimes, 'When was the change made?', new Date());
		await onTimes.getByLabel('What shows it was made').fill('The mornings are listed on the school’s SEND page.');
		await onTimes.getByRole('button', { name: 'Mark as delivered' }).click();
		await expect(owner.getByTestId('pcf-done')).toContainText('marked as delivered');
		await expect(onTimes).toContainText('Change made');
		await expectNoSeriousAxeViolations(owner);
		await expect(family.getByTestId('ysw-point').filter({ hasText: POINT_ON_TIMES })).toContainText('Change made', { timeout: 20_000 });
		await expect(family.locator('html')).toHaveAttribute('data-e2e-unreloaded', '');
		await expectNoSeriousAxeViolations(family);
	});
});
