// District dispute-resolution panels: the words and shapes shared by the server and the pages.
// Plain constants only, so a page that imports them ships no server code.

/** Who the family's disagreement is with. */
export const OTHER_PARTIES = ['maintained_school', 'academy', 'fe_college', 'council', 'health'] as const;
export type OtherParty = (typeof OTHER_PARTIES)[number];

export const OTHER_PARTY_LABELS: Record<OtherParty, string> = {
	maintained_school: 'A maintained school',
	academy: 'An academy',
	fe_college: 'A further education college',
	council: 'The council',
	health: 'The health service'
};

/** Who brings the referral: the family through a SENDIASS officer, a young person over compulsory school age in their own right, or the setting with the family's agreement. */
export const REFERRERS = ['family', 'young_person', 'setting'] as const;
export type Referrer = (typeof REFERRERS)[number];

export const REFERRER_LABELS: Record<Referrer, string> = {
	family: 'The family, through SENDIASS',
	young_person: 'The young person, in their own right (over compulsory school age)',
	setting: 'The setting, with the family’s agreement'
};

/** Year groups past compulsory school age, where a young person is a party in their own right. */
export const PAST_COMPULSORY_AGE = ['Year 12', 'Year 13', 'Post-19'] as const;

/**
 * What the disagreement is about. The first four have their own statutory route and a panel
 * cannot hear them; the rest are what a local panel is for.
 */
export const CATEGORIES = [
	'exclusion',
	'transport',
	'ehc_decision',
	'disability_discrimination',
	'sen_support',
	'plan_delivery',
	'communication',
	'reasonable_adjustments',
	'other'
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
	exclusion: 'An exclusion',
	transport: 'Home-to-school transport',
	ehc_decision: 'A decision about an EHC needs assessment or plan',
	disability_discrimination: 'Disability discrimination',
	sen_support: 'Special educational needs support at the setting',
	plan_delivery: 'How the setting delivers the support in an EHC plan',
	communication: 'Communication between the family and the setting',
	reasonable_adjustments: 'Adjustments to the school day or to activities',
	other: 'Something else'
};

/** The routes a case can be sent to instead of (or as well as) a panel. */
export const ROUTES = ['panel', 'exclusion_review', 'transport_review', 'mediation_tribunal', 'discrimination_tribunal'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_LABELS: Record<Route, string> = {
	panel: 'District dispute-resolution panel',
	exclusion_review: 'The governing board, then an independent review panel',
	transport_review: 'The council’s home-to-school transport review',
	mediation_tribunal: 'A mediation adviser, then the First-tier Tribunal (SEND)',
	discrimination_tribunal: 'The First-tier Tribunal (SEND), disability discrimination claim'
};

/** The roles a member can sit in on a panel. */
export const PANEL_ROLES = ['chair', 'independent_member', 'parent_carer_rep', 'education_professional'] as const;
export type PanelRole = (typeof PANEL_ROLES)[number];

export const PANEL_ROLE_LABELS: Record<PanelRole, string> = {
	chair: 'Independent chair',
	independent_member: 'Independent member',
	parent_carer_rep: 'Parent-carer representative',
	education_professional: 'Education professional'
};

/** How a period is counted. */
export const DAY_KINDS = ['calendar', 'working', 'school'] as const;
export type DayKind = (typeof DAY_KINDS)[number];

/** A period as officers keep it: a number of days of a kind, or of calendar months. */
export type Period = { count: number; unit: DayKind | 'months' };

/**
 * Every period a case is measured against, kept by officers per district (the reform may change
 * the statutory ones). Nothing in the rules hard-codes a period: they all come from here.
 */
export interface DisputePeriods {
	/** Asking for an independent review panel after the governing board upholds an exclusion. */
	exclusionReview: Period;
	/** Asking the council to review a home-to-school transport decision. */
	transportReview: Period;
	/** Contacting a mediation adviser after an EHC decision letter (before any appeal). */
	mediationAdviser: Period;
	/** Appealing to the Tribunal after an EHC decision letter (or after the mediation certificate, whichever is later). */
	tribunalAfterDecision: Period;
	tribunalAfterCertificate: Period;
	/** Bringing a disability discrimination claim to the Tribunal. */
	discriminationClaim: Period;
	/** The district's swiftness targets. */
	referralToMeeting: Period;
	meetingToOutcome: Period;
	/** How long a closed case is kept before it is anonymised. */
	retention: Period;
}

/** The Code of Practice's periods and the plan's targets, as a new district starts with them. */
export const DEFAULT_PERIODS: DisputePeriods = {
	exclusionReview: { count: 15, unit: 'school' },
	transportReview: { count: 20, unit: 'working' },
	mediationAdviser: { count: 2, unit: 'months' },
	tribunalAfterDecision: { count: 2, unit: 'months' },
	tribunalAfterCertificate: { count: 1, unit: 'months' },
	discriminationClaim: { count: 6, unit: 'months' },
	referralToMeeting: { count: 15, unit: 'school' },
	meetingToOutcome: { count: 5, unit: 'working' },
	retention: { count: 24, unit: 'months' }
};

/**
 * Who must sit for a panel to be quorate, per district (editable, with history). The default: an
 * independent chair and at least two others, including a parent-carer representative and an
 * education professional.
 */
export interface QuorumRule {
	chairRequired: boolean;
	/** Everyone on the panel, the chair included. */
	minimumMembers: number;
	/** Roles each filled by a different person (besides the chair). */
	requiredRoles: readonly Exclude<PanelRole, 'chair'>[];
}

export const DEFAULT_QUORUM: QuorumRule = {
	chairRequired: true,
	minimumMembers: 3,
	requiredRoles: ['parent_carer_rep', 'education_professional']
};

export const ANSWERS = ['yes', 'if_need_be', 'no'] as const;
export type Answer = (typeof ANSWERS)[number];

export const ANSWER_LABELS: Record<Answer, string> = { yes: 'Yes', if_need_be: 'If need be', no: 'No' };

/** The child's year group: with initials, all a case records about who the child is. */
export const YEAR_GROUPS = ['Nursery', 'Reception', ...Array.from({ length: 13 }, (_, i) => `Year ${i + 1}`), 'Post-19'] as const;

/** A case's stages (migration 1799): referred -> scheduling -> booked -> met -> outcome -> closed; withdrawn; routed_out at triage. */
export const CASE_STATUS_LABELS = {
	referred: 'Referred to a panel',
	routed_out: 'Routed to another route',
	scheduling: 'Finding a date',
	booked: 'Panel meeting booked',
	met: 'Panel has met',
	outcome: 'Outcome recorded, follow-up open',
	closed: 'Closed',
	withdrawn: 'Withdrawn'
} as const;
export type CaseStatus = keyof typeof CASE_STATUS_LABELS;

/** Where a candidate slot's meeting happens: at a venue, or online with a link. */
export const SLOT_MODES = ['in_person', 'online'] as const;
export type SlotMode = (typeof SLOT_MODES)[number];
export const SLOT_MODE_LABELS: Record<SlotMode, string> = { in_person: 'In person', online: 'Online' };

/** What each of the district's periods is, in words for the settings page. */
export const PERIOD_LABELS: Record<keyof DisputePeriods, string> = {
	exclusionReview: 'Asking for an independent review panel after an exclusion',
	transportReview: 'Asking the council to review a transport decision',
	mediationAdviser: 'Contacting a mediation adviser after an EHC decision letter',
	tribunalAfterDecision: 'Appealing to the Tribunal after an EHC decision letter',
	tribunalAfterCertificate: 'Appealing to the Tribunal after the mediation certificate',
	discriminationClaim: 'Bringing a disability discrimination claim',
	referralToMeeting: 'Target: from referral to the panel meeting',
	meetingToOutcome: 'Target: from the meeting to the written outcome',
	retention: 'Keeping a closed case before it is anonymised'
};

/** The periods' keys in the order the settings page lists them. */
export const DISPUTE_PERIOD_KEYS = [
	'referralToMeeting',
	'meetingToOutcome',
	'exclusionReview',
	'transportReview',
	'mediationAdviser',
	'tribunalAfterDecision',
	'tribunalAfterCertificate',
	'discriminationClaim',
	'retention'
] as const satisfies readonly (keyof DisputePeriods)[];
