import {
	PANEL_ROLE_LABELS,
	ROUTE_LABELS,
	type Answer,
	type Category,
	type DisputePeriods,
	type PanelRole,
	type Period,
	type QuorumRule,
	type Route
} from '$lib/disputes/model';
import { endOfPeriod, type DisputeCalendar } from './calendar';

// The panels' pure rules: where a referral goes and by when, which deadlines a case carries,
// who may sit, when a panel is quorate, and how the candidate slots rank. Every period and the
// quorum come from the district's settings, passed in; none is written here.

// ---------------------------------------------------------------------------------------------
// Triage and statutory deadlines

/** What triage reads from a referral: the least it needs. */
export interface TriageInput {
	category: Category;
	/** The London date the referral was recorded. */
	intakeDate: string;
	/** The date on the decision letter the family received, if there is one. */
	decisionLetterDate: string | null;
	safeguarding: boolean;
}

export type DeadlineKey = 'exclusion_review' | 'transport_review' | 'mediation_adviser' | 'tribunal_appeal' | 'discrimination_claim' | 'safeguarding';

/** A date the family (or the officer) must act by, with where it comes from. */
export interface Deadline {
	key: DeadlineKey;
	/** What must be done by then, in words for a family. */
	what: string;
	due: string;
	/** The date the period runs from. */
	from: string;
	period: Period | null;
	note?: string;
}

export interface Triage {
	route: Route;
	/** Whether a panel can hear it; otherwise the route is where the family goes instead. */
	heardByPanel: boolean;
	routeWords: string;
	deadlines: Deadline[];
	/** A routed-out category whose deadline needs the decision letter's date, which was not given. */
	needsLetterDate: boolean;
}

const ROUTE_OF: Partial<Record<Category, Route>> = {
	exclusion: 'exclusion_review',
	transport: 'transport_review',
	ehc_decision: 'mediation_tribunal',
	disability_discrimination: 'discrimination_tribunal'
};

const periodWords = (period: Period) => {
	const unit = { months: 'month', calendar: 'day', working: 'working day', school: 'school day' }[period.unit];
	return `${period.count} ${unit}${period.count === 1 ? '' : 's'}`;
};

/**
 * Every statutory deadline a case carries from its decision letter, whatever route it takes, so
 * waiting for a panel never costs a family its right of appeal.
 */
export function statutoryDeadlines(category: Category, letterDate: string | null, periods: DisputePeriods, calendar: DisputeCalendar): Deadline[] {
	if (!letterDate) return [];
	const deadline = (key: DeadlineKey, what: string, period: Period, note?: string): Deadline => ({
		key,
		what,
		due: endOfPeriod(letterDate, period, calendar),
		from: letterDate,
		period,
		...(note ? { note } : {})
	});
	switch (category) {
		case 'exclusion':
			return [
				deadline(
					'exclusion_review',
					'Ask for an independent review panel',
					periods.exclusionReview,
					`Within ${periodWords(periods.exclusionReview)} of the governing board’s decision letter.`
				)
			];
		case 'transport':
			return [deadline('transport_review', 'Ask the council to review its transport decision', periods.transportReview)];
		case 'ehc_decision':
			return [
				deadline('mediation_adviser', 'Contact a mediation adviser (needed before an appeal)', periods.mediationAdviser),
				deadline(
					'tribunal_appeal',
					'Appeal to the First-tier Tribunal (SEND)',
					periods.tribunalAfterDecision,
					`Or ${periodWords(periods.tribunalAfterCertificate)} from the mediation certificate, if that is later.`
				)
			];
		case 'disability_discrimination':
			return [deadline('discrimination_claim', 'Bring a disability discrimination claim to the Tribunal', periods.discriminationClaim)];
		default:
			return [];
	}
}

/** The Tribunal's deadline once a mediation certificate is issued: the later of the two periods. */
export function tribunalDeadline(letterDate: string, certificateDate: string | null, periods: DisputePeriods, calendar: DisputeCalendar): string {
	const afterDecision = endOfPeriod(letterDate, periods.tribunalAfterDecision, calendar);
	if (!certificateDate) return afterDecision;
	const afterCertificate = endOfPeriod(certificateDate, periods.tribunalAfterCertificate, calendar);
	return afterCertificate > afterDecision ? afterCertificate : afterDecision;
}

/**
 * Where a referral goes. A panel never hears what has its own statutory route; a safeguarding
 * concern goes to the designated safeguarding lead the same day, whatever else happens.
 */
export function triage(input: TriageInput, periods: DisputePeriods, calendar: DisputeCalendar): Triage {
	const route = ROUTE_OF[input.category] ?? 'panel';
	const deadlines = statutoryDeadlines(input.category, input.decisionLetterDate, periods, calendar);
	if (input.safeguarding) {
		deadlines.unshift({
			key: 'safeguarding',
			what: 'Tell the designated safeguarding lead',
			due: input.intakeDate,
			from: input.intakeDate,
			period: null,
			note: 'At once, whatever else happens to the referral.'
		});
	}
	return {
		route,
		heardByPanel: route === 'panel',
		routeWords: ROUTE_LABELS[route],
		deadlines,
		needsLetterDate: route !== 'panel' && !input.decisionLetterDate
	};
}

// ---------------------------------------------------------------------------------------------
// Who may sit, and quorum

/** A member of a district's pool, with what independence and conflicts are checked against. */
export interface PoolMember {
	userId: number;
	name: string;
	roles: readonly PanelRole[];
	/** Employed by the council: never sits on a panel in any role (Code of Practice 11.6). */
	councilEmployee: boolean;
	/** Settings they work at or govern. */
	settingIds: readonly number[];
	/** Trusts they work for or govern. */
	trustNames: readonly string[];
}

/** What a case says about conflicts. */
export interface CaseConflicts {
	settingId: number | null;
	trustName: string | null;
	/** SENDIASS workers who advised the family on this case. */
	advisedBy: readonly number[];
	/** Members who declared a conflict with this case. */
	declared: readonly number[];
}

export type Eligibility = { eligible: true } | { eligible: false; reason: string };

/** Whether a member may sit on a case, and if not, why (the first reason that applies). */
export function eligibility(member: PoolMember, conflicts: CaseConflicts): Eligibility {
	if (member.councilEmployee) return { eligible: false, reason: 'Employed by the council, so cannot sit on a panel in any role' };
	if (conflicts.advisedBy.includes(member.userId)) return { eligible: false, reason: 'Advised the family on this case' };
	if (conflicts.settingId !== null && member.settingIds.includes(conflicts.settingId)) return { eligible: false, reason: 'Works at or governs the setting in this case' };
	if (conflicts.trustName && member.trustNames.some((trust) => trust.trim().toLowerCase() === conflicts.trustName!.trim().toLowerCase())) {
		return { eligible: false, reason: 'Works for or governs the trust in this case' };
	}
	if (conflicts.declared.includes(member.userId)) return { eligible: false, reason: 'Declared a conflict with this case' };
	return { eligible: true };
}

export interface Quorum {
	quorate: boolean;
	/** Who fills each required seat (the chair first), as far as it could be filled. */
	seats: { role: PanelRole; userId: number | null }[];
	/** What is missing, in words ("Parent-carer representative", "1 more member"). */
	missing: string[];
}

/**
 * Whether these members (all eligible) make a quorum under the rule: a different person in each
 * required seat, and enough people in all. Panels are small, so every way of filling the seats is
 * tried (the first member listed is preferred for a seat, so callers list "yes" before "if need be").
 */
export function quorum(members: readonly PoolMember[], rule: QuorumRule): Quorum {
	const required: PanelRole[] = [...(rule.chairRequired ? (['chair'] as const) : []), ...rule.requiredRoles];
	let best: (number | null)[] = required.map(() => null);
	let bestFilled = -1;
	const chosen: (number | null)[] = [];
	const used = new Set<number>();
	const fill = (seat: number): boolean => {
		if (seat === required.length) {
			const filled = chosen.filter((id) => id !== null).length;
			if (filled > bestFilled) {
				bestFilled = filled;
				best = [...chosen];
			}
			return filled === required.length;
		}
		for (const member of members) {
			if (used.has(member.userId) || !member.roles.includes(required[seat])) continue;
			used.add(member.userId);
			chosen.push(member.userId);
			const done = fill(seat + 1);
			chosen.pop();
			used.delete(member.userId);
			if (done) return true;
		}
		chosen.push(null);
		const done = fill(seat + 1);
		chosen.pop();
		return done;
	};
	fill(0);
	const missing = required.filter((_, seat) => best[seat] === null).map((role) => PANEL_ROLE_LABELS[role]);
	// Each empty seat needs one more person; beyond those, the rule may ask for more people still.
	const short = rule.minimumMembers - members.length - missing.length;
	if (short > 0) missing.push(`${short} more member${short === 1 ? '' : 's'}`);
	return { quorate: missing.length === 0, seats: required.map((role, seat) => ({ role, userId: best[seat] })), missing };
}

// ---------------------------------------------------------------------------------------------
// Ranking candidate slots

export interface CandidateSlot {
	slotId: number;
	/** ISO instant; earlier slots rank first among equals. */
	startsAt: string;
	/** Each member's answer; members who have not answered are absent. */
	answers: ReadonlyMap<number, Answer>;
}

export interface RankedSlot {
	slotId: number;
	startsAt: string;
	quorate: boolean;
	/** Quorate with "yes" answers alone, or only by counting "if need be". */
	needsIfNeedBe: boolean;
	yes: number;
	ifNeedBe: number;
	/** Required seats filled (the chair and the required roles), counting "if need be". */
	seatsFilled: number;
	missing: string[];
}

/**
 * The slots in the order to book them: quorate on "yes" alone, then quorate counting "if need be",
 * then the rest (most seats filled first); within each, more "yes", fewer "if need be", earlier.
 * Only eligible members count: a conflicted or council-employed member's answer is left out.
 */
export function rankSlots(slots: readonly CandidateSlot[], pool: readonly PoolMember[], conflicts: CaseConflicts, rule: QuorumRule): RankedSlot[] {
	const eligible = pool.filter((member) => eligibility(member, conflicts).eligible);
	const ranked = slots.map((slot): RankedSlot => {
		const sayYes = eligible.filter((member) => slot.answers.get(member.userId) === 'yes');
		const sayMaybe = eligible.filter((member) => slot.answers.get(member.userId) === 'if_need_be');
		const onYes = quorum(sayYes, rule);
		const withMaybe = onYes.quorate ? onYes : quorum([...sayYes, ...sayMaybe], rule);
		return {
			slotId: slot.slotId,
			startsAt: slot.startsAt,
			quorate: withMaybe.quorate,
			needsIfNeedBe: !onYes.quorate && withMaybe.quorate,
			yes: sayYes.length,
			ifNeedBe: sayMaybe.length,
			seatsFilled: withMaybe.seats.filter((seat) => seat.userId !== null).length,
			missing: withMaybe.missing
		};
	});
	const tier = (slot: RankedSlot) => (!slot.quorate ? 2 : slot.needsIfNeedBe ? 1 : 0);
	return ranked.sort(
		(a, b) =>
			tier(a) - tier(b) ||
			b.seatsFilled - a.seatsFilled ||
			b.yes - a.yes ||
			a.ifNeedBe - b.ifNeedBe ||
			(a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : a.slotId - b.slotId)
	);
}

/** Whether a slot may be booked: refused, with the reason, unless its panel is quorate. */
export function bookingProblem(slot: RankedSlot | undefined): string | null {
	if (!slot) return 'That slot is not one of this case’s candidate slots.';
	if (!slot.quorate) return `That slot does not make a quorum: missing ${slot.missing.join(', ')}.`;
	return null;
}
