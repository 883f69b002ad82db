import { DEMO_SETTINGS, expect, expectNoSeriousAxeViolations, inviteToSetting, newPerson, signIn, test } from './support';
import type { Page } from '@playwright/test';

const TOO_COMMON = /This password is too common/;

/** The newest email to this address with this subject, read on the officers' outgoing-mail page. */
async function linkInMail(officer: Page, to: string, subject: string, path: 'reset' | 'invite'): Promise<string> {
	await officer.goto('/admin/mail');
	const email = officer.getByRole('article').filter({ hasText: to }).filter({ hasText: subject }).first();
	await expect(email).toBeVisible();
	await expectNoSeriousAxeViolations(officer);
	const link = new RegExp(`https?://[^/\\s]+/${path}/[a-z2-7]{32}`).exec(await email.innerText())?.[0];
	if (!link) throw new Error(`no ${path} link in the email to ${to}`);
	return link;
}

async function submitNewPassword(page: Page, password: string, button: string, confirm = password) {
	await page.getByLabel(/^(New password|Password)$/).fill(password);
	await page.getByLabel(/Enter the (new )?password again/).fill(confirm);
	await page.getByRole('button', { name: button }).click();
}

/** An officer invites a new SENCO, who accepts on their own computer; returns their page, signed in. */
async function newSenco(page: Page, openPage: (options?: object) => Promise<Page>, password: string, refuseCommonFirst = false) {
	const person = newPerson('senco');
	await signIn(page, 'officer', { next: '/admin/people/invite' });
	const invite = await inviteToSetting(page, person, { label: `${DEMO_SETTINGS.banburyPrimary}, Banbury`, role: 'SENCO' });
	const own = await openPage();
	await own.goto(invite);
	await expectNoSeriousAxeViolations(own);
	if (refuseCommonFirst) {
		// Accepting the invitation refuses a common password.
		await submitNewPassword(own, 'password1234', 'Accept and sign in');
		await expect(own.getByRole('alert').getByRole('link', { name: TOO_COMMON })).toHaveAttribute('href', '#password');
		await expectNoSeriousAxeViolations(own);
	}
	await submitNewPassword(own, password, 'Accept and sign in');
	await expect(own.getByText(`Signed in as ${person.name}.`)).toBeVisible();
	await expectNoSeriousAxeViolations(own);
	return { person, own };
}

test.describe('accounts and passwords', () => {
	test('a new person must choose an uncommon password, and can change it with their current one', async ({ page, openPage }) => {
		test.slow(); // two people's journeys on a shared 2-core machine
		const first = 'heron lantern quarry bicycle';
		const { own } = await newSenco(page, openPage, first, true);

		await own.getByRole('link', { name: 'Your password' }).click();
		await expect(own.getByRole('heading', { level: 1, name: 'Change your password' })).toBeVisible();
		await expectNoSeriousAxeViolations(own);
		await own.getByLabel('Current password').fill('not my password');
		await submitNewPassword(own, 'password1234', 'Change password');
		await expect(own.getByRole('alert').getByRole('link', { name: TOO_COMMON })).toBeVisible();
		await expect(own).toHaveTitle(/^Error: Change your password/);
		await expectNoSeriousAxeViolations(own);
		await own.getByLabel('Current password').fill('not my password');
		const second = 'orchard kestrel pebble violin';
		await submitNewPassword(own, second, 'Change password');
		await expect(own.getByRole('alert').getByRole('link', { name: /current password is not right/ })).toHaveAttribute('href', '#current');
		await own.getByLabel('Current password').fill(first);
		await submitNewPassword(own, second, 'Change password');
		await expect(own.getByTestId('password-changed')).toContainText('Your password has been changed');
		await expectNoSeriousAxeViolations(own);
	});

	test('a person who forgot their password resets it from an emailed link, without JavaScript; the link works once', async ({ page, openPage }) => {
		test.slow();
		const { person, own } = await newSenco(page, openPage, 'heron lantern quarry bicycle');

		const forgetful = await openPage({ javaScriptEnabled: false });
		await forgetful.goto('/signin');
		await expectNoSeriousAxeViolations(forgetful);
		await forgetful.getByRole('link', { name: 'Forgot your password?' }).click();
		await expect(forgetful.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
		await forgetful.getByRole('button', { name: 'Send a reset link' }).click();
		await expect(forgetful.getByRole('alert').getByRole('link', { name: 'Enter your email address' })).toBeVisible();
		await expectNoSeriousAxeViolations(forgetful);
		await forgetful.getByLabel('Email address').fill(person.email);
		await forgetful.getByRole('button', { name: 'Send a reset link' }).click();
		await expect(forgetful.getByTestId('reset-sent')).toContainText(person.email);
		const answerForAccount = await forgetful.getByTestId('reset-sent').innerText();
		await expectNoSeriousAxeViolations(forgetful);

		// An address with no account reads exactly the same.
		await forgetful.goto('/signin/forgot');
		await forgetful.getByLabel('Email address').fill('no.such.person@school.example');
		await forgetful.getByRole('button', { name: 'Send a reset link' }).click();
		await expect(forgetful.getByTestId('reset-sent')).toBeVisible();
		expect((await forgetful.getByTestId('reset-sent').innerText()).replace('no.such.person@school.example', person.email)).toBe(answerForAccount);

		const reset = await linkInMail(page, person.email, 'Reset your portal password', 'reset');
		await forgetful.goto(reset);
		await expect(forgetful.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
		await submitNewPassword(forgetful, 'password1234', 'Save new password');
		await expect(forgetful.getByRole('alert').getByRole('link', { name: TOO_COMMON })).toBeVisible();
		await expectNoSeriousAxeViolations(forgetful);
		const third = 'glacier mosaic thimble walnut';
		await submitNewPassword(forgetful, third, 'Save new password');
		await expect(forgetful).toHaveURL('/signin?reset=done');
		await expect(forgetful.getByText('Your password has been changed. Sign in with your new password.')).toBeVisible();
		await expectNoSeriousAxeViolations(forgetful);

		// The reset signed every browser out.
		await own.goto('/');
		await expect(own).toHaveURL('/signin?next=%2F');
		await expectNoSeriousAxeViolations(own);

		await forgetful.getByLabel('Email address').fill(person.email);
		await forgetful.getByLabel('Password').fill(third);
		await forgetful.getByRole('button', { name: 'Sign in' }).click();
		await expect(forgetful).toHaveURL('/');
		await expect(forgetful.getByText(`Signed in as ${person.name}.`)).toBeVisible();
		await expectNoSeriousAxeViolations(forgetful);

		// The link works once.
		const again = await forgetful.goto(reset);
		expect(again?.status()).toBe(410);
		await expect(forgetful.getByRole('heading', { level: 1, name: 'This link has already been used' })).toBeVisible();
		await expectNoSeriousAxeViolations(forgetful);
	});

	for (const next of ['/\\evil.example', '//evil.example', '/\t/evil.example', 'https://evil.example', '/%0a/evil.example\n']) {
		test(`signing in with next=${JSON.stringify(next)} stays on the portal`, async ({ page }) => {
			const response = await page.goto(`/signin?next=${encodeURIComponent(next)}`);
			expect(response?.status()).toBe(200);
			await expectNoSeriousAxeViolations(page);
			await page.getByLabel('Email address').fill('pcf@portal.example');
			await page.getByLabel('Password').fill('Oxfordshire-demo-2026');
			await page.getByRole('button', { name: 'Sign in' }).click();
			await page.waitForURL((url) => url.pathname === '/' || !url.href.startsWith('http://localhost'));
			expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
			await expect(page.getByRole('heading', { level: 1, name: 'Your SEND clusters' })).toBeVisible();
			await expectNoSeriousAxeViolations(page);
		});
	}
});
