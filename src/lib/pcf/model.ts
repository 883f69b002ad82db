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

export const POINT_SOURCES = ['forum', 'survey', 'send_connect', 'youth_forum'] as const;
export type PointSource = (typeof POINT_SOURCES)[number];
/** Aggregated feedback comes from these; the forum's own points come through its position. */
export const FEEDBACK_SOURCES = ['survey', 'send_connect', 'youth_forum'] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];
export const SOURCE_LABELS: Record<PointSource, string> = {
	forum: 'Parent Carer Forum advisory group',
	survey: 'OxPCF survey',
	send_connect: 'SEND Connect session',
	youth_forum: 'SEND Youth Forum'
};

export const ANSWERS = ['will_change', 'partly', 'not_changed'] as const;
export type Answer = (typeof ANSWERS)[number];
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
