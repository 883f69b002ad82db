import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';
import { openFromCherwellGroup } from './pcf-support';

// The discussion on the demo county's Banbury bid: the seeded thread shows on the PCF view of the
// bid; a PCF representative's empty comment gets a GOV.UK error; a comment with a mention appears
// live on the bid's own page open in the SENCO's browser; the SENCO replies and edits the reply;
// the edit history page shows both texts; the mentioned lead finds the notification. axe on each
// page at desktop width and 320 px.

const BID = 'Speech and language therapy shared across Banbury';
const COMMENT = 'Could the drop-in sessions be recorded for families who work? @[Nadia Brooks]';

test.describe('discussion', () => {
	test('comment with a mention, live to another reader, reply, edit and its history', async ({ page, openPage }) => {
		test.slow();
		await openFromCherwellGroup(page, BID);
		await expect(page.getByRole('heading', { level: 1, name: `Advice on “${BID}”` })).toBeVisible();
		const bidId = /\/pcf\/bids\/(\d+)/.exec(page.url())![1];
		const discussion = page.getByRole('region', { name: 'Discussion' });
		// The seeded thread: the SENCO's edited question and the representative's reply.
		await expect(discussion.getByTestId('comment')).toHaveCount(2);
		await expect(discussion.getByRole('link', { name: /edited/ })).toHaveCount(1);
		await expectNoSeriousAxeViolations(page);

		// The SENCO has the bid's own page open.
		const senco = await openPage();
		await signIn(senco, 'senco', { next: `/bids/${bidId}` });
		const sencoDiscussion = senco.getByRole('region', { name: 'Discussion' });
		await expect(sencoDiscussion.getByTestId('comment')).toHaveCount(2);
		await expectNoSeriousAxeViolations(senco);

		// An empty comment is refused with a GOV.UK error summary.
		await discussion.getByRole('button', { name: 'Post comment' }).click();
		await expect(page.getByRole('alert')).toContainText('Write your comment');
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('Add a comment').fill(COMMENT);
		await page.getByRole('button', { name: 'Post comment' }).click();
		const posted = page.getByTestId('comment').filter({ hasText: 'recorded for families who work' });
		await expect(posted).toBeVisible();

		// It appears on the SENCO's page without reloading.
		const arrived = senco.getByTestId('comment').filter({ hasText: 'recorded for families who work' });
		await expect(arrived).toBeVisible();

		// The SENCO replies, then edits the reply.
		const thread = senco.getByRole('listitem').filter({ has: arrived }).last();
		await thread.locator('summary', { hasText: /^Reply/ }).last().click();
		await thread.getByLabel('Your reply').fill('Yes, we can record them.');
		await thread.getByRole('button', { name: 'Post reply' }).click();
		const reply = senco.getByTestId('comment').filter({ hasText: 'Yes, we can record them.' });
		await expect(reply).toBeVisible();
		await expect(page.getByTestId('comment').filter({ hasText: 'Yes, we can record them.' })).toBeVisible();
		await reply.locator('summary', { hasText: /^Edit/ }).click();
		await reply.getByLabel('Your comment').fill('Yes, we can record them, with the families’ agreement.');
		await reply.getByRole('button', { name: 'Save changes' }).click();
		const edited = senco.getByTestId('comment').filter({ hasText: 'with the families’ agreement' });
		await expect(edited).toBeVisible();
		await expectNoSeriousAxeViolations(senco);

		// The edit history shows what it says now and what it said before.
		await edited.getByRole('link', { name: /edited/ }).click();
		await expect(senco.getByRole('heading', { level: 1 })).toContainText('History of');
		await expect(senco.getByTestId('history-current')).toContainText('with the families’ agreement');
		await expect(senco.getByTestId('history-revision')).toHaveText('Yes, we can record them.');
		await expectNoSeriousAxeViolations(senco);

		// The mentioned lead is told.
		const lead = await openPage();
		await signIn(lead, 'pcfLead', { next: '/notifications' });
		await expect(lead.getByText(/mentioned you in the discussion on “Speech and language therapy shared across Banbury”/).first()).toBeVisible();
		await expectNoSeriousAxeViolations(lead);
	});
});
