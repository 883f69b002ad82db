import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan, can } from '../policy';
import { parseInput } from '../input';
import { transact } from '../work';
import { invalid } from '../errors';
import { ukToday } from '$lib/dates';
import { themePassSchema } from '$lib/schemas/disputes-settings';
import { CATEGORIES, CATEGORY_LABELS, type Category } from '$lib/disputes/model';
import { QUARTER_LABELS, financialYearBounds } from '$lib/disputes/report';
import { loadProposal, lockGroup } from '../pcf/proposals';
import { recordFeedbackPoint } from '../pcf/commands/advice';
import { districtRef } from './cases';
import { disputesReport, type DisputesReport } from './report';

// Anonymised themes from the panels to the Parent Carer Forum's "you said, we did": a district's
// SENDIASS officer passes one cell of the governance figures (a category, a quarter, its count),
// as aggregated feedback on one of the district's open consultations, through the forum's own
// feedback command. Only a count the report shows can pass: a hidden (small) count cannot, and the
// text is the portal's own words, never a case reference, a name or anything written about a case.

export const THEME_SOURCE = 'dispute_panels';

export type Theme = { ok: true; count: number; body: string; heardOn: string } | { ok: false; message: string };

/** The last day of a financial quarter (0 to 3) of a year. */
export function quarterEnd(year: number, quarter: number): string {
	return [`${year}-06-30`, `${year}-09-30`, `${year}-12-31`, financialYearBounds(year).to][quarter];
}

/** The theme one category and quarter of a suppressed report makes, or why it cannot be passed on. Pure. */
export function themeFromReport(report: DisputesReport, category: Category, quarter: number, today: string): Theme {
	const figure = report.figures.find((f) => f.id === 'categories');
	const row = CATEGORIES.indexOf(category);
	const count = figure?.table.cells[row]?.[quarter];
	if (count === undefined) return { ok: false, message: 'Choose a category and quarter from the lists.' };
	if (count === null) return { ok: false, message: `That count is hidden because it is fewer than ${report.threshold} (or would reveal one that is), so it cannot be passed on.` };
	if (count === 0) return { ok: false, message: 'There were no referrals about that in that quarter.' };
	const end = quarterEnd(report.year, quarter);
	return {
		ok: true,
		count,
		heardOn: end < today ? end : today,
		body: `${count} referrals to ${report.district.name}’s dispute-resolution panels in ${QUARTER_LABELS[quarter]} ${report.yearWords} were about: ${CATEGORY_LABELS[category]}.`
	};
}

export interface ThemeTarget {
	id: number;
	title: string;
	closesOn: string;
}

/** The district's open consultations a theme can inform, for those who may pass themes (none for anyone else). */
export async function themeTargets(db: Database, actor: Actor | null, districtId: number): Promise<ThemeTarget[]> {
	const district = await districtRef(db, districtId);
	if (!can(actor, { action: 'disputes.theme.pass', district }).allowed) return [];
	return db
		.selectFrom('pcf_consultation')
		.select(['id', 'title', 'closes_on as closesOn'])
		.where('district_id', '=', district.id)
		.where('status', '=', 'open')
		.where('closes_on', '>=', ukToday())
		.orderBy('closes_on')
		.orderBy('id')
		.limit(50)
		.execute();
}

/**
 * Passes one anonymised theme to the forum as aggregated feedback on a consultation. The count is
 * read from the suppressed report (the same small-number rule as the page); passing the same
 * theme to the same consultation again does nothing.
 */
export async function passDisputeTheme(db: Database, actor: Actor | null, raw: unknown, now = new Date()): Promise<{ pointId: number; passed: boolean }> {
	const input = parseInput(themePassSchema, raw);
	const district = await districtRef(db, input.districtId);
	assertCan(actor, { action: 'disputes.theme.pass', district });
	const report = await disputesReport(db, actor, { district: district.id, year: input.year }, now);
	const theme = themeFromReport(report, input.category, input.quarter - 1, ukToday());
	if (!theme.ok) throw invalid(theme.message, { category: [theme.message] });
	return transact(db, actor.id, async (work) => {
		const proposal = await loadProposal(work.trx, { consultationId: input.consultationId });
		if (proposal.districtId !== district.id) throw invalid(`Choose one of ${district.name}’s consultations.`, { consultationId: [`Choose one of ${district.name}’s consultations`] });
		if (proposal.closed) throw invalid('That consultation has closed, so it takes no more feedback.', { consultationId: ['Choose an open consultation'] });
		// The forum group's lock, taken before looking, so two clicks at once still pass one point.
		await lockGroup(work.trx, proposal.districtId);
		const already = await work.trx
			.selectFrom('pcf_point')
			.select('id')
			.where('consultation_id', '=', proposal.id)
			.where('source', '=', THEME_SOURCE)
			.where('body', '=', theme.body)
			.executeTakeFirst();
		if (already) return { pointId: already.id, passed: false };
		const pointId = await recordFeedbackPoint(work, proposal, { source: THEME_SOURCE, body: theme.body, heardOn: theme.heardOn, raisedCount: theme.count, themeIds: [] });
		await work.record({
			action: 'disputes.theme_passed',
			subject: { type: 'dispute_district', id: district.id },
			summary: `Passed an anonymised theme from ${district.name}’s dispute panels to the Parent Carer Forum (“${proposal.title}”): ${theme.body}`,
			detail: { pointId, consultationId: proposal.id, category: input.category, quarter: input.quarter, year: input.year, count: theme.count }
		});
		return { pointId, passed: true };
	});
}
