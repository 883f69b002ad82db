// PCF advice as both ends see it: the words for the forum's stances, the sources of its points,
// the kinds of answer, and the limits of what may be written. Plain constants, so pages import
// them without shipping zod.

export const STANCES = ['support', 'support_with_conditions', 'concerns', 'object'] as const;
export type Stance = (typeof STANCES)[number];
export const STANCE_LABELS: Record<Stance, string> = {
	support: 'Support',
	support_with_conditions: 'Support with conditions',
	concerns: 'Concerns',
	object: 'Object'
};

// 'dispute_panels': anonymised themes the SENDIASS officers pass from the panels' governance figures (never typed by hand).
export const POINT_SOURCES = ['forum', 'survey', 'send_connect', 'youth_forum', 'dispute_panels'] as const;
export type PointSource = (typeof POINT_SOURCES)[number];
/** Aggregated feedback comes from these; the forum's own points come through its position. */
export const FEEDBACK_SOURCES = ['survey', 'send_connect', 'youth_forum'] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];
export const SOURCE_LABELS: Record<PointSource, string> = {
	forum: 'Parent Carer Forum advisory group',
	survey: 'OxPCF survey',
	send_connect: 'SEND Connect session',
	youth_forum: 'SEND Youth Forum',
	dispute_panels: 'SENDIASS dispute panels'
};

export const ANSWERS = ['will_change', 'partly', 'not_changed'] as const;
export type Answer = (typeof ANSWERS)[number];

/** A point as a "you said, we did" edition shows it (and, once published, keeps it): never a name. */
export interface EditionPoint {
	id: number;
	district: string;
	proposal: string;
	source: PointSource;
	body: string;
	raisedCount: number | null;
	answer: Answer | null;
	answerText: string | null;
	changeBy: string | null;
	deliveredOn: string | null;
	evidence: string | null;
	themes: { id: number; name: string }[];
}
export const ANSWER_LABELS: Record<Answer, string> = {
	will_change: 'We will change',
	partly: 'We changed it in part',
	not_changed: 'Not changed'
};

/** Where a point is on its journey from said to done, as the public pages and the tracker show it. */
export const POINT_STATUSES = ['waiting', 'answered', 'changing', 'delivered'] as const;
export type PointStatus = (typeof POINT_STATUSES)[number];
export const isPointStatus = (value: unknown): value is PointStatus => POINT_STATUSES.some((status) => status === value);
export const POINT_STATUS_LABELS: Record<PointStatus, string> = {
	waiting: 'Waiting for an answer',
	answered: 'Answered',
	changing: 'Change on its way',
	delivered: 'Change made'
};

export const POINT_MAX = 2000;
export const SUMMARY_MAX = 4000;
export const THEME_NAME_MAX = 80;
export const EVIDENCE_MAX = 2000;

// --- Consultations and decision points opened in a cluster workspace ---

/**
 * What kind of consultation it is; a cluster steering group's decision item is one too, put on the
 * group's agenda with the date of the meeting that decides it (its advice closes before then).
 */
export const CONSULTATION_LABELS = ['co_design', 'pre_consultation', 'formal', 'steering_decision'] as const;
export type ConsultationLabel = (typeof CONSULTATION_LABELS)[number];
/** The kinds the "open a consultation" form offers; a steering decision item has its own form. */
export const CONSULTATION_KINDS = ['co_design', 'pre_consultation', 'formal'] as const satisfies readonly ConsultationLabel[];
export const CONSULTATION_LABEL_TEXT: Record<ConsultationLabel, string> = {
	co_design: 'Co-design',
	pre_consultation: 'Pre-consultation',
	formal: 'Formal consultation',
	steering_decision: 'Steering group decision'
};
export const STEERING_DECISION_MAX = 4000;

/** How early the forum was involved, on the co-production ladder. */
export const COPRODUCTION_STAGES = ['informing', 'consulting', 'engaging', 'co_design', 'co_production'] as const;
export type CoproductionStage = (typeof COPRODUCTION_STAGES)[number];
export const COPRODUCTION_STAGE_TEXT: Record<CoproductionStage, string> = {
	informing: 'Informing: the forum is told of a decision',
	consulting: 'Consulting: the forum is asked about a draft',
	engaging: 'Engaging: the forum shapes the options',
	co_design: 'Co-design: the forum designs it with us',
	co_production: 'Co-production: the forum owns it with us from the start'
};

export const CONSULTATION_STATUSES = ['open', 'closed'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

export const CONSULTATION_TITLE_MAX = 200;
export const CONSULTATION_BODY_MAX = 20_000;

// --- "You said, we did" editions and families' email subscriptions ---

export const EDITION_TITLE_MAX = 200;
export const EDITION_INTRODUCTION_MAX = 10_000;
/** Which approval an edition is given: the council's officer, or the district's PCF lead. */
export const EDITION_APPROVALS = ['officer', 'lead'] as const;
export type EditionApproval = (typeof EDITION_APPROVALS)[number];
