import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// County set-up on a portal the size of England: the locality to move a setting to is found with a
// search box, not a dropdown of every locality in the country. Without JavaScript, Search comes
// back to the page with the matches in that setting's form and the reason kept; a refused move
// keeps the choice. (Moving for real, with JavaScript, is in workspace.spec.ts.)

test.describe('moving a setting in county set-up', () => {
	test('without JavaScript, the locality picker searches by a GET and a refused move keeps the choice', async ({ openPage }) => {
		const page = await openPage({ javaScriptEnabled: false });
		await signIn(page, 'officer', { next: '/admin/clusters' });
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('table', { name: 'Locality clusters in Cherwell' }).getByRole('link', { name: /^Bicester/ }).click();
		await expect(page.getByRole('heading', { level: 1, name: /^Bicester/ })).toBeVisible();
		// No dropdown of localities on the page any more.
		await expect(page.locator('select[name="toClusterId"]')).toHaveCount(0);

		const row = page.getByRole('table', { name: /^Settings in Bicester/ }).locator('tbody tr').first();
		const setting = (await row.locator('td').first().innerText()).split('\n')[0]!.trim();
		await row.locator('summary').click();
		await row.getByLabel('Why are you moving it?').fill('Closer to the Banbury schools.');
		await row.getByLabel('Find a locality cluster').fill('banb');
		await row.getByRole('button', { name: 'Search for a locality cluster' }).click();

		await expect(page).toHaveURL(/moveQuery=banb/);
		const searched = page.getByRole('table', { name: /^Settings in Bicester/ }).getByRole('row').filter({ hasText: setting });
		await expect(searched.getByRole('status')).toContainText('1 locality cluster found');
		await expect(searched.getByLabel('Why are you moving it?')).toHaveValue('Closer to the Banbury schools.');
		// Districts are no place to move a setting to: only localities are offered.
		await expect(searched.getByRole('radio')).toHaveCount(1);
		await expectNoSeriousAxeViolations(page);

		await searched.getByRole('radio', { name: 'Banbury (locality)' }).check();
		await searched.getByLabel('Why are you moving it?').fill('');
		await searched.getByRole('button', { name: /^Move setting/ }).click();
		await expect(page.getByRole('alert').getByRole('link', { name: /why you are moving/i })).toBeVisible();
		const refused = page.getByRole('table', { name: /^Settings in Bicester/ }).getByRole('row').filter({ hasText: setting });
		await expect(refused.getByRole('radio', { name: 'Banbury (locality)' })).toBeChecked();
		await expectNoSeriousAxeViolations(page);
	});
});

test.describe('creating a locality cluster', () => {
	test('the district is found with a search, not a dropdown of every district; from a district’s own link it comes chosen, and stays chosen when the form is refused', async ({ page }) => {
		await signIn(page, 'officer', { next: '/admin/clusters' });
		await expectNoSeriousAxeViolations(page);
		await expect(page.locator('select[name="districtId"]')).toHaveCount(0);

		// A search offers districts only (a locality is no place to create one in).
		const create = page.locator('form[action="?/create"]');
		await create.getByLabel('Find a district cluster').fill('oxf');
		await create.getByRole('button', { name: 'Search for a district cluster' }).click();
		await expect(create.getByRole('status')).toContainText('3 district clusters found');
		await expect(create.getByRole('radio', { name: 'West Oxfordshire (district)' })).toBeVisible();
		await expect(create.getByRole('radio', { name: /\(locality\)$/ })).toHaveCount(0);

		// From West Oxfordshire's own link, the form has it chosen.
		await page.getByRole('link', { name: 'Create a locality cluster in West Oxfordshire' }).click();
		await expect(page).toHaveURL(/districtId=\d+/);
		await expect(create.getByRole('radio', { name: 'West Oxfordshire (district)' })).toBeChecked();
		await expectNoSeriousAxeViolations(page);
		// Refused for want of a name, the form keeps the district chosen.
		await create.getByRole('button', { name: 'Create locality cluster' }).click();
		await expect(page.locator('.govuk-error-summary')).toContainText('Enter a name for the locality cluster');
		await expect(create.getByRole('radio', { name: 'West Oxfordshire (district)' })).toBeChecked();
		await expectNoSeriousAxeViolations(page);
		const name = `Carterton ${Date.now().toString(36)}`;
		await create.getByLabel('Name of the locality cluster').fill(name);
		await create.getByRole('button', { name: 'Create locality cluster' }).click();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		await expect(page.getByText('Locality cluster created.')).toBeVisible();
		await expectNoSeriousAxeViolations(page);
	});
});
