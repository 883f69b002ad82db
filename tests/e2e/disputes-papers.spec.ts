import { DEMO_PASSWORD, expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// Positions and papers: a SENDIASS officer opens the seeded Cherwell case whose panel is booked,
// changes the school's statement (it leaves the panel's view until shared again), shares it,
// uploads a paper for the family (a refusal first, without a file), and shares it after ticking
// that third parties are redacted. The booked chair, in another browser, reads the redacted
// statements and downloads the paper (an attachment, never sniffed), not what the parties wrote
// about third parties. Before the meeting the officer replaces the paper (the chair loses the
// earlier version at once) and then withdraws it. axe at desktop and 320 px on every page on the way.

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

test.describe('dispute positions and papers', () => {
	test('an officer records a statement and uploads a paper, shares both; the booked chair sees only the redacted copies', async ({ page, openPage }) => {
		test.slow();
		await signIn(page, 'sendiass');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('link', { name: 'Dispute panels' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Dispute-resolution cases' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		// The seeded booked case is the oldest booked one (newest first).
		await page.getByRole('row', { name: /Panel meeting booked/ }).last().getByRole('link').first().click();
		await expect(page.getByTestId('papers-link')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByTestId('papers-link').click();
		await expect(page.getByRole('heading', { level: 1, name: 'Positions and papers' })).toBeVisible();
		await expect(page.getByTestId('statement-family')).toContainText('Shared');
		await expectNoSeriousAxeViolations(page);
		const papersUrl = page.url();

		// The school's statement, changed: saved, no longer shared until shared again.
		const school = page.getByTestId('statement-setting');
		await school.getByLabel('Redacted statement, for sharing').fill('We agree the morning support has not always happened. [Staff] were off sick; a new assistant starts next month.');
		await school.getByRole('button', { name: 'Save the school’s statement' }).click();
		await expect(page.getByText('Statement saved.')).toBeVisible();
		await expect(school).toContainText('Not shared');
		await expectNoSeriousAxeViolations(page);
		await school.getByRole('button', { name: /Share the redacted statement/ }).click();
		await expect(page.getByText('Statement shared with the panel.')).toBeVisible();
		await expect(school).toContainText('Shared');

		// No file chosen: the error summary says so and links to the file field.
		await page.getByRole('group', { name: 'Whose paper is it?' }).getByRole('radio', { name: 'The family' }).check();
		await page.getByRole('button', { name: 'Upload the paper' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('Select a file to upload');
		await expectNoSeriousAxeViolations(page);

		const name = `family-letter-${Date.now().toString(36)}.pdf`;
		await page.getByRole('group', { name: 'Whose paper is it?' }).getByRole('radio', { name: 'The family' }).check();
		await page.getByLabel('The file').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
		await page.getByLabel('What it is (optional)').fill('Letter from the family, names removed');
		await page.getByRole('button', { name: 'Upload the paper' }).click();
		await expect(page.getByText('Paper uploaded.')).toBeVisible();
		const row = page.getByTestId('papers').getByRole('row', { name: new RegExp(name) });
		await expect(row).toContainText('Not shared');
		await expectNoSeriousAxeViolations(page);

		// Sharing needs the redaction check ticked.
		await row.getByRole('button', { name: /Share/ }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('Tick the box to confirm you want to share this paper with third parties redacted');
		await expectNoSeriousAxeViolations(page);
		const again = page.getByTestId('papers').getByRole('row', { name: new RegExp(name) });
		await again.getByLabel('Third parties are redacted in this file').check();
		await again.getByRole('button', { name: /Share/ }).click();
		await expect(page.getByText('Paper shared with the panel.')).toBeVisible();
		await expect(page.getByTestId('papers').getByRole('row', { name: new RegExp(name) })).toContainText('Redacted and shared');
		await expectNoSeriousAxeViolations(page);

		const href = await page.getByRole('link', { name }).getAttribute('href');
		const download = await page.request.get(href ?? '');
		expect(download.status()).toBe(200);
		expect(download.headers()['content-disposition']).toMatch(new RegExp(`^attachment; filename="${name}"`));
		expect(download.headers()['x-content-type-options']).toBe('nosniff');
		expect(download.headers()['content-type']).toBe('application/pdf');

		// The booked chair, elsewhere: the redacted statements and the shared paper, not the parties' own words.
		const chair = await openPage();
		await chair.goto(`/signin?next=${encodeURIComponent(new URL(papersUrl).pathname)}`);
		await expectNoSeriousAxeViolations(chair);
		await chair.getByLabel('Email address').fill('panel.chair@portal.example');
		await chair.getByLabel('Password').fill(DEMO_PASSWORD);
		await chair.getByRole('button', { name: 'Sign in' }).click();
		await expect(chair.getByRole('heading', { level: 1, name: 'Positions and papers' })).toBeVisible();
		await expect(chair.getByTestId('statement-family-text')).toContainText('[A member of staff]');
		await expect(chair.getByTestId('statement-setting-text')).toContainText('a new assistant starts next month');
		await expect(chair.getByText('Mrs Allen')).toHaveCount(0);
		await expect(chair.getByText('Ms Brook')).toHaveCount(0);
		await expect(chair.getByRole('link', { name })).toBeVisible();
		await expect(chair.getByRole('button', { name: 'Upload the paper' })).toHaveCount(0);
		await expectNoSeriousAxeViolations(chair);
		const chairDownload = await chair.request.get(href ?? '');
		expect(chairDownload.status()).toBe(200);

		// Before the meeting the family sends a new version: the officer replaces the paper. The chair
		// loses the earlier one at once, and the new one waits for its redaction check; then the family
		// withdraws it altogether.
		const shared = page.getByTestId('papers').getByRole('row', { name: new RegExp(name) });
		await shared.getByText('Replace or withdraw').click();
		await expectNoSeriousAxeViolations(page);
		await shared.getByLabel('New version').setInputFiles({ name: `v2-${name}`, mimeType: 'application/pdf', buffer: PDF });
		await shared.getByRole('button', { name: /^Replace/ }).click();
		await expect(page.getByText('Paper replaced.')).toBeVisible();
		const replaced = page.getByTestId('papers').getByRole('row', { name: new RegExp(`v2-${name}`) });
		await expect(replaced).toContainText('Not shared');
		await expectNoSeriousAxeViolations(page);
		await chair.reload();
		await expect(chair.getByRole('heading', { level: 1, name: 'Positions and papers' })).toBeVisible();
		await expect(chair.getByRole('link', { name })).toHaveCount(0);
		expect((await chair.request.get(href ?? '')).status()).toBe(403);

		await replaced.getByText('Replace or withdraw').click();
		await replaced.getByLabel('The party wants to withdraw this paper').check();
		await replaced.getByRole('button', { name: /^Withdraw/ }).click();
		await expect(page.getByText('Paper withdrawn.')).toBeVisible();
		await expect(page.getByTestId('papers').getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
		await expectNoSeriousAxeViolations(page);
	});
});
