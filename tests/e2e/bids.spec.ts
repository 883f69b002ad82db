import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { DEMO_SETTINGS, demoAccount, expect, expectNoSeriousAxeViolations, pickBySearch, signIn, test } from './support';
import { expectNotReloaded, markDocument, openSection, pounds, presenceOf, roundFigures, saveSection, task } from './bids-support';

// The seed's one open round in Banbury: pot £60,000, at most £25,000 a bid, two settings endorse.
const ROUND = 'Banbury pooled fund 2026/27';

test.describe('pooled-funding bids', () => {
	test('settings write a bid together, headteachers pledge and sign off, the cluster endorses and an officer approves part of it, all seen live in the workspace', async ({
		page,
		openPage
	}) => {
		// The whole journey in several browsers, with axe at two widths on every page it visits.
		// Longer than the one-page journey: seven section pages and the check page, each checked at two widths.
		test.setTimeout(720_000);
		const senco = demoAccount('senco');
		const partnerSenco = demoAccount('partnerSenco');
		const headteacher = demoAccount('headteacher');
		const otherHeadteacher = demoAccount('otherHeadteacher');
		const clusterLead = demoAccount('clusterLead');
		const officer = demoAccount('officer');
		const title = `Speech and language support across Banbury ${Date.now().toString(36)}`;

		// ---------- The cluster lead opens the Banbury workspace and stays there ----------
		await signIn(page, 'clusterLead');
		await expectNoSeriousAxeViolations(page);
		await page.getByRole('main').getByRole('link', { name: /^Banbury/ }).click();
		await expect(page).toHaveURL(/\/clusters\/\d+$/);
		await expect(page.getByRole('heading', { level: 1, name: /^Banbury/ })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const workspacePath = new URL(page.url()).pathname;
		const roundRow = page.getByTestId('rounds').getByRole('row').filter({ hasText: ROUND });
		await expect(roundRow).toHaveCount(1);
		const before = await roundFigures(roundRow);
		const feed = page.getByTestId('activity-feed');
		const feedItem = (text: string) => feed.getByRole('listitem').filter({ hasText: text });
		await markDocument(page);

		// ---------- The SENCO starts a bid from the round page ----------
		const sencoPage = await openPage();
		await signIn(sencoPage, 'senco', { next: workspacePath });
		await expectNoSeriousAxeViolations(sencoPage);
		await sencoPage.getByTestId('rounds').getByRole('link', { name: ROUND }).click();
		await expect(sencoPage.getByRole('heading', { level: 1, name: ROUND })).toBeVisible();
		await expectNoSeriousAxeViolations(sencoPage);
		await expect(sencoPage.getByLabel('Lead setting').locator('option:checked')).toHaveText(DEMO_SETTINGS.banburyPrimary);
		await sencoPage.getByLabel('Title').fill(title);
		await sencoPage.getByRole('button', { name: 'Start a bid' }).click();
		await expect(sencoPage).toHaveURL(/\/bids\/\d+\?done=created$/);
		await expect(sencoPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(sencoPage.getByTestId('bid-status')).toHaveText('Draft');
		await expectNoSeriousAxeViolations(sencoPage);
		const bidPath = new URL(sencoPage.url()).pathname;

		// The workspace counts the new bid and says who started it, without reloading.
		// At least one more: another spec (home) may start a draft in this demo round at the same moment;
		// the feed item below is what names this bid.
		await expect.poll(async () => (await roundFigures(roundRow)).bids).toBeGreaterThanOrEqual(before.bids + 1);
		await expect(feedItem(`started a bid: “${title}”`)).toHaveCount(1);

		await pickBySearch(sencoPage, 'setting', DEMO_SETTINGS.banburySecondary, `${DEMO_SETTINGS.banburySecondary}, Banbury`);
		await sencoPage.getByRole('button', { name: 'Add partner' }).click();
		await expect(sencoPage.getByTestId('bid-partners')).toContainText(DEMO_SETTINGS.banburySecondary);
		await expectNoSeriousAxeViolations(sencoPage);

		// ---------- The partner SENCO opens the same bid: each sees the other, and which section they are in ----------
		const partnerPage = await openPage();
		await signIn(partnerPage, 'partnerSenco', { next: bidPath });
		await expect(partnerPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expectNoSeriousAxeViolations(partnerPage);
		await expect(presenceOf(partnerPage, `${partnerSenco.name} (you)`)).toHaveCount(1);
		await expect(presenceOf(partnerPage, senco.name)).toHaveCount(1);
		await expect(presenceOf(sencoPage, partnerSenco.name)).toHaveCount(1);

		// The SENCO opens "Title and summary": the partner's overview shows her there, in the task list too.
		const sencoSection = await openSection(sencoPage, 'Title and summary');
		await expect(presenceOf(partnerPage, senco.name)).toContainText('In Title and summary');
		await expect(task(partnerPage, 'Title and summary')).toContainText(`${senco.name} is working in this section`);
		const partnerSection = await openSection(partnerPage, 'Evaluation');
		const sencoSummary = sencoSection.getByRole('textbox', { name: 'Summary' });
		const partnerEvaluation = partnerSection.getByLabel('How will you evaluate the bid?');

		// ---------- Both write different sections at once: neither loses anything ----------
		const summaryFirst = 'A speech and language therapist shared by Meadowside and Castlebrook, two days a week.';
		const evaluation = 'Termly speech and language screening of the cohort, and a family survey each summer.';
		await partnerEvaluation.fill(evaluation);
		await sencoSummary.fill(summaryFirst);
		await saveSection(sencoPage, 'Save title and summary', 'Title and summary');
		// The overview's task list says the section is done.
		await expect(task(sencoPage, 'Title and summary')).toContainText('Completed');
		await expect(partnerEvaluation).toHaveValue(evaluation);
		await saveSection(partnerPage, 'Save evaluation', 'Evaluation');
		await expect(task(partnerPage, 'Evaluation')).toContainText('Completed');
		await expectNoSeriousAxeViolations(partnerPage);
		// The SENCO's overview follows the partner's save without reloading.
		await expect(task(sencoPage, 'Evaluation')).toContainText('Completed');

		// ---------- Both change the same section from the same version: the second save must merge ----------
		const sencoAddition = 'It starts with the Reception and Year 7 cohorts.';
		const partnerAddition = 'Castlebrook hosts the therapist on Tuesdays and Thursdays.';
		const sencoAgain = await openSection(sencoPage, 'Title and summary', { axe: false });
		// Checked with axe below, once the clash is on it.
		const partnerOverview = await openSection(partnerPage, 'Title and summary', { axe: false });
		const partnerSummary = partnerOverview.getByRole('textbox', { name: 'Summary' });
		await expect(partnerSummary).toHaveValue(summaryFirst);
		await partnerSummary.fill(`${summaryFirst} ${partnerAddition}`);
		await sencoAgain.getByRole('textbox', { name: 'Summary' }).fill(`${summaryFirst} ${sencoAddition}`);
		await saveSection(sencoPage, 'Save title and summary', 'Title and summary');
		// Told straight away, without losing her typing.
		await expect(partnerOverview).toContainText('Someone else has just saved this section.');
		await expect(partnerSummary).toHaveValue(`${summaryFirst} ${partnerAddition}`);
		await partnerOverview.getByRole('button', { name: 'Save title and summary' }).click();
		await expect(partnerPage.getByRole('alert').filter({ hasText: 'Someone else changed this first' })).toBeVisible();
		await expect(partnerOverview).toContainText('saved “Title and summary” while you were editing');
		await expect(partnerOverview.getByRole('heading', { name: 'Their saved version' })).toBeVisible();
		// Beside her own typing, read-only: the summary as the SENCO saved it.
		await expect(partnerOverview.getByRole('listitem').filter({ hasText: `Summary: ${summaryFirst} ${sencoAddition}` })).toHaveCount(1);
		await expect(partnerSummary).toHaveValue(`${summaryFirst} ${partnerAddition}`);
		await expectNoSeriousAxeViolations(partnerPage);

		const merged = `${summaryFirst} ${sencoAddition} ${partnerAddition}`;
		await partnerSummary.fill(merged);
		await saveSection(partnerPage, 'Save title and summary', 'Title and summary');
		await expect((await openSection(partnerPage, 'Title and summary', { axe: false })).getByRole('textbox', { name: 'Summary' })).toHaveValue(merged);
		await partnerPage.getByRole('link', { name: 'Back to the bid’s overview' }).click();

		// ---------- Every other section the bid needs, each on its own page ----------
		const need = await openSection(sencoPage, 'Need and cohort');
		await need.getByLabel('Communication and interaction').check();
		await need.getByLabel('Primary', { exact: true }).check();
		await need.getByLabel('Secondary', { exact: true }).check();
		await need.getByLabel('Cohort size').fill('36');
		await saveSection(sencoPage, 'Save need and cohort', 'Need and cohort');

		const measures = await openSection(sencoPage, 'Inclusion measures');
		// An outcome box shows only for a measure that is ticked.
		await expect(measures.getByLabel('Intended outcome for IM4')).toBeHidden();
		await measures.getByLabel('IM4 Meeting needs earlier').check();
		await expect(measures.getByLabel('IM4 Meeting needs earlier')).toHaveAttribute('aria-expanded', 'true');
		await measures.getByLabel('Intended outcome for IM4').fill('Speech and language needs identified by the end of the first term.');
		await expect(measures.getByLabel('Intended outcome for IM1')).toBeHidden();
		await saveSection(sencoPage, 'Save inclusion measures', 'Inclusion measures');

		const budget = await openSection(sencoPage, 'Budget');
		const line = (n: number) => budget.getByRole('group', { name: `Budget line ${n}`, exact: true });
		await line(1).getByLabel('Item').fill('Speech and language therapist, two days a week');
		await line(1).getByLabel('Category').selectOption({ label: 'Staffing' });
		await line(1).getByLabel('Cost (£)').fill('22000');
		await line(2).getByLabel('Item').fill('Training for teaching assistants');
		await line(2).getByLabel('Category').selectOption({ label: 'Training' });
		await line(2).getByLabel('Cost (£)').fill('8,000');
		await expect(budget.getByTestId('budget-total')).toContainText(pounds(3_000_000));
		await saveSection(sencoPage, 'Save budget', 'Budget');

		// Each SENCO writes their own setting's pledge.
		const sencoPledges = await openSection(sencoPage, 'Pledges to the pool');
		const leadPledge = sencoPledges.getByRole('group', { name: DEMO_SETTINGS.banburyPrimary, exact: true });
		await leadPledge.getByLabel('Money pledged (£)').fill('4000');
		await leadPledge.getByLabel('Staff hours').fill('20');
		await leadPledge.getByLabel('Whose time, doing what').fill('SENCO time to run the screening');
		await saveSection(sencoPage, 'Save pledges', 'Pledges to the pool');

		const partnerPledges = await openSection(partnerPage, 'Pledges to the pool');
		// Her form shows the lead's pledge as saved: she writes on top of the saved version.
		const leadRowForPartner = partnerPledges.getByRole('group', { name: DEMO_SETTINGS.banburyPrimary, exact: true });
		await expect(leadRowForPartner.getByLabel('Money pledged (£)')).toHaveValue('4000');
		// The lead's pledge is Meadowside's to write: on her form it is read-only, and says whose it is.
		await expect(leadRowForPartner.getByLabel('Money pledged (£)')).toHaveAttribute('readonly', '');
		await expect(leadRowForPartner).toContainText(`Only ${DEMO_SETTINGS.banburyPrimary}’s headteacher or SENCO can change this pledge.`);
		await partnerPledges.getByRole('group', { name: DEMO_SETTINGS.banburySecondary, exact: true }).getByLabel('Money pledged (£)').fill('3000');
		await saveSection(partnerPage, 'Save pledges', 'Pledges to the pool');

		const milestones = await openSection(sencoPage, 'Milestones');
		const milestone = milestones.getByRole('group', { name: 'Milestone 1', exact: true });
		await milestone.getByLabel('Milestone', { exact: true }).fill('Therapist in post and first cohort screened');
		// GOV.UK day / month / year fields, two months ahead.
		const due = new Date(Date.now() + 60 * 86_400_000);
		const dueDate = milestone.getByRole('group', { name: 'Due date' });
		await dueDate.getByLabel('Day').fill(String(due.getUTCDate()));
		await dueDate.getByLabel('Month').fill(String(due.getUTCMonth() + 1));
		await dueDate.getByLabel('Year').fill(String(due.getUTCFullYear()));
		await saveSection(sencoPage, 'Save milestones', 'Milestones');

		// £30,000 less £7,000 pledged: £23,000 from the pot, under the round's £25,000 maximum.
		await expect(sencoPage.getByTestId('bid-requested')).toContainText(pounds(2_300_000));
		await expect(partnerPage.getByTestId('bid-requested')).toContainText(pounds(2_300_000));
		// Only the headteachers' part is missing now: their pledges (the sign-off is the submission's, not a section's).
		const sencoChecklist = sencoPage.getByTestId('bid-checklist');
		await expect(sencoChecklist.getByRole('listitem').filter({ hasText: 'Completed' })).toHaveCount(6);
		await expect(task(sencoPage, 'Pledges to the pool')).toContainText(`${DEMO_SETTINGS.banburyPrimary}'s headteacher has not confirmed its pledge`);
		await expect(task(sencoPage, 'Pledges to the pool')).toContainText(`${DEMO_SETTINGS.banburySecondary}'s headteacher has not confirmed its pledge`);
		await expectNoSeriousAxeViolations(sencoPage);
		// The check page shows the whole bid and what is missing; only the lead's headteacher may sign it off.
		await sencoPage.getByRole('link', { name: 'Check your answers' }).click();
		await expect(sencoPage.getByRole('heading', { level: 1, name: 'Check your answers before signing off the bid' })).toBeVisible();
		const sencoMissing = sencoPage.getByTestId('bid-missing');
		await expect(sencoMissing).toContainText('The lead setting’s headteacher must sign off the bid');
		await expect(sencoMissing.getByRole('link', { name: 'Pledges to the pool' })).toHaveAttribute('href', `${bidPath}/sections/pledges`);
		await expect(sencoPage.getByRole('link', { name: 'Change Title and summary' })).toHaveAttribute('href', `${bidPath}/sections/overview`);
		await expect(sencoPage.getByRole('definition').filter({ hasText: `Summary: ${merged}` })).toHaveCount(1);
		await expect(sencoPage.getByRole('button', { name: 'Sign off and submit' })).toHaveCount(0);
		await expectNoSeriousAxeViolations(sencoPage);
		await sencoPage.context().close();
		await partnerPage.context().close();

		// ---------- The lead headteacher confirms Meadowside's pledge, and cannot submit before Castlebrook does ----------
		const headPage = await openPage();
		await signIn(headPage, 'headteacher', { next: bidPath });
		await expect(headPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expectNoSeriousAxeViolations(headPage);
		const leadConfirm = headPage.getByTestId(/^confirm-pledge-/);
		await expect(leadConfirm).toHaveCount(1);
		await expect(leadConfirm).toContainText(`${DEMO_SETTINGS.banburyPrimary}’s pledge, as saved`);
		await expect(leadConfirm).toContainText(pounds(400_000));
		await leadConfirm.getByRole('button', { name: 'Confirm our pledge' }).click();
		await expect(headPage.getByRole('alert').filter({ hasText: 'Pledge confirmed.' })).toBeVisible();
		await expect(leadConfirm).toContainText('You have confirmed this pledge.');

		await headPage.getByRole('link', { name: 'Check your answers and submit' }).click();
		await expect(headPage.getByRole('heading', { level: 1, name: 'Check your answers before signing off the bid' })).toBeVisible();
		await expectNoSeriousAxeViolations(headPage);
		const headMissing = headPage.getByTestId('bid-missing');
		await expect(headMissing).toContainText(`${DEMO_SETTINGS.banburySecondary}'s headteacher has not confirmed its pledge`);
		await expect(headMissing).not.toContainText('must sign off');
		await headPage.getByLabel(/I have read this version of the bid and sign it off/).check();
		await headPage.getByRole('button', { name: 'Sign off and submit' }).click();
		const problem = headPage.getByRole('alert').filter({ hasText: 'There is a problem' });
		await expect(problem).toBeVisible();
		await expect(problem.getByRole('link', { name: `${DEMO_SETTINGS.banburySecondary}'s headteacher has not confirmed its pledge` })).toBeVisible();
		await expectNoSeriousAxeViolations(headPage);

		const partnerHeadPage = await openPage();
		await signIn(partnerHeadPage, 'partnerHeadteacher', { next: bidPath });
		await expect(partnerHeadPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expectNoSeriousAxeViolations(partnerHeadPage);
		const partnerConfirm = partnerHeadPage.getByTestId(/^confirm-pledge-/);
		await expect(partnerConfirm).toContainText(`${DEMO_SETTINGS.banburySecondary}’s pledge, as saved`);
		await expect(partnerConfirm).toContainText(pounds(300_000));
		await partnerConfirm.getByRole('button', { name: 'Confirm our pledge' }).click();
		await expect(partnerHeadPage.getByRole('alert').filter({ hasText: 'Pledge confirmed.' })).toBeVisible();

		// The lead headteacher's check page empties as the confirmation arrives; then she signs off.
		await expect(headMissing).toContainText('Nothing is missing.');
		await headPage.getByLabel(/I have read this version of the bid and sign it off/).check();
		await headPage.getByRole('button', { name: 'Sign off and submit' }).click();
		await expect(headPage.getByRole('alert').filter({ hasText: 'Bid signed off and submitted.' })).toBeVisible();
		await expect(headPage.getByTestId('bid-status')).toHaveText('Awaiting cluster endorsement');
		// A submitted bid's overview reads as written, with no task list.
		await expect(headPage.getByTestId('bid-text')).toContainText(merged);
		await expectNoSeriousAxeViolations(headPage);
		await headPage.context().close();

		// The workspace shows the submission and the round's requested figure, live.
		await expect(feedItem(`“${title}” was submitted for cluster endorsement, requesting ${pounds(2_300_000)}`)).toHaveCount(1);
		await expect.poll(async () => (await roundFigures(roundRow)).requested).toBe(before.requested + 2_300_000);

		// ---------- Two Banbury settings outside the bid endorse: Pathways, then Orchard Fields (the cluster lead's school) ----------
		// The partner's headteacher has no say in a bid his own setting is part of: no form, and the page says why.
		await expect(partnerHeadPage.getByTestId('bid-status')).toHaveText('Awaiting cluster endorsement');
		await expect(partnerHeadPage.getByRole('group', { name: `${DEMO_SETTINGS.banburySecondary}’s view on version 1` })).toHaveCount(0);
		await expect(partnerHeadPage.getByRole('button', { name: 'Send our view' })).toHaveCount(0);
		await expect(partnerHeadPage.getByTestId('endorsement-rule')).toContainText(/2 of \d+ other settings must endorse/);
		await expect(partnerHeadPage.getByTestId('endorsement-rule')).toContainText('The bid’s own settings (the lead and its partners) do not endorse or object');
		await expectNoSeriousAxeViolations(partnerHeadPage);

		const otherHeadPage = await openPage();
		await signIn(otherHeadPage, 'otherHeadteacher', { next: bidPath });
		await expect(otherHeadPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
		const pathwaysView = otherHeadPage.getByRole('group', { name: `${DEMO_SETTINGS.banburyPathways}’s view on version 1` });
		await pathwaysView.getByRole('radio', { name: 'Endorse' }).check();
		await otherHeadPage.getByRole('button', { name: 'Send our view' }).click();
		await expect(otherHeadPage.getByRole('alert').filter({ hasText: 'Your setting’s view has been recorded.' })).toBeVisible();
		await expect(otherHeadPage.getByTestId('endorsement-count')).toContainText('1 of 2 endorsements needed');
		await expect(otherHeadPage.getByTestId('bid-status')).toHaveText('Awaiting cluster endorsement');
		await expectNoSeriousAxeViolations(otherHeadPage);
		await otherHeadPage.context().close();

		const leadPage = await openPage();
		await signIn(leadPage, 'clusterLead', { next: bidPath });
		await expect(leadPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(leadPage.getByTestId('endorsement-count')).toContainText('1 of 2 endorsements needed');
		await expectNoSeriousAxeViolations(leadPage);
		const orchardView = leadPage.getByRole('group', { name: `${DEMO_SETTINGS.banburyLeadPrimary}’s view on version 1` });
		const orchardForm = leadPage.locator('form').filter({ has: orchardView });
		await orchardView.getByRole('radio', { name: 'Endorse' }).check();
		await orchardForm.getByLabel('Reason').fill('Orchard Fields will refer pupils to the shared therapist.');
		await orchardForm.getByRole('button', { name: 'Send our view' }).click();
		await expect(leadPage.getByRole('alert').filter({ hasText: 'Your setting’s view has been recorded.' })).toBeVisible();
		await expect(leadPage.getByTestId('endorsement-count')).toContainText('2 of 2 endorsements needed');
		await expect(leadPage.getByTestId('bid-status')).toHaveText('With council officers');
		// The partner headteacher's open page follows, live.
		await expect(partnerHeadPage.getByTestId('bid-status')).toHaveText('With council officers');
		await expectNoSeriousAxeViolations(leadPage);
		await leadPage.context().close();
		await partnerHeadPage.context().close();
		await expect(feedItem(`The cluster endorsed “${title}”; it is now with council officers`)).toHaveCount(1);

		// ---------- The officer approves part of it, with conditions ----------
		const officerPage = await openPage();
		await signIn(officerPage, 'officer', { next: bidPath });
		await expect(officerPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(officerPage.getByTestId('bid-status')).toHaveText('With council officers');
		await expectNoSeriousAxeViolations(officerPage);
		const decision = officerPage.getByRole('region', { name: 'Officer decision' });
		await expect(decision).toContainText(`The bid requests ${pounds(2_300_000)}.`);
		await decision.getByRole('radio', { name: 'Approve' }).check();
		await decision.getByLabel('Amount approved (£)').fill('20000');
		const conditions = 'Report the screening results to the cluster each term.';
		const reason = 'A strong joint bid; the training line is funded from the settings’ own budgets.';
		await decision.getByLabel('Conditions').fill(conditions);
		await decision.getByLabel(/^Reason/).fill(reason);
		await decision.getByRole('button', { name: 'Record decision' }).click();
		await expect(officerPage.getByRole('alert').filter({ hasText: 'Decision recorded.' })).toBeVisible();
		await expect(officerPage.getByTestId('bid-status')).toHaveText('Approved');
		await expect(officerPage.getByTestId('bid-approved')).toHaveText(pounds(2_000_000));
		const decided = officerPage.getByTestId('decision');
		await expect(decided).toContainText(`Approved: ${pounds(2_000_000)} of ${pounds(2_300_000)} requested (in part)`);
		await expect(decided).toContainText(conditions);
		await expect(decided).toContainText(reason);

		// The timeline says who did each step.
		const timeline = officerPage.getByTestId('timeline').getByRole('listitem');
		await expect(timeline.filter({ hasText: `${senco.name} started the bid` })).toHaveCount(1);
		await expect(timeline.filter({ hasText: `${headteacher.name} signed off and submitted the bid for cluster endorsement (version 1)` })).toHaveCount(1);
		await expect(timeline.filter({ hasText: `${otherHeadteacher.name} endorsed the bid for their setting` })).toHaveCount(1);
		await expect(timeline.filter({ hasText: `${clusterLead.name} endorsed the bid for their setting` })).toHaveCount(1);
		await expect(timeline.filter({ hasText: `${clusterLead.name} gave the endorsement the cluster needed` })).toHaveCount(1);
		await expect(timeline.filter({ hasText: `${officer.name} approved the bid` })).toContainText(reason);
		// Newest first.
		await expect(timeline.first()).toContainText(`${officer.name} approved the bid`);
		await expectNoSeriousAxeViolations(officerPage);

		// ---------- The workspace's figures follow the approval without reloading ----------
		await expect(feedItem(`“${title}” was approved in part: ${pounds(2_000_000)}`)).toHaveCount(1);
		await expect.poll(async () => roundFigures(roundRow)).toEqual({
			pot: before.pot,
			requested: before.requested + 2_300_000,
			approved: before.approved + 2_000_000,
			remaining: before.remaining - 2_000_000,
			bids: expect.any(Number)
		});
		expect((await roundFigures(roundRow)).bids).toBeGreaterThanOrEqual(before.bids + 1);
		await expectNotReloaded(page);
		await expectNoSeriousAxeViolations(page);

		// ---------- The officer exports the round for Schools Forum ----------
		await officerPage.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: ROUND }).click();
		await expect(officerPage.getByRole('heading', { level: 1, name: ROUND })).toBeVisible();
		await expect(officerPage.getByTestId('round-approved')).toHaveText(pounds(before.approved + 2_000_000));
		await expect(officerPage.getByTestId('round-remaining')).toHaveText(pounds(before.remaining - 2_000_000));
		await expect(officerPage.getByTestId('round-bids').getByRole('row').filter({ hasText: title })).toContainText('Approved');
		await expectNoSeriousAxeViolations(officerPage);
		const [download] = await Promise.all([officerPage.waitForEvent('download'), officerPage.getByRole('link', { name: /^Download submitted bids \(CSV\)/ }).click()]);
		expect(download.suggestedFilename()).toMatch(/^round-\d+-banbury-pooled-fund-2026-27-bids\.csv$/);
		const csv = await readFile(await download.path(), 'utf8');
		const bidLine = csv.split('\r\n').find((row) => row.includes(title));
		expect(bidLine, `a row for “${title}” in the CSV`).toBeDefined();
		expect(bidLine).toContain('20000.00');
		expect(bidLine).toContain('23000.00');
		expect(bidLine).toContain('Approved');
		// Read back with a real CSV parser: the decision is there with who made it.
		const [header, ...records] = parse(csv, { bom: true, relax_column_count: false }) as string[][];
		const bidRecord = records.find((record) => record[header.indexOf('Title')] === title);
		expect(bidRecord?.[header.indexOf('Decided by')]).toBeTruthy();
		expect(bidRecord?.[header.indexOf('Locality')]).toBe('Banbury');
		expect(records.every((record) => record[header.indexOf('Status')] !== 'Draft')).toBe(true);
	});
});
