import { DEMO_SETTINGS, expect, expectNoSeriousAxeViolations, inviteToSetting, newPerson, signIn, test } from './support';

const ROUND = 'Banbury pooled fund 2026/27';

test.describe('home: what needs me, now', () => {
	test('a SENCO’s to-do list shows the open round, then, as soon as they start a bid, the draft to finish with the closing date, without reloading', async ({
		page,
		openPage
	}) => {
		test.slow(); // an invitation, two people's pages and five axe checks
		// A new SENCO at Orchard Fields: no other test bids for that setting, so the list is theirs alone.
		const senco = newPerson('senco');
		await signIn(page, 'admin');
		await expectNoSeriousAxeViolations(page);
		const link = await inviteToSetting(page, senco, { label: `${DEMO_SETTINGS.banburyLeadPrimary}, Banbury`, role: 'SENCO' });

		const home = await openPage();
		await home.goto(link);
		await expectNoSeriousAxeViolations(home);
		const password = 'orchard fields pooled fund';
		await home.getByLabel('Password', { exact: true }).fill(password);
		await home.getByLabel('Enter the password again').fill(password);
		await home.getByRole('button', { name: 'Accept and sign in' }).click();
		await expect(home).toHaveURL('/');

		const todo = home.getByTestId('todo');
		await expect(todo.getByRole('heading', { level: 2, name: 'Needs your attention' })).toBeVisible();
		const roundItem = todo.getByRole('link', { name: `Start a bid in “${ROUND}”` });
		await expect(roundItem).toBeVisible();
		await expect(todo).toContainText(`${DEMO_SETTINGS.banburyLeadPrimary} has no bid in it yet`);
		await expectNoSeriousAxeViolations(home);
		await home.evaluate(() => document.documentElement.setAttribute('data-e2e-unreloaded', ''));

		// The same person, in another tab, follows the item and starts a bid.
		const writer = await home.context().newPage();
		await writer.goto(String(await roundItem.getAttribute('href')));
		await expect(writer.getByRole('heading', { level: 1, name: ROUND })).toBeVisible();
		await expectNoSeriousAxeViolations(writer);
		const title = `Orchard Fields nurture group ${Date.now().toString(36)}`;
		await writer.getByLabel('Title').fill(title);
		await writer.getByRole('button', { name: 'Start a bid' }).click();
		await expect(writer).toHaveURL(/\/bids\/\d+\?done=created$/);
		await expectNoSeriousAxeViolations(writer);
		const bidPath = new URL(writer.url()).pathname;

		// Home follows the work: the round item has gone and the draft is there, linking to the bid.
		await expect(roundItem).toHaveCount(0);
		const draft = todo.getByRole('link', { name: `Finish and submit “${title}”` });
		await expect(draft).toHaveAttribute('href', bidPath);
		await expect(todo).toContainText(`${ROUND} closes on`);
		await expect(home.locator('html')).toHaveAttribute('data-e2e-unreloaded', '');
		await expectNoSeriousAxeViolations(home);
		await writer.close();
	});
});
