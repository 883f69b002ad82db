import type { Locator, Page } from '@playwright/test';
import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// PCF advice, the journey on the demo county's Banbury bid: a representative adds a point
// with a theme; the lead approves the group's position again; the bid's SENCO answers it and
// publishes the answers; an officer and the lead each check it; the public "you said, we did" page,
// open without signing in in another browser, shows it without reloading, with no representative's
// name; the officer's decision records how the advice was considered; the change is delivered.

const BID = 'Speech and language therapy shared across Banbury';
const POINT = 'Give families a named contact at each setting for the therapy.';

async function fillDate(scope: Page | Locator, legend: string, date: Date) {
	const group = scope.getByRole('group', { name: legend });
	await group.getByLabel('Day').fill(String(date.getDate()));
	await group.getByLabel('Month').fill(String(date.getMonth() + 1));
	await group.getByLabel('Year').fill(String(date.getFullYear()));
}

test.describe('PCF advice and you said, we did', () => {
	test('a point goes from the forum to an answer, two checks, the public page live, the decision record and delivery', async ({ page, openPage }) => {
		test.slow();
		// The public page, anonymous, open from the start.
		const family = await openPage();
		await family.goto('/you-said-we-did');
		await expect(family.getByRole('heading', { level: 1, name: 'You said, we did' })).toBeVisible();
		// The seeded points already published (the bid's and the consultation's); this test adds one.
		await expect(family.getByTestId('ysw-point').first()).toBeVisible();
		const published = await family.getByTestId('ysw-point').count();
		await expectNoSeriousAxeViolations(family);

		// The representative adds a themed point.
		await signIn(page, 'pcfRep', { next: '/pcf' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Cherwell' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Cherwell PCF advisory group' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: BID }).click();
		await expect(page.getByRole('heading', { level: 1, name: `Advice on “${BID}”` })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const adviceUrl = page.url();
		const bidId = /\/pcf\/bids\/(\d+)/.exec(adviceUrl)![1];
		await page.getByRole('button', { name: 'Add the point' }).click();
		await expect(page.getByRole('alert')).toContainText('Write the point');
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('The point').fill(POINT);
		await page.getByRole('group', { name: 'Themes' }).first().getByLabel('Communication with families').check();
		await page.getByRole('button', { name: 'Add the point' }).click();
		await expect(page.getByTestId('pcf-done')).toContainText('The point was added.');
		await expect(page.getByTestId('pcf-point').filter({ hasText: POINT })).toContainText('Waiting for an answer');
		await expectNoSeriousAxeViolations(page);

		// The lead approves the group's position again.
		const lead = await openPage();
		await signIn(lead, 'pcfLead', { next: new URL(adviceUrl).pathname });
		await expectNoSeriousAxeViolations(lead);
		await fillDate(lead, 'When did the group agree it?', new Date());
		await lead.getByLabel('Where was it agreed?').fill('Cherwell group email round');
		await lead.getByRole('button', { name: 'Approve the position' }).click();
		await expect(lead.getByTestId('pcf-approved')).toContainText('Cherwell group email round');
		await expectNoSeriousAxeViolations(lead);

		// The bid's SENCO answers and publishes.
		const senco = await openPage();
		await signIn(senco, 'senco', { next: new URL(adviceUrl).pathname });
		const point = senco.getByTestId('pcf-point').filter({ hasText: POINT });
		await point.getByLabel('We will change').check();
		await point.getByLabel('What will change, or why not').fill('Each setting will name a contact on its SEND page and in a letter home.');
		await fillDate(point, 'If it will change: by when', new Date(Date.now() + 30 * 86_400_000));
		await point.getByRole('button', { name: 'Save the answer as a draft' }).click();
		await expect(senco.getByTestId('pcf-done')).toContainText('saved as a draft');
		await expectNoSeriousAxeViolations(senco);
		await senco.getByRole('button', { name: 'Publish the answers' }).click();
		await expect(senco.getByTestId('pcf-done')).toContainText('The answers were published');
		await expectNoSeriousAxeViolations(senco);

		// An officer and the lead each check it; then it is public.
		const officer = await openPage();
		await signIn(officer, 'officer', { next: new URL(adviceUrl).pathname });
		await officer.getByTestId('pcf-point').filter({ hasText: POINT }).getByRole('button', { name: 'Checked: nothing identifies anyone (officer)' }).click();
		await expect(officer.getByTestId('pcf-done')).toContainText('Your check was recorded.');
		await expectNoSeriousAxeViolations(officer);
		await expect(family.getByTestId('ysw-point')).toHaveCount(published);
		await lead.reload();
		await lead.getByTestId('pcf-point').filter({ hasText: POINT }).getByRole('button', { name: 'Checked: nothing identifies anyone (PCF lead)' }).click();
		await expect(lead.getByTestId('pcf-point').filter({ hasText: POINT })).toContainText('Published on');
		await expectNoSeriousAxeViolations(lead);

		// The family's page shows it without being reloaded, and no representative's name.
		await expect(family.getByTestId('ysw-point')).toHaveCount(published + 1, { timeout: 20_000 });
		await expect(family.getByTestId('ysw-point').filter({ hasText: POINT })).toContainText('Change on its way');
		await expect(family.locator('body')).not.toContainText('Claire Donnelly');
		await expect(family.locator('body')).not.toContainText('Nadia Brooks');
		await expect(family.locator('body')).not.toContainText('Daniel Price');
		await expectNoSeriousAxeViolations(family);

		// The officer's decision says how the advice was considered.
		await officer.goto(`/bids/${bidId}`);
		await expect(officer.getByText(/of the PCF advisory group’s \d+ points on this bid (has|have) no published answer yet/)).toBeVisible();
		await expectNoSeriousAxeViolations(officer);
		await officer.getByRole('group', { name: 'Decision' }).getByLabel('Approve').check();
		await officer.getByLabel('Reason, or your points for the writers if returning').fill('Meets IM4 across three settings.');
		await officer.getByRole('button', { name: 'Record decision' }).click();
		await expect(officer.getByRole('alert')).toContainText('Say how the PCF advisory group’s advice was considered');
		await expectNoSeriousAxeViolations(officer);
		await officer.getByLabel('How the PCF advisory group’s advice was considered').fill('Approved on condition every setting names a contact, as the forum asked.');
		await officer.getByRole('button', { name: 'Record decision' }).click();
		await expect(officer.getByText('Decision recorded.')).toBeVisible();
		await expect(officer.locator('body')).toContainText('How the PCF advisory group’s advice was considered: Approved on condition');
		await expectNoSeriousAxeViolations(officer);

		// Later the change is delivered, and the public page follows.
		await senco.reload();
		await fillDate(point, 'When was the change made?', new Date());
		await point.getByLabel('What shows it was made').fill('Contacts listed on each setting’s SEND page.');
		await point.getByRole('button', { name: 'Mark as delivered' }).click();
		await expect(senco.getByTestId('pcf-done')).toContainText('marked as delivered');
		await expectNoSeriousAxeViolations(senco);
		await expect(family.getByTestId('ysw-point').filter({ hasText: POINT })).toContainText('Change made', { timeout: 20_000 });
		await expectNoSeriousAxeViolations(family);
	});

	test('the public page and its feed need no sign-in, and filter by theme', async ({ page, request }) => {
		await page.goto('/you-said-we-did?theme=999999&status=nonsense&district=abc');
		await expect(page.getByRole('heading', { level: 1, name: 'You said, we did' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('Theme').selectOption({ label: 'Transport' });
		await page.getByRole('button', { name: 'Show' }).click();
		await expect(page.getByTestId('ysw-empty')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const feed = await request.get('/you-said-we-did/feed.atom');
		expect(feed.status()).toBe(200);
		expect(feed.headers()['content-type']).toContain('application/atom+xml');
		expect(await feed.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
	});
});
