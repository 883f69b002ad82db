import type { Category, OtherParty, Period } from '$lib/disputes/model';
import type { EscalationRoute, EscalationStep, OutcomePeriods } from '$lib/disputes/outcome';
import { addCalendarDays, addMonths, endOfPeriod, type DisputeCalendar } from './calendar';

// The outcome part's rules, pure so they are tested without a database: which escalation route an
// unresolved case takes and its dates, when a case is flagged, when a closed case may be
// anonymised, and what anonymising leaves. Every period comes from the district's settings.

/** The escalation route, keyed on who the disagreement is with (an EHC matter always goes to mediation and the Tribunal). */
export function escalationRoute(otherParty: OtherParty, category: Category): EscalationRoute {
	if (category === 'ehc_decision' || (otherParty === 'council' && category === 'plan_delivery')) return 'ehc';
	switch (otherParty) {
		case 'maintained_school':
			return 'school';
		case 'academy':
		case 'fe_college':
			return 'academy';
		case 'council':
			return 'council';
		case 'health':
			return 'health';
	}
}

/**
 * The route's steps with their dates, each counted from the one before (the first from the
 * outcome's date), with the district's calendar: school days skip holidays and weekends and
 * count only in term, working days skip weekends and bank holidays.
 */
export function escalationSteps(route: EscalationRoute, outcomeOn: string, periods: OutcomePeriods, calendar: DisputeCalendar): EscalationStep[] {
	const plans: Record<EscalationRoute, [string, string, Period][]> = {
		school: [
			['setting_complaint', 'The school answers a formal complaint under its complaints procedure', periods.settingComplaint],
			['board_complaint', 'The governing board’s complaints panel decides', periods.boardComplaint]
		],
		academy: [
			['setting_complaint', 'The academy answers a formal complaint under its complaints procedure', periods.settingComplaint],
			['board_complaint', 'The trust’s complaints panel decides', periods.boardComplaint],
			['dfe_complaint', 'Take the complaint to the Department for Education', periods.dfeComplaint]
		],
		council: [
			['council_complaint', 'The council answers a complaint under its complaints procedure', periods.councilComplaint],
			['ombudsman', 'Take the complaint to the Local Government and Social Care Ombudsman', periods.ombudsman]
		],
		ehc: [
			['mediation_adviser', 'Contact a mediation adviser (needed before an appeal)', periods.mediationAdviser],
			['tribunal_appeal', 'Appeal to the First-tier Tribunal (SEND) after the mediation certificate', periods.tribunalAfterCertificate]
		],
		health: [
			['nhs_complaint', 'The NHS answers a complaint under its complaints procedure', periods.nhsComplaint],
			['ombudsman', 'Take the complaint to the Parliamentary and Health Service Ombudsman', periods.ombudsman]
		]
	};
	const plan = plans[route];
	const steps: EscalationStep[] = [];
	let from = outcomeOn;
	for (const [key, what, period] of plan) {
		const due = endOfPeriod(from, period, calendar);
		steps.push({ key, what, due });
		from = due;
	}
	return steps;
}

/** The date of the follow-up check. */
export const followUpDate = (outcomeOn: string, periods: OutcomePeriods, calendar: DisputeCalendar) => endOfPeriod(outcomeOn, periods.followUp, calendar);

/** Whether a target or deadline due on `due` is past, approaching (within the warning) or neither, on `today`. */
export function flagLevel(due: string, today: string, periods: OutcomePeriods, calendar: DisputeCalendar): 'past' | 'approaching' | null {
	if (due < today) return 'past';
	return endOfPeriod(today, periods.approachingWarning, calendar) >= due ? 'approaching' : null;
}

/** When a case ending on `endedOn` may be anonymised: the end plus the retention period (in months or days). */
export function anonymiseFrom(endedOn: string, retention: Period): string {
	if (retention.unit === 'months') return addMonths(endedOn, retention.count);
	// Retention is a long, plain span: counted on the calendar whatever unit is kept.
	return addCalendarDays(endedOn, retention.count);
}

export interface RetentionCandidate {
	status: string;
	endedOn: string;
	legalHold: string | null;
	anonymised: boolean;
}

/** Why a case is not anonymised today, or null when it is due. */
export function retentionBlock(candidate: RetentionCandidate, today: string, retention: Period): string | null {
	if (candidate.anonymised) return 'Already anonymised';
	if (candidate.status !== 'closed' && candidate.status !== 'withdrawn') return 'Still open';
	if (candidate.legalHold) return 'A legal hold stands';
	if (anonymiseFrom(candidate.endedOn, retention) > today) return 'Still within the retention period';
	return null;
}

/** The audit detail's keys that are figures or ids, kept when a case is anonymised; everything else goes. */
export const KEPT_DETAIL_KEYS = ['route', 'result', 'party', 'version', 'count', 'actions', 'rating', 'status', 'hold'] as const;

/**
 * An audit entry's detail with everything but figures and codes removed (free text, names, dates).
 * The summary stays: the portal writes it and names the case by reference only.
 */
export function anonymisedDetail(detail: Record<string, unknown>): Record<string, unknown> {
	const kept: Record<string, unknown> = typeof detail.summary === 'string' ? { summary: detail.summary } : {};
	for (const key of KEPT_DETAIL_KEYS) {
		const value = detail[key];
		if (typeof value === 'number' || typeof value === 'boolean') kept[key] = value;
		else if (typeof value === 'string' && /^[a-z_]{1,40}$/.test(value)) kept[key] = value;
	}
	return kept;
}
