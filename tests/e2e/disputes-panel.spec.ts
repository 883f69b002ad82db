import { DEMO_PASSWORD, expect, expectNoSeriousAxeViolations, signIn, test } from './support';
import type { Page } from '@playwright/test';

// The panel's scheduling: a SENDIASS officer sees Cherwell's pool (the council employee never
// sits), records and agrees a referral, proposes three slots; members answer from their own page
// and from the link in their email; the officer's ranking shows a quorate slot and the officer
// books it. axe at desktop and 320 px on every page on the way.

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
	test('an officer proposes slots, members answer from their page and their email link, and the officer books a quorate slot', async ({ page, openPage }) => {
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

		// A referral both parties agree to.
		await page.goto(`/disputes/new?district=${district}`);
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('radio', { name: 'A maintained school' }).check();
		await page.getByLabel('Find a setting').fill('Meadowside');
		await page.getByRole('button', { name: 'Search for a setting' }).click();
		await page.getByRole('radio', { name: /^Banbury Meadowside Primary School/ }).check();
		await page.getByRole('radio', { name: 'Communication between the family and the setting' }).check();
		await page.getByLabel('The child’s initials').fill('CD');
		await page.getByLabel('The child’s year group').selectOption('Year 3');
		await page.getByLabel('What outcome is the family looking for?').fill('A weekly check-in');
		await page.getByRole('button', { name: 'Record referral' }).click();
		await page.getByRole('button', { name: 'Record the family’s agreement' }).click();
		await expect(page.getByText('Agreement recorded.')).toBeVisible();
		await page.getByRole('button', { name: 'Record the setting’s agreement' }).click();
		await expect(page.getByRole('button', { name: 'Record the setting’s agreement' })).toHaveCount(0);
		const reference = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
		await expectNoSeriousAxeViolations(page);

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
		await expect(page.getByTestId('ranking')).toContainText('Quorate', { timeout: 15_000 }).catch(async () => {
			await page.reload();
			await expect(page.getByTestId('ranking')).toContainText('Quorate');
		});

		await page.getByRole('button', { name: /^Book this slot/ }).first().click();
		await expect(page.getByText('Meeting booked. Every attendee has been sent the calendar entry.')).toBeVisible();
		await expect(page.getByTestId('case-status')).toHaveText('Panel meeting booked');
		await expectNoSeriousAxeViolations(page);
	});
});
