// The stages an inclusion-base application moves through, and which moves each process type
// allows. Pure rules (no database, no people): who may make a move is the policy's question,
// whether the move exists from this stage is this file's. Commands ask `moveFor` under the row
// lock and refuse with its reason; pages ask `movesFrom` to offer only what can happen next.
import type { CapitalProcess } from './model';

export const APPLICATION_STAGES = [
	'draft',
	'submitted',
	'more_information',
	'withdrawn',
	'in_assessment',
	'recommended',
	'not_recommended',
	'board_endorsed',
	'approved_in_principle',
	'approved',
	'deferred',
	'declined',
	'feasibility',
	'statutory',
	'agreement',
	'grant_offered',
	'grant_accepted',
	'claimed',
	'in_delivery',
	'open'
] as const;
export type ApplicationStage = (typeof APPLICATION_STAGES)[number];

export const STAGE_LABELS: Record<ApplicationStage, string> = {
	draft: 'Draft',
	submitted: 'Submitted',
	more_information: 'More information asked for',
	withdrawn: 'Withdrawn',
	in_assessment: 'Being assessed',
	recommended: 'Recommended',
	not_recommended: 'Not recommended',
	board_endorsed: 'Endorsed by the capital board',
	approved_in_principle: 'Approved in principle',
	approved: 'Approved',
	deferred: 'Deferred',
	declined: 'Declined',
	feasibility: 'Feasibility',
	statutory: 'Statutory steps',
	agreement: 'Funding agreement',
	grant_offered: 'Grant offered',
	grant_accepted: 'Grant accepted',
	claimed: 'Claimed',
	in_delivery: 'In delivery',
	open: 'Open'
};

/** The stages an application ends in without going ahead (no move leads out of them); its evidence is kept only for a while after. */
export const CLOSED_STAGES = ['withdrawn', 'declined'] as const satisfies readonly ApplicationStage[];
export const isClosedStage = (stage: ApplicationStage): boolean => CLOSED_STAGES.some((closed) => closed === stage);

export function isApplicationStage(value: unknown): value is ApplicationStage {
	return typeof value === 'string' && APPLICATION_STAGES.some((stage) => stage === value);
}

/** Where an application stands in the places pipeline the sufficiency dashboard counts. */
export type PipelinePhase = 'applying' | 'approved' | 'in_delivery' | 'open' | 'ended';
export const PIPELINE_PHASE: Record<ApplicationStage, PipelinePhase> = {
	draft: 'applying',
	submitted: 'applying',
	more_information: 'applying',
	in_assessment: 'applying',
	recommended: 'applying',
	not_recommended: 'applying',
	board_endorsed: 'applying',
	deferred: 'applying',
	withdrawn: 'ended',
	declined: 'ended',
	approved_in_principle: 'approved',
	approved: 'approved',
	feasibility: 'approved',
	statutory: 'approved',
	agreement: 'approved',
	grant_offered: 'approved',
	grant_accepted: 'approved',
	claimed: 'in_delivery',
	in_delivery: 'in_delivery',
	open: 'open'
};

/** Stages before any decision: the applicant may withdraw, nobody has committed money. */
export const BEFORE_DECISION: readonly ApplicationStage[] = [
	'draft',
	'submitted',
	'more_information',
	'in_assessment',
	'recommended',
	'not_recommended',
	'board_endorsed',
	'deferred'
];

/** Stages where the applicant's sections can be edited. */
export const EDITABLE: readonly ApplicationStage[] = ['draft', 'more_information'];

export const APPLICATION_MOVES = [
	'submit',
	'withdraw',
	'ask_for_information',
	'start_assessment',
	'offer_grant',
	'accept_grant',
	'end_offer',
	'claim',
	'approve',
	'defer',
	'recommend',
	'not_recommend',
	'endorse_at_board',
	'approve_in_principle',
	'decline',
	'start_feasibility',
	'start_statutory',
	'issue_agreement',
	'start_delivery',
	'open'
] as const;
export type ApplicationMove = (typeof APPLICATION_MOVES)[number];

export const MOVE_LABELS: Record<ApplicationMove, string> = {
	submit: 'Submit',
	withdraw: 'Withdraw',
	ask_for_information: 'Ask for more information',
	start_assessment: 'Start assessment',
	offer_grant: 'Offer the grant',
	accept_grant: 'Accept the grant',
	end_offer: 'Withdraw the offer or record that it lapsed',
	claim: 'Claim the grant',
	approve: 'Approve',
	defer: 'Defer',
	recommend: 'Recommend',
	not_recommend: 'Do not recommend',
	endorse_at_board: 'Record the capital board’s endorsement',
	approve_in_principle: 'Record the Sufficiency Board’s approval in principle',
	decline: 'Decline',
	start_feasibility: 'Start feasibility',
	start_statutory: 'Start statutory steps',
	issue_agreement: 'Issue the funding agreement',
	start_delivery: 'Start delivery',
	open: 'Record the base as open'
};

type Move = { from: readonly ApplicationStage[]; to: ApplicationStage };

// One table per process. Withdrawing, submitting and asking for more are the same for all three.
const COMMON: Partial<Record<ApplicationMove, Move>> = {
	submit: { from: ['draft', 'more_information'], to: 'submitted' },
	withdraw: { from: BEFORE_DECISION, to: 'withdrawn' },
	ask_for_information: { from: ['submitted', 'in_assessment'], to: 'more_information' },
	start_assessment: { from: ['submitted'], to: 'in_assessment' }
};
const FLOWS: Record<CapitalProcess, Partial<Record<ApplicationMove, Move>>> = {
	// Grant: one assessor, a grant letter, accepted, claimed with evidence of spend, open.
	grant: {
		...COMMON,
		offer_grant: { from: ['in_assessment'], to: 'grant_offered' },
		decline: { from: ['in_assessment'], to: 'declined' },
		accept_grant: { from: ['grant_offered'], to: 'grant_accepted' },
		// A withdrawn or lapsed offer releases its money; the application can be offered again or declined.
		end_offer: { from: ['grant_offered', 'grant_accepted'], to: 'in_assessment' },
		claim: { from: ['grant_accepted'], to: 'claimed' },
		open: { from: ['claimed'], to: 'open' }
	},
	// Rollout: a readiness and phasing assessment that sets the year and band; not a ranking.
	rollout: {
		...COMMON,
		approve: { from: ['in_assessment'], to: 'approved' },
		defer: { from: ['in_assessment'], to: 'deferred' },
		start_delivery: { from: ['approved'], to: 'in_delivery' },
		open: { from: ['in_delivery'], to: 'open' }
	},
	// Scheme: scored and moderated, recommended, the capital board, the Sufficiency Board, then
	// feasibility, statutory steps where they apply, the funding agreement, delivery, open.
	scheme: {
		...COMMON,
		recommend: { from: ['in_assessment'], to: 'recommended' },
		not_recommend: { from: ['in_assessment'], to: 'not_recommended' },
		endorse_at_board: { from: ['recommended'], to: 'board_endorsed' },
		approve_in_principle: { from: ['board_endorsed'], to: 'approved_in_principle' },
		decline: { from: ['recommended', 'not_recommended', 'board_endorsed'], to: 'declined' },
		start_feasibility: { from: ['approved_in_principle'], to: 'feasibility' },
		start_statutory: { from: ['feasibility'], to: 'statutory' },
		issue_agreement: { from: ['feasibility', 'statutory'], to: 'agreement' },
		start_delivery: { from: ['agreement'], to: 'in_delivery' },
		open: { from: ['in_delivery'], to: 'open' }
	}
};

export type MoveAnswer = { ok: true; to: ApplicationStage } | { ok: false; reason: string };

/** Whether `move` exists for this process from this stage, and where it leads; else why not. */
export function moveFor(process: CapitalProcess, stage: ApplicationStage, move: ApplicationMove): MoveAnswer {
	const rule = FLOWS[process][move];
	if (!rule) return { ok: false, reason: `${MOVE_LABELS[move]} is not a step in a ${process} application.` };
	if (!rule.from.includes(stage)) {
		return { ok: false, reason: `${MOVE_LABELS[move]} is not possible while the application is “${STAGE_LABELS[stage].toLowerCase()}”.` };
	}
	return { ok: true, to: rule.to };
}

/** The moves possible from a stage, in the table's order. */
export function movesFrom(process: CapitalProcess, stage: ApplicationStage): ApplicationMove[] {
	return APPLICATION_MOVES.filter((move) => FLOWS[process][move]?.from.includes(stage));
}

/** Every stage a process can reach (for filters and the dashboard's columns). */
export function stagesOf(process: CapitalProcess): ApplicationStage[] {
	const reached = new Set<ApplicationStage>(['draft']);
	for (const rule of Object.values(FLOWS[process])) if (rule) reached.add(rule.to);
	return APPLICATION_STAGES.filter((stage) => reached.has(stage));
}

/** The secondary rollout register: every secondary is on it from the start. */
export const REGISTER_STATUSES = ['not_engaged', 'in_conversation', 'application', 'approved', 'in_delivery', 'open'] as const;
export type RegisterStatus = (typeof REGISTER_STATUSES)[number];
export const REGISTER_LABELS: Record<RegisterStatus, string> = {
	not_engaged: 'Not engaged',
	in_conversation: 'In conversation',
	application: 'Application',
	approved: 'Approved',
	in_delivery: 'In delivery',
	open: 'Open'
};

export const BANDS = ['standard', 'enhanced'] as const;
export type Band = (typeof BANDS)[number];
export const DELIVERY_ROUTES = ['trust', 'council'] as const;
export type DeliveryRoute = (typeof DELIVERY_ROUTES)[number];

/** One version counter per section of an application (the document kit's `section_versions`). */
export type SectionCounters = Record<string, number>;
