import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoAccount, expect, expectNoSeriousAxeViolations, signIn, test, type DemoAccountKey } from './support';

/** A cluster each demo person should find on their home page (staff see the districts). */
const HOME_CLUSTER: Record<DemoAccountKey, RegExp> = {
	officer: /^Cherwell$/,
	admin: /^Cherwell$/,
	headteacher: /^Banbury/,
	senco: /^Banbury/,
	partnerHeadteacher: /^Banbury/,
	partnerSenco: /^Banbury/,
	otherHeadteacher: /^Banbury/,
	clusterLead: /^Banbury/,
	pcfRep: /^Cherwell$/,
	pcfLead: /^Cherwell$/,
	sendiass: /^Cherwell$/,
	panelMember: /^Cherwell$/,
	oxfordSenco: /^North & Central Oxford$/,
	nurseryManager: /^Kidlington/
};

const SIGN_IN_FAILED = 'The email address or password is not right. Check them and try again.';

test.describe('signing in', () => {
	for (const account of DEMO_ACCOUNTS) {
		test(`${account.roleLabel} (${account.email}) signs in and sees their name and clusters`, async ({ page }) => {
			await signIn(page, account.key);
			await expect(page.getByRole('heading', { level: 1, name: 'Your SEND clusters' })).toBeVisible();
			const clusters = page.getByRole('main').getByRole('list').first();
			await expect(clusters.getByRole('link', { name: HOME_CLUSTER[account.key] })).toBeVisible();
			await expectNoSeriousAxeViolations(page);
		});
	}

	test('a wrong password shows the error summary, linked to the field, without saying whether the account exists', async ({ page }) => {
		const account = demoAccount('senco');
		await page.goto('/signin');
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('Email address').fill(account.email);
		await page.getByLabel('Password').fill('not-the-password');
		await page.getByRole('button', { name: 'Sign in' }).click();

		const summary = page.getByRole('alert');
		await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
		const link = summary.getByRole('link', { name: SIGN_IN_FAILED });
		await expect(link).toBeVisible();
		await expect(page).toHaveTitle(/^Error: Sign in/);
		await expect(page).toHaveURL('/signin');
		await expect(page.getByLabel('Email address')).toHaveValue(account.email);
		await expectNoSeriousAxeViolations(page);
		await link.click();
		await expect(page.getByLabel('Password')).toBeFocused();

		// An address with no account gets exactly the same answer.
		await page.getByLabel('Email address').fill('nobody.here@portal.example');
		await page.getByLabel('Password').fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByLabel('Email address')).toHaveValue('nobody.here@portal.example');
		await expect(page.getByRole('alert').getByRole('link', { name: SIGN_IN_FAILED })).toBeVisible();
	});

	test('submitting empty fields shows an error for each field, linked from the summary', async ({ page }) => {
		await page.goto('/signin');
		await page.getByRole('button', { name: 'Sign in' }).click();

		const summary = page.getByRole('alert');
		await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
		// Focus moves to the summary, so keyboard and screen-reader users land on it.
		await expect(page.locator('.govuk-error-summary')).toBeFocused();
		await expect(summary.getByRole('link', { name: 'Enter your email address' })).toHaveAttribute('href', '#email');
		await expect(summary.getByRole('link', { name: 'Enter your password' })).toHaveAttribute('href', '#password');
		// Each message also sits by its field, and the field says it is invalid.
		await expect(page.getByLabel('Email address')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByLabel('Email address')).toHaveAccessibleDescription('Error: Enter your email address');
		await expect(page.getByLabel('Password')).toHaveAccessibleDescription('Error: Enter your password');
		await expectNoSeriousAxeViolations(page);

		await summary.getByRole('link', { name: 'Enter your email address' }).click();
		await expect(page.getByLabel('Email address')).toBeFocused();
	});

	test('signing out ends the session: the portal asks to sign in again', async ({ page }) => {
		const account = await signIn(page, 'headteacher');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('button', { name: 'Sign out' }).click();
		await expect(page).toHaveURL('/signin');
		await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
		await expect(page.getByText(`Signed in as ${account.name}`)).toHaveCount(0);

		await page.goto('/');
		await expect(page).toHaveURL('/signin?next=%2F');
		await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
	});

	test('the sign-in form works without JavaScript, errors included', async ({ openPage }) => {
		const page = await openPage({ javaScriptEnabled: false });
		const account = demoAccount('partnerSenco');
		await page.goto('/signin');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert').getByRole('link', { name: 'Enter your email address' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		await page.getByLabel('Email address').fill(account.email);
		await page.getByLabel('Password').fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL('/');
		await expect(page.getByText(`Signed in as ${account.name}.`)).toBeVisible();
		await expect(page.getByRole('main').getByRole('link', { name: /^Banbury/ })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
	});
});
