import type { Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, expectNoSeriousAxeViolations, signIn, test } from './support';
import { DEMO_ASSESSORS, PILOT_ROUND } from '../../db/seed/capital-assessment';

// Capital assessment: two assessors, each in their own browser, declare no conflict and score the
// pilot scheme CAP-DEMO-PILOT1 blind, with a spread; an officer who did not score moderates it; the
// administrator records the recommendation, the capital board's endorsement and the Sufficiency
// Board's approval in principle, each in the decisions timeline with who and why.

const REFERENCE = 'CAP-DEMO-PILOT1';

async function signInAssessor(page: Page, which: 0 | 1) {
	const assessor = DEMO_ASSESSORS[which];
	await page.goto('/signin?next=%2Fcapital%2Fassess');
	await expectNoSeriousAxeViolations(page);
	await page.getByLabel('Email address').fill(assessor.email);
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Applications to assess' })).toBeVisible();
	await expectNoSeriousAxeViolations(page);
}

async function declareNoConflict(page: Page) {
	await page.getByTestId('assess-queue').getByRole('link', { name: REFERENCE }).click();
	await expect(page.getByRole('heading', { level: 1, name: `Assess ${REFERENCE}` })).toBeVisible();
	// Only the reference and the setting until the declaration.
	await expect(page.getByText('A resource base for 16 pupils')).toHaveCount(0);
	await expectNoSeriousAxeViolations(page);
	await page.getByRole('button', { name: 'Record my declaration' }).click();
	await expect(page.getByRole('alert')).toContainText('Say whether you have a conflict of interest');
	await expectNoSeriousAxeViolations(page);
	await page.getByLabel('I have no conflict of interest in this application').check();
	await page.getByRole('button', { name: 'Record my declaration' }).click();
	await expect(page.getByText('Declaration recorded.')).toBeVisible();
	await expect(page.getByText('A resource base for 16 pupils')).toBeVisible();
	await expectNoSeriousAxeViolations(page);
}

async function score(page: Page, scores: [criterion: string, score: number, why: string][]) {
	for (const [criterion, value, why] of scores) {
		await page.getByRole('group', { name: `Score for ${criterion}` }).getByRole('radio', { name: new RegExp(`^${value} – `) }).check();
		await page.getByLabel(`Justification for ${criterion}`).fill(why);
	}
	await page.getByRole('button', { name: 'Submit scores' }).click();
	await expect(page.getByText('Scores submitted.')).toBeVisible();
}

test.describe('capital assessment', () => {
	test('two assessors score blind with a spread, a moderator settles it, and the boards’ decisions are recorded', async ({ page, openPage }) => {
		test.slow();
		const second = await openPage();
		await signInAssessor(page, 0);
		await signInAssessor(second, 1);

		await declareNoConflict(page);
		await declareNoConflict(second);

		// Out of range or missing: refused field by field.
		await page.getByRole('button', { name: 'Submit scores' }).click();
		await expect(page.getByRole('alert')).toContainText('Choose a score for Need in the area');
		await expect(page.getByRole('alert')).toContainText('Write a justification for Value for money');
		await expectNoSeriousAxeViolations(page);
		await score(page, [
			['Need in the area', 5, 'Forecast need of 40 more places in Cherwell by 2028.'],
			['Space and deliverability', 4, 'Ground-floor rooms released by falling rolls.'],
			['Value for money', 4, 'Per-place cost below the benchmark.']
		]);
		await expect(page.getByTestId('assessment-state')).toContainText('Being scored');
		await expectNoSeriousAxeViolations(page);

		// The second assessor, not yet submitted, sees nothing of the first one's scores.
		await second.reload();
		await expect(second.getByText(DEMO_ASSESSORS[0].name)).toHaveCount(0);
		await expect(second.getByTestId('assessment-state')).toHaveCount(0);
		await score(second, [
			['Need in the area', 1, 'The forecast cited is for the county, not this district.'],
			['Space and deliverability', 4, 'Space is suitable.'],
			['Value for money', 4, 'Close to the benchmark.']
		]);
		await expect(second.getByTestId('assessment-state')).toContainText('Needs moderation');
		await expectNoSeriousAxeViolations(second);
		// The first assessor's page, open all along, moves without a reload and says so.
		await expect(page.getByTestId('assessment-state')).toContainText('Needs moderation');
		await expect(page.getByRole('status').filter({ hasText: `The assessment of ${REFERENCE} was just updated.` })).toBeAttached();
		await second.getByRole('link', { name: 'See the scores page' }).click();
		await expect(second.getByTestId('criterion-Need in the area')).toContainText(DEMO_ASSESSORS[0].name);
		await expect(second.getByRole('button', { name: /Record moderated score/ })).toHaveCount(0);
		await expectNoSeriousAxeViolations(second);
		const scoresUrl = new URL(second.url()).pathname;

		// A moderator who did not score it settles the spread.
		const moderator = await openPage();
		await signIn(moderator, 'officer', { next: scoresUrl });
		await expect(moderator.getByTestId('assessment-state')).toContainText('Needs moderation');
		await expectNoSeriousAxeViolations(moderator);
		const need = moderator.getByTestId('criterion-Need in the area');
		await need.getByRole('radio', { name: /^3 – / }).check();
		await need.getByLabel('Rationale for Need in the area').fill('District need is evidenced in the council’s forecast; the county figure overstated it.');
		await need.getByRole('button', { name: 'Record moderated score for Need in the area' }).click();
		await expect(moderator.getByText('Moderated score recorded.')).toBeVisible();
		await expect(moderator.getByTestId('assessment-state')).toContainText('Score agreed');
		// 40 × 3/5 + 35 × 4/5 + 25 × 4/5 = 24 + 28 + 20
		await expect(moderator.getByTestId('assessment-total')).toContainText('72.00%');
		await expectNoSeriousAxeViolations(moderator);
		// The second assessor's scores page follows the moderation live.
		await expect(second.getByTestId('assessment-state')).toContainText('Score agreed');

		// The ranking lists it with its moderated score.
		const decisionsUrl = scoresUrl.replace(/scores$/, 'decisions');
		await moderator.goto('/capital/rounds');
		await expectNoSeriousAxeViolations(moderator);
		await moderator.getByRole('link', { name: PILOT_ROUND }).click();
		await expect(moderator.getByRole('heading', { level: 1, name: PILOT_ROUND })).toBeVisible();
		await expectNoSeriousAxeViolations(moderator);
		await moderator.getByRole('link', { name: 'Ranking' }).click();
		await expect(moderator.getByRole('heading', { level: 1, name: 'Ranking' })).toBeVisible();
		await expect(moderator.getByTestId('ranking')).toContainText('72.00%');
		await expectNoSeriousAxeViolations(moderator);
		await moderator.getByRole('link', { name: 'Assessors and moderation' }).click();
		await expect(moderator.getByTestId('round-assessors')).toContainText(DEMO_ASSESSORS[1].name);
		await expectNoSeriousAxeViolations(moderator);

		// The moderator may not decide; the administrator records each decision with why.
		await moderator.goto(decisionsUrl);
		await expect(moderator.getByText('You moderated this application’s scores, so another officer must record the decision.')).toBeVisible();
		await expectNoSeriousAxeViolations(moderator);

		const decider = await openPage();
		await signIn(decider, 'admin', { next: decisionsUrl });
		await expectNoSeriousAxeViolations(decider);
		for (const [decision, why, done] of [
			['Recommend', 'Highest moderated score in the pilot round.', 'Recommended'],
			['Record the capital board’s endorsement', 'North capital board, 3 March: endorsed.', 'Endorsed by the capital board'],
			['Record the Sufficiency Board’s approval in principle', 'Sufficiency Board, 10 March: approved subject to feasibility.', 'Approved in principle']
		] as const) {
			await decider.getByRole('radio', { name: decision, exact: true }).check();
			await decider.getByLabel('Why').fill(why);
			await decider.getByRole('button', { name: 'Record decision' }).click();
			await expect(decider.getByText('Decision recorded.')).toBeVisible();
			await expect(decider.getByTestId('application-stage')).toHaveText(done);
			await expect(decider.getByTestId('decisions-timeline')).toContainText(why);
		}
		await expect(decider.getByTestId('decisions-timeline').getByRole('listitem')).toHaveCount(3);
		await expect(decider.getByTestId('decisions-timeline')).toContainText('moderated score 72.00%');
		await expectNoSeriousAxeViolations(decider);
	});
});
