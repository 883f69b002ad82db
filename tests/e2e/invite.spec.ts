import { DEMO_SETTINGS, expect, expectNoSeriousAxeViolations, inviteToSetting, newPerson, signIn, test } from './support';

test.describe('inviting someone new', () => {
	test('an officer invites a SENCO, who sets a password from the emailed link and lands in Banbury; the link then works only once', async ({
		page,
		openPage
	}) => {
		const invitee = newPerson('senco');
		await signIn(page, 'officer', { next: '/admin/people/invite' });
		const link = await inviteToSetting(page, invitee, { label: `${DEMO_SETTINGS.banburyPrimary}, Banbury`, role: 'SENCO' });

		// The invitee, on their own computer.
		const invited = await openPage();
		await invited.goto(link);
		await expect(invited.getByRole('heading', { level: 1, name: 'Accept your invitation' })).toBeVisible();
		await expect(invited.getByTestId('invited-as')).toContainText('SENCO');
		await expect(invited.getByTestId('invited-as')).toContainText(DEMO_SETTINGS.banburyPrimary);
		await expectNoSeriousAxeViolations(invited);

		await invited.getByLabel('Password', { exact: true }).fill('too short');
		await invited.getByLabel('Enter the password again').fill('too short');
		await invited.getByRole('button', { name: 'Accept and sign in' }).click();
		const summary = invited.getByRole('alert');
		await expect(summary.getByRole('link', { name: 'Password must be at least 12 characters' })).toHaveAttribute('href', '#password');
		await expect(invited.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
		await expect(invited.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(/Error:\s+Password must be at least 12 characters/);
		await expectNoSeriousAxeViolations(invited);

		const password = 'meadowside swallows nest early';
		await invited.getByLabel('Password', { exact: true }).fill(password);
		await invited.getByLabel('Enter the password again').fill(password);
		await invited.getByRole('button', { name: 'Accept and sign in' }).click();
		await expect(invited).toHaveURL('/');
		await expect(invited.getByText(`Signed in as ${invitee.name}.`)).toBeVisible();
		await expect(invited.getByRole('main').getByRole('link', { name: /^Banbury/ })).toBeVisible();
		await expectNoSeriousAxeViolations(invited);

		// The link works once.
		const again = await invited.goto(link);
		expect(again?.status()).toBe(410);
		await expect(invited.getByRole('heading', { level: 1, name: 'This invitation link has already been used' })).toBeVisible();
		await expect(invited.getByTestId('invitation-problem')).toContainText('Sign in instead');
		await expectNoSeriousAxeViolations(invited);
	});
});
