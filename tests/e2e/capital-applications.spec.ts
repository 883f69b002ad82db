import type { Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_SETTINGS, expect, expectNoSeriousAxeViolations, pickBySearch, signIn, test } from './support';

// Inclusion-base applications, the applicant's side: a SENCO and the headteacher co-write a
// specialist resource base application in two browsers and attach a floor plan; the headteacher
// signs for the school and records the governing body's sign-off; the SENCO submits from Check
// your answers. Then a nursery manager applies for an early years grant on its single short page.
// axe runs on every page visited, at desktop width and 320 px.

const LINE = 'Specialist resource base in mainstream';
// A 1×1 PNG: the content is what the server checks, not the name.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

/** Fills a section's page: text by label, a list of ticks or one choice by its words; then saves. */
async function fillSection(page: Page, heading: string, fields: [label: string, value: string | true][]) {
	await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
	for (const [label, value] of fields) {
		if (value === true) await page.getByLabel(label, { exact: true }).check();
		else await page.getByLabel(label, { exact: true }).fill(value);
	}
	await page.getByRole('button', { name: 'Save and go back to the overview' }).click();
}

async function writeSection(page: Page, heading: string, fields: [label: string, value: string | true][]) {
	await fillSection(page, heading, fields);
	await expect(page.getByRole('heading', { level: 2, name: 'Your application' })).toBeVisible();
}

const openSection = (page: Page, label: string) => page.getByRole('link', { name: label, exact: true }).click();

test.describe('inclusion-base applications', () => {
	test('a SENCO and the headteacher co-write a specialist application, attach a floor plan, sign it off and submit it', async ({ page, openPage }) => {
		test.slow();
		await signIn(page, 'senco', { next: '/capital/applications' });
		await expect(page.getByRole('heading', { level: 1, name: 'Inclusion-base applications' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel(`${LINE} for ${DEMO_SETTINGS.banburyPrimary}`, { exact: false }).check();
		await page.getByLabel('Title').fill('Resource base for autistic pupils');
		await page.getByRole('button', { name: 'Start the application' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Resource base for autistic pupils' })).toBeVisible();
		await expect(page.getByTestId('stage')).toHaveText('Draft');
		await expect(page.getByTestId('district-need')).toContainText('Cherwell');
		await expectNoSeriousAxeViolations(page);
		const overview = page.url();

		// The headteacher follows the same application in a second browser.
		const head = await openPage();
		await signIn(head, 'headteacher', { next: new URL(overview).pathname });
		await expectNoSeriousAxeViolations(head);

		await openSection(page, 'The base and its places');
		await fillSection(page, 'The base and its places', [
			['How many places will the base have?', '60'],
			['Youngest age', '5'],
			['Oldest age', '11'],
			['Communication and interaction', true],
			['What the base will offer', 'Small-group teaching and support to join mainstream lessons']
		]);
		// Too many places for the line: refused on the field, what was typed kept.
		await expect(page.getByRole('alert')).toContainText('bases have at most 40 places');
		await expect(page.getByLabel('What the base will offer')).toHaveValue('Small-group teaching and support to join mainstream lessons');
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('How many places will the base have?').fill('16');
		await page.getByRole('button', { name: 'Save and go back to the overview' }).click();
		await expect(page.getByRole('heading', { level: 2, name: 'Your application' })).toBeVisible();

		// The headteacher's overview moved on without reloading: the base section is completed.
		await expect(head.getByRole('link', { name: 'The base and its places' })).toBeVisible();
		await expect(head.locator('.govuk-task-list__item', { hasText: 'The base and its places' })).toContainText(/Completed/i);

		// They write different sections at the same time.
		await openSection(head, 'Outreach');
		await openSection(page, 'The space');
		await writeSection(head, 'Outreach', [['How the base will support other settings in the cluster', 'Termly advice visits to the cluster’s schools']]);
		await writeSection(page, 'The space', [
			['Which rooms the base will use', 'Two classrooms in the east wing'],
			['Surplus space from falling rolls', 'Falling rolls freed the east wing'],
			['Adaptations needed', 'A quiet room'],
			['Sensory and therapy space', 'A sensory room'],
			['Accessibility', 'Level access'],
			['Building regulations approval', true]
		]);
		await openSection(page, 'Delivery route');
		await writeSection(page, 'Delivery route', [['The council (council-led)', true]]);
		await openSection(page, 'Capital requested');
		await writeSection(page, 'Capital requested', [
			['Building works', '480000'],
			['Furniture and equipment', '60000'],
			['Professional fees', '40000'],
			['Contingency', '26000'],
			['How the costs were worked out', 'The council’s surveyor costed it']
		]);
		await openSection(page, 'Revenue and staffing');
		await writeSection(page, 'Revenue and staffing', [
			['High-needs place funding', true],
			['Staffing', 'A teacher and two teaching assistants']
		]);
		await openSection(page, 'Opening term');
		await writeSection(page, 'Opening term', [
			['Autumn term', true],
			['Year it opens', '2027']
		]);
		await openSection(page, 'Parents and the PCF');
		await writeSection(page, 'Parents and the PCF', [
			['How parents were involved', 'Two coffee mornings'],
			['How the Parent Carer Forum was involved', 'The PCF reviewed the plan']
		]);
		await openSection(page, 'Declarations');
		await writeSection(page, 'Declarations', [
			['The information in this application is accurate', true],
			['We understand the capital is clawed back if the base closes or changes use', true],
			['No child can be identified from this application or its files', true]
		]);
		// £606,000 for 16 places is above the benchmark per place: a warning, not a refusal.
		await expect(page.getByText('per place is above the benchmark')).toBeVisible();

		// The floor plan, flagged as safeguarding-sensitive.
		await page.getByLabel('Upload a file').setInputFiles({ name: 'floor-plan.png', mimeType: 'image/png', buffer: PNG });
		await page.getByLabel('What it shows (optional)').fill('Floor plan of the east wing');
		await page.getByLabel('This is a floor plan or a photo that may show pupils').check();
		await page.getByRole('button', { name: 'Upload the file' }).click();
		await expect(page.getByTestId('done')).toContainText('The file was added.');
		await expect(page.getByTestId('files')).toContainText('floor-plan.png');
		await expect(page.getByTestId('files')).toContainText('Officers and assessors only');
		await expectNoSeriousAxeViolations(page);

		// Submitting before sign-off lists what is missing.
		await page.getByTestId('check-link').click();
		await expect(page.getByRole('heading', { level: 1, name: 'Check your answers before submitting' })).toBeVisible();
		await expect(page.getByTestId('missing')).toContainText('Sign-off needed from Banbury Meadowside Primary School: the headteacher');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('button', { name: 'Submit the application' }).click();
		await expect(page.getByRole('alert')).toContainText('Sign-off needed from Banbury Meadowside Primary School: the headteacher');
		await expectNoSeriousAxeViolations(page);

		// The SENCO may not sign; the headteacher signs and records the governing body's sign-off.
		await page.goto(overview);
		await expect(page.getByTestId('signatures')).toContainText('Only the headteacher of Banbury Meadowside Primary School can sign for it in that capacity.');
		await head.reload();
		await head.getByRole('button', { name: 'Sign as the headteacher' }).click();
		await expect(head.getByTestId('done')).toContainText('Your sign-off is recorded.');
		await head.getByLabel('Who signed for the governing body').fill('Gill Chair, chair of governors');
		await head.getByRole('button', { name: 'Record the governing body’s sign-off' }).click();
		await expect(head.getByTestId('signatures')).toContainText('for them: Gill Chair, chair of governors');
		await expectNoSeriousAxeViolations(head);

		await page.goto(`${overview}/check`);
		await expect(page.getByTestId('missing')).toContainText('Nothing is missing');
		await page.getByRole('button', { name: 'Submit the application' }).click();
		await expect(page.getByTestId('done')).toContainText('The application was submitted.');
		await expect(page.getByTestId('stage')).toHaveText('Submitted');
		await expect(page.getByTestId('timeline')).toContainText('Submitted');
		await expectNoSeriousAxeViolations(page);
	});

	test('a nursery manager applies for an early years grant on one short page', async ({ page }) => {
		test.slow();
		await page.goto('/signin?next=%2Fcapital%2Fapplications');
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('Email address').fill('nursery.manager@portal.example');
		await page.getByLabel('Password').fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Inclusion-base applications' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('Early years support base for Banbury Little Owls Day Nursery', { exact: false }).check();
		await page.getByLabel('Title').fill('A quiet room');
		await page.getByRole('button', { name: 'Start the application' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'A quiet room' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);

		await openSection(page, 'Your early years base');
		await fillSection(page, 'Your early years base', [
			['How many places will the base have?', '6'],
			['Ages of the children', '2 to 4'],
			['What the grant will buy', 'Sensory equipment and a quiet room'],
			['Grant requested', '12000'],
			['Spring term', true],
			['Year it opens', '2027'],
			['The information in this application is accurate', true]
		]);
		await expect(page.getByRole('alert')).toContainText('at most £10,000 each');
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('Grant requested').fill('9500');
		await page.getByRole('button', { name: 'Save and go back to the overview' }).click();

		// Evidence served only through the policy, as an attachment with its sniffed type.
		await page.getByLabel('Upload a file').setInputFiles({ name: 'quote.pdf', mimeType: 'application/pdf', buffer: PDF });
		await page.getByRole('button', { name: 'Upload the file' }).click();
		await expect(page.getByTestId('files')).toContainText('quote.pdf');
		await expectNoSeriousAxeViolations(page);
		const href = await page.getByTestId('files').getByRole('link', { name: 'quote.pdf' }).getAttribute('href');
		const download = await page.request.get(href ?? '');
		expect(download.status()).toBe(200);
		expect(download.headers()).toMatchObject({ 'content-type': 'application/pdf', 'x-content-type-options': 'nosniff' });
		expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="quote.pdf"/);
		// A web page renamed as a PDF is refused from its content.
		await page.getByLabel('Upload a file').setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>alert(1)</script></html>') });
		await page.getByRole('button', { name: 'Upload the file' }).click();
		await expect(page.getByRole('alert')).toContainText('The selected file must be a PDF, PNG image, JPEG image or Word document');
		await expectNoSeriousAxeViolations(page);

		await page.getByRole('button', { name: 'Sign as the owner or manager' }).click();
		await expect(page.getByTestId('done')).toContainText('Your sign-off is recorded.');
		await page.getByTestId('check-link').click();
		await expect(page.getByTestId('missing')).toContainText('Nothing is missing');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('button', { name: 'Submit the application' }).click();
		await expect(page.getByTestId('stage')).toHaveText('Submitted');
		await expect(page.getByTestId('application-summary')).toContainText('£9,500');
		await expectNoSeriousAxeViolations(page);
	});

	test('an officer keeps the district need figures and reads the rollout register, searched and filtered', async ({ page }) => {
		test.slow();
		await signIn(page, 'officer', { next: '/capital/needs' });
		await expect(page.getByRole('heading', { level: 1, name: 'District need figures' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByText('Cherwell: forecast demand').click();
		await page.getByRole('textbox', { name: 'Forecast demand for specialist places' }).first().fill('lots');
		await page.getByRole('button', { name: 'Save Cherwell’s figures' }).click();
		await expect(page.getByRole('alert')).toContainText('Forecast demand must be a whole number');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('textbox', { name: 'Forecast demand for specialist places' }).first().fill('700');
		await page.getByRole('textbox', { name: 'Why they changed (optional)' }).first().fill('Spring census');
		await page.getByRole('button', { name: 'Save Cherwell’s figures' }).click();
		await expect(page.getByText('The figures were saved.')).toBeVisible();
		await expect(page.getByTestId('need-history')).toContainText('forecast demand 520 → 700');
		await expectNoSeriousAxeViolations(page);

		await page.goto('/capital/register');
		await expect(page.getByRole('heading', { level: 1, name: 'Secondary rollout register' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		await page.getByLabel('School name').fill('Castlebrook');
		await pickBySearch(page, 'district', 'cher', 'Cherwell (district)');
		await page.getByRole('button', { name: 'Show schools' }).click();
		await expect(page.getByTestId('register').locator('tbody tr')).toHaveCount(1);
		await expect(page.getByTestId('register')).toContainText(DEMO_SETTINGS.banburySecondary);
		await expectNoSeriousAxeViolations(page);
	});
});
