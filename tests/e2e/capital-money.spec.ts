import { expect, expectNoSeriousAxeViolations, pickBySearch, signIn, test } from './support';

// Inclusion-base capital, the money: an officer commits funding to an approved application (an
// assumed tranche refused first) while another officer's dashboard moves without reloading; money
// moves between lines only once a second officer approves; the published summary is open to
// everyone, the dashboard only to officers.

const SECONDARY = 'Secondary inclusion/support base';
const POST16 = 'Specialist unit, post-16 (FE)';
const RESOURCE_BASE = 'Specialist resource base in mainstream';

test.describe('capital money and the sufficiency dashboard', () => {
	test('an officer commits funding to an approved application; the dashboard in a second browser moves without reloading', async ({ page, openPage }) => {
		test.slow();
		const watcher = await openPage();
		await signIn(watcher, 'admin', { next: '/capital/dashboard' });
		await expect(watcher.getByRole('heading', { level: 1, name: 'Sufficiency dashboard' })).toBeVisible();
		await expect(watcher.getByRole('img', { name: /Places approved, in delivery, open and occupied by district/ })).toBeVisible();
		await expectNoSeriousAxeViolations(watcher);
		const committedCell = watcher.getByTestId('dashboard-money').getByRole('row', { name: new RegExp(SECONDARY.replace('/', '\\/')) }).getByRole('cell').nth(2);
		const before = await committedCell.textContent();
		// The watcher starts searching for a district; the live refresh below must not wipe it.
		await watcher.getByLabel('Find a district').fill('wes');
		await expect(watcher.getByRole('radio', { name: 'West Oxfordshire (district)' })).toBeVisible();

		await signIn(page, 'officer', { next: '/capital/money' });
		await expect(page.getByRole('heading', { level: 1, name: 'Money by source' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'CAP-DEMO-SEC4 funding' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Funding for Bicester inclusion base' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		// The assumed second tranche can be planned against, not committed.
		await page.getByLabel('Funding source', { exact: true }).selectOption({ label: 'HNCPA tranche 2 (assumed)' });
		await page.getByLabel('Financial year', { exact: true }).selectOption({ label: '2027/28' });
		await page.getByLabel('Amount, in pounds').fill('75000');
		await page.getByLabel('Why does this money go to the application?').fill('Approved at the readiness and phasing assessment');
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByRole('alert')).toContainText('HNCPA tranche 2 is assumed, not confirmed: you can plan against it, but commit only against confirmed funding.');
		await expectNoSeriousAxeViolations(page);

		await page.getByLabel('Funding source', { exact: true }).selectOption({ label: 'HNCPA tranche 1 (confirmed)' });
		await page.getByLabel('Financial year', { exact: true }).selectOption({ label: '2026/27' });
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByText('Money committed.')).toBeVisible();
		await expect(page.getByTestId('funding-committed')).toHaveText('£75,000');
		await expect(page.getByTestId('funding-history')).toContainText('Committed £75,000 from HNCPA tranche 1 in 2026/27');
		await expect(page.getByTestId('funding-history')).toContainText('Approved at the readiness and phasing assessment');
		await expectNoSeriousAxeViolations(page);

		// The other officer's dashboard was not reloaded, yet shows the new commitment.
		await expect(committedCell).not.toHaveText(before ?? '');
		await expect(watcher.getByLabel('Find a district')).toHaveValue('wes');
		await expect(watcher.getByRole('radio', { name: 'West Oxfordshire (district)' })).toBeVisible();
		await expect(watcher.getByTestId('dashboard-sources')).toContainText('£75,000');
		await expectNoSeriousAxeViolations(watcher);

		// Filters are a plain GET form; the CSV carries the same figures.
		await pickBySearch(watcher, 'district', 'west', 'West Oxfordshire (district)');
		await watcher.getByRole('button', { name: 'Show figures' }).click();
		await expect(watcher).toHaveURL(/district=\d+/);
		await expect(watcher.getByTestId('dashboard-districts')).not.toContainText('Cherwell');
		await expectNoSeriousAxeViolations(watcher);
		const csv = await watcher.request.get('/capital/dashboard/export.csv');
		expect(csv.headers()['content-disposition']).toContain('attachment');
		expect(await csv.text()).toContain('places by district,West Oxfordshire,Approved');
	});

	test('money moves between lines only when a second officer approves', async ({ page, openPage }) => {
		test.slow();
		await signIn(page, 'officer', { next: '/capital/money' });
		await expectNoSeriousAxeViolations(page);
		// Lines no other journey changes, so two journeys at once never clash on a line's version.
		await page.getByLabel('Move from').selectOption({ label: POST16 });
		await page.getByLabel('Move to').selectOption({ label: RESOURCE_BASE });
		await page.getByLabel('Amount to move, in pounds').fill('20000');
		await page.getByLabel('Why should the money move?').fill('More nurseries applied than planned');
		await page.getByRole('button', { name: 'Propose the move' }).click();
		await expect(page.getByText('Move proposed. Another officer must approve it before the money moves.')).toBeVisible();
		const proposal = page.getByTestId('money-transfers').getByRole('listitem').first();
		await expect(proposal).toContainText('Another officer must approve or turn down your proposal.');
		await expectNoSeriousAxeViolations(page);

		const second = await openPage();
		await signIn(second, 'admin', { next: '/capital/money' });
		const waiting = second.getByTestId('money-transfers').getByRole('listitem').first();
		await expect(waiting).toContainText('Waiting for approval');
		await expectNoSeriousAxeViolations(second);
		await waiting.getByLabel('Approve the move').check();
		await waiting.getByLabel('Why?').fill('Agreed at the capital board');
		await waiting.getByRole('button', { name: 'Record the decision' }).click();
		await expect(second.getByText('Move approved. The lines’ allocations have changed.')).toBeVisible();
		await expect(second.getByTestId('money-history')).toContainText('Approved moving £20,000 from Specialist unit, post-16 (FE) to Specialist resource base in mainstream, proposed by Priya Shah');
		await expectNoSeriousAxeViolations(second);
		// The proposer's page follows live.
		await expect(proposal).toContainText('Approved by');
	});

	test('the published summary is open to everyone without signing in; the dashboard is not', async ({ page, openPage }) => {
		await page.goto('/local-offer/inclusion-bases');
		await expect(page.getByRole('heading', { level: 1, name: 'New SEND places in schools and early years settings' })).toBeVisible();
		await expect(page.getByTestId('public-districts')).toContainText('West Oxfordshire');
		await expect(page.getByTestId('public-parents')).toContainText('Parent Carer Forum');
		await expect(page.getByRole('img', { name: /Places agreed, being built and open by district/ })).toBeVisible();
		await expect(page.getByText('CAP-DEMO')).toHaveCount(0);
		await expectNoSeriousAxeViolations(page);

		await page.goto('/capital/dashboard');
		await expect(page).toHaveURL(/\/signin\?next=%2Fcapital%2Fdashboard/);
		await expectNoSeriousAxeViolations(page);

		const head = await openPage();
		await signIn(head, 'headteacher');
		await expectNoSeriousAxeViolations(head);
		const refused = await head.goto('/capital/dashboard');
		expect(refused?.status()).toBe(403);
		await expect(head.getByText('The sufficiency dashboard is for council officers.')).toBeVisible();
		await expectNoSeriousAxeViolations(head);
	});
});
