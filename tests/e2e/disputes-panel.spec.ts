import { DEMO_PASSWORD, expect, expectNoSeriousAxeViolations, signIn, test } from './support';
import type { Page } from '@playwright/test';
import { daysAgo, fillReferral, headSeesOnlyTheAction, meetingHeld, recordOutcomeWithSchoolAction } from './disputes-support';

// A case's journey to its panel: a SENDIASS officer sees Cherwell's pool (the council employee
// never sits), records an exclusion (routed out with its deadline) and a referral both parties
// agree to, records and shares both parties' redacted positions, proposes three slots; members
// answer from their own page and from the link in their email, and the officer's ranking moves;
// the officer books a quorate slot and moves the meeting once (the calendar entry's SEQUENCE
// rises in a member's feed); the panel cannot be marked as met before the meeting. Once it has
// taken place (the test moves its time into the past: the server's clock cannot be moved), the
// officer records the agreed outcome and an action for the school, whose headteacher sees the
// case's status and the action, never the family's details. axe at desktop and 320 px on every page.

const iso = (date: Date) => date.toISOString().slice(0, 10);
/** Weekdays from `from` days ahead: slots far enough off that the poll can close first. */
function weekdaysAhead(from: number, count: number): string[] {
	const days: string[] = [];
	const date = new Date(Date.now() + from * 24 * 60 * 60 * 1000);
	while (days.length < count) {
		if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) days.push(iso(date));
		date.setUTCDate(date.getUTCDate() + 1);
	}
	return days;
}

async function signInByEmail(page: Page, email: string, name: string, next: string) {
	await page.goto(`/signin?next=${encodeURIComponent(next)}`);
	await expectNoSeriousAxeViolations(page);
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByText(`Signed in as ${name}.`)).toBeVisible();
}

async function answerAllYes(page: Page) {
	for (const radio of await page.getByRole('radio', { name: 'Yes', exact: true }).all()) await radio.check();
	await page.getByRole('button', { name: 'Save my answers' }).click();
	await expect(page.getByText('Your answers are saved.')).toBeVisible();
}

test.describe('district dispute-resolution panels: scheduling', () => {
	test('a case to its panel: an exclusion routed out, a referral agreed, positions shared, slots answered live, a quorate booking moved once, no outcome before the meeting, the agreed outcome after it; the head sees status and actions only', async ({ page, openPage }) => {
		test.slow();
		await signIn(page, 'sendiass');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Dispute panels' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Dispute-resolution cases' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const newCase = await page.getByRole('link', { name: 'Record a referral' }).getAttribute('href');
		const district = new URL(newCase!, 'http://x').searchParams.get('district');
		expect(district).toMatch(/^\d+$/);

		// The pool: the council employee is listed and never sits.
		await page.goto(`/disputes/pool?district=${district}`);
		await expect(page.getByRole('heading', { level: 1, name: 'Panel pool' })).toBeVisible();
		await expect(page.getByTestId('pool').getByRole('row', { name: /Graham Pike/ })).toContainText('Employed by the council');
		await expect(page.getByTestId('quorum')).toContainText('An independent chair');
		await expectNoSeriousAxeViolations(page);

		// An exclusion is not for a panel: it is routed out at once with its deadline.
		await page.goto(`/disputes/new?district=${district}`);
		await fillReferral(page, { category: 'An exclusion', initials: 'EF', letter: daysAgo(1) });
		await page.getByRole('button', { name: 'Record referral' }).click();
		await expect(page.getByTestId('routed-out')).toContainText('independent review panel');
		await expect(page.getByTestId('deadlines')).toContainText('days left');
		await expectNoSeriousAxeViolations(page);

		// A referral both parties agree to.
		await page.goto(`/disputes/new?district=${district}`);
		await expectNoSeriousAxeViolations(page);
		await fillReferral(page, { category: 'Communication between the family and the setting', initials: 'CD' });
		await page.getByLabel('Interpreter needed (optional)').fill('Polish');
		await page.getByRole('button', { name: 'Record referral' }).click();
		await expect(page.getByTestId('case-interpreter')).toHaveText('Polish');
		await page.getByRole('button', { name: 'Record the family’s agreement' }).click();
		await expect(page.getByText('Agreement recorded.')).toBeVisible();
		await page.getByRole('button', { name: 'Record the setting’s agreement' }).click();
		await expect(page.getByRole('button', { name: 'Record the setting’s agreement' })).toHaveCount(0);
		const reference = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
		await expectNoSeriousAxeViolations(page);
		const caseUrl = new URL(page.url()).pathname;

		// Both parties' positions: recorded as given, shared only in their redacted form.
		await page.getByTestId('papers-link').click();
		await expect(page.getByRole('heading', { level: 1, name: 'Positions and papers' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const positions = [
			{ party: 'family', save: 'Save the family’s statement', said: 'Mrs D says Ms Green told her CD cannot have a check-in.', shared: 'The family asks for a weekly check-in; [a member of staff] said it was not possible.' },
			{ party: 'setting', save: 'Save the school’s statement', said: 'Ms Green has no free period on Mondays.', shared: 'The school can offer a fortnightly meeting with the SENCO.' }
		];
		for (const position of positions) {
			const statement = page.getByTestId(`statement-${position.party}`);
			await statement.getByLabel(/as they gave it/).fill(position.said);
			await statement.getByLabel('Redacted statement, for sharing').fill(position.shared);
			await statement.getByRole('button', { name: position.save }).click();
			await expect(page.getByText('Statement saved.')).toBeVisible();
			await statement.getByRole('button', { name: /Share the redacted statement/ }).click();
			await expect(page.getByText('Statement shared with the panel.')).toBeVisible();
			await expect(statement).toContainText('Shared');
		}
		await expectNoSeriousAxeViolations(page);
		await page.goto(caseUrl);

		// Three slots; nothing filled is refused with the summary.
		await page.getByRole('link', { name: 'Propose meeting slots' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Propose meeting slots' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('button', { name: 'Propose slots and ask the members' }).click();
		await expect(page.getByRole('alert')).toContainText('Enter the family’s availability');
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('When the family can come').fill('Weekday mornings');
		await page.getByLabel('When the school can come').fill('Any day but Friday');
		const days = weekdaysAhead(35, 3);
		for (const [i, day] of days.entries()) {
			const slot = page.getByRole('group', { name: new RegExp(`^Slot ${i + 1}`) });
			await slot.getByLabel('Date').fill(day);
			await slot.getByLabel('Start time').fill('10:00');
			await slot.getByLabel('Venue, or the online meeting’s link').fill('Banbury Library');
		}
		await page.getByLabel('Answers close on').fill(iso(new Date(Date.now() + 7 * 24 * 60 * 60 * 1000)));
		await page.getByRole('button', { name: 'Propose slots and ask the members' }).click();
		// A slot in a holiday is only a warning: go ahead past it.
		const anyway = page.getByLabel('Propose these slots anyway');
		const pollHeading = page.getByRole('heading', { level: 1, name: `Meeting poll for ${reference}` });
		await expect(pollHeading.or(anyway)).toBeVisible();
		if (await anyway.isVisible()) {
			await expectNoSeriousAxeViolations(page);
			await anyway.check();
			await page.getByRole('button', { name: 'Propose slots and ask the members' }).click();
		}
		await expect(page.getByRole('heading', { level: 1, name: `Meeting poll for ${reference}` })).toBeVisible();
		await expect(page.getByTestId('poll-members').getByRole('row', { name: /Graham Pike/ })).toContainText('Left out: Employed by the council');
		await expect(page.getByTestId('ranking')).not.toContainText('Quorate');
		const pollUrl = new URL(page.url()).pathname;
		await expectNoSeriousAxeViolations(page);

		// A member answers from their own page.
		const sunita = await openPage();
		await signIn(sunita, 'panelMember');
		await expectNoSeriousAxeViolations(sunita);
		await sunita.goto('/disputes/polls');
		await expectNoSeriousAxeViolations(sunita);
		await sunita.getByRole('link', { name: reference }).click();
		await expect(sunita.getByRole('heading', { level: 1, name: `Meeting poll for ${reference}` })).toBeVisible();
		await expect(sunita.getByTestId('ranking')).toHaveCount(0);
		await expectNoSeriousAxeViolations(sunita);
		await answerAllYes(sunita);

		// The chair answers from the link in her email (read on the outgoing-mail page).
		const admin = await openPage();
		await signIn(admin, 'admin', { next: '/admin/mail' });
		await expectNoSeriousAxeViolations(admin);
		const email = admin.getByRole('article').filter({ hasText: 'panel.chair@portal.example' }).filter({ hasText: reference }).first();
		const link = /https?:\/\/[^/\s]+(\/panel-answer\/[A-Za-z0-9_-]+)/.exec(await email.innerText())?.[1];
		expect(link).toBeTruthy();
		const eleanor = await openPage();
		await eleanor.goto(link!);
		await expect(eleanor.getByRole('heading', { level: 1, name: `Meeting dates for ${reference}` })).toBeVisible();
		await expectNoSeriousAxeViolations(eleanor);
		await answerAllYes(eleanor);
		// A tampered link opens nothing.
		const tampered = await eleanor.goto(`${link!.slice(0, -3)}xyz`);
		expect(tampered?.status()).toBe(404);
		await expectNoSeriousAxeViolations(eleanor);

		// The education professional answers from his page; the officer's ranking now has a quorate slot.
		const rajesh = await openPage();
		await signInByEmail(rajesh, 'panel.education@portal.example', 'Rajesh Kumar', pollUrl);
		await expectNoSeriousAxeViolations(rajesh);
		await answerAllYes(rajesh);
		// Live: the officer's page is never reloaded here. It says so in a polite status region, shown as well as read out.
		await expect(page.getByTestId('ranking')).toContainText('Quorate');
		await expect(page.getByRole('status').filter({ hasText: 'Answers changed. The ranking below is up to date.' })).toBeVisible();

		await page.getByRole('button', { name: /^Book this slot/ }).first().click();
		await expect(page.getByText('Meeting booked. Every attendee has been sent the calendar entry.')).toBeVisible();
		await expect(page.getByTestId('case-status')).toHaveText('Panel meeting booked');
		await expectNoSeriousAxeViolations(page);

		// A member's private calendar feed has the meeting; moving it keeps the entry and raises its SEQUENCE.
		await rajesh.goto('/disputes/polls');
		await expectNoSeriousAxeViolations(rajesh);
		await rajesh.getByRole('button', { name: /^(Make a|Replace the) feed link/ }).first().click();
		const feedPath = /\/panel-calendar\/[A-Za-z0-9_-]+\.ics$/.exec(await rajesh.getByTestId('feed-url').inputValue())?.[0];
		expect(feedPath).toBeTruthy();
		/** The SEQUENCE of this case's entry in the feed (lines unfolded), or null if it is not there. */
		const sequence = async () => {
			const ics = (await (await rajesh.request.get(feedPath!)).text()).replace(/\r?\n[ \t]/g, '');
			const event = ics.split('BEGIN:VEVENT').find((e) => e.includes(reference));
			return event ? Number(/SEQUENCE:(\d+)/.exec(event)?.[1]) : null;
		};
		expect(await sequence()).toBe(0);
		await page.goto(pollUrl);
		await page.getByRole('button', { name: /^Move the meeting here/ }).first().click();
		await expect.poll(sequence).toBe(1);
		await expect(page.getByTestId('case-status')).toHaveText('Panel meeting booked');

		// The panel has not met yet, so the outcome waits.
		await page.goto(`${caseUrl}/outcome`);
		await expect(page.getByRole('heading', { level: 1, name: 'Outcome and agreed actions' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('button', { name: 'Record that the panel met' }).click();
		await expect(page.getByRole('alert')).toContainText('Record that it took place once it has.');
		await expect(page.getByTestId('outcome-status')).toHaveText('Panel meeting booked');
		await expectNoSeriousAxeViolations(page);

		// The meeting takes place (its time is moved into the past); the officer records that it met, then the agreed outcome.
		await meetingHeld(reference);
		await page.goto(`${caseUrl}/outcome`);
		await page.getByRole('button', { name: 'Record that the panel met' }).click();
		await expect(page.getByTestId('outcome-status')).toHaveText('Panel has met');
		await expectNoSeriousAxeViolations(page);
		const action = 'Offer the family a fortnightly meeting with the SENCO';
		await recordOutcomeWithSchoolAction(page, reference, action);
		await expect(page.getByTestId('outcome-status')).toHaveText('Outcome recorded, follow-up open');

		// The school's headteacher: the case's status and the agreed action, never the child or the family's words.
		const head = await openPage();
		await signIn(head, 'headteacher', { next: caseUrl });
		await expect(head.getByRole('heading', { level: 1, name: reference })).toBeVisible();
		await expect(head.getByTestId('case-status')).toHaveText('Outcome recorded, follow-up open');
		const familyDetails = ['CD, Year 5', 'Polish', 'Mrs D says', 'A support plan both agree'];
		for (const text of familyDetails) await expect(head.getByText(text)).toHaveCount(0);
		await expectNoSeriousAxeViolations(head);
		await headSeesOnlyTheAction(head, action, familyDetails);
	});
});
