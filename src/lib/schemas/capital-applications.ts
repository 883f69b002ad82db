import { z } from 'zod';
import { whole } from './bids';
import { idSchema } from './common';
import { adviceConsidered, boundedText as text, id, optionalReason as reason, version } from './capital-fields';
import { APPLICATION_SECTIONS } from '$lib/capital/applications/document';
import { keysOf } from '$lib/records';
import { PRIMARY_NEEDS } from '$lib/capital/applications/model';
import { REGISTER_STATUSES } from '$lib/capital/flow';

// What the application commands accept, from a form or the API. A section's answers are parsed
// field by field by the section's own declaration (server rules' `parseAnswers`), so here they
// are only a bounded object of plain values.

const SECTIONS = keysOf(APPLICATION_SECTIONS);
const answer = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null(), z.array(z.string().max(100)).max(20)]);
const count = (label: string) =>
	whole(z.number({ error: `${label} must be a whole number` }).int(`${label} must be a whole number`).min(0, `${label} must be 0 or more`).max(1_000_000, `${label} must be 1,000,000 or less`));

export const startApplicationSchema = z.object({
	roundId: id,
	lineId: id,
	settingId: id,
	/** A trust applying for several of its schools names the others here. */
	coveredSettingIds: z.array(id).max(30, 'Choose 30 schools or fewer').default([]),
	title: text(150, 'Title').min(1, 'Give the application a title')
});

/** Most schools a trust names in one go (the drafts are created in one statement). */
export const TRUST_SCHOOLS_MAX = 30;

/** A trust applying for several of its academies at once: one draft application per school. */
export const startTrustApplicationsSchema = z.object({
	trustId: id,
	roundId: whole(idSchema('Choose a round and line')),
	lineId: whole(idSchema('Choose a round and line')),
	settingIds: z
		.array(id)
		.min(1, 'Choose at least one of the trust’s schools')
		.max(TRUST_SCHOOLS_MAX, `Choose ${TRUST_SCHOOLS_MAX} schools or fewer`)
		.transform((ids) => [...new Set(ids)].sort((a, b) => a - b))
});

export const applicationRefSchema = z.object({ applicationId: id });

export const saveApplicationSectionSchema = z.object({
	applicationId: id,
	section: z.enum(SECTIONS, { error: 'That section could not be found' }),
	version,
	answers: z.record(z.string().max(40), answer).refine((value) => Object.keys(value).length <= 20, 'Too many answers')
});

export const submitApplicationSchema = z.object({ applicationId: id, version });
export const withdrawApplicationSchema = z.object({ applicationId: id, reason: reason.min(1, 'Say why the application is being withdrawn') });
export const askForInformationSchema = z.object({
	applicationId: id,
	points: text(4000, 'What is needed').min(1, 'Say what more information is needed')
});
export const officerMoveSchema = z.object({ applicationId: id, reason });
export const rolloutDecisionSchema = z.object({
	applicationId: id,
	move: z.enum(['approve', 'defer', 'start_delivery', 'open'], { error: 'Choose what to record' }),
	plannedYear: z.union([z.literal('').transform(() => null), z.null(), whole(z.number().int().min(2024, 'The year must be 2024 or later').max(2040, 'The year must be 2040 or earlier'))]).default(null),
	band: z.union([z.literal('').transform(() => null), z.null(), z.enum(['standard', 'enhanced'], { error: 'Choose the band' })]).default(null),
	reason: reason.min(1, 'Say why'),
	adviceConsidered
});
export const signApplicationSchema = z.object({
	applicationId: id,
	settingId: id,
	capacity: z.enum(['headteacher', 'governing_body', 'trust', 'principal', 'owner_manager', 'childminder', 'landowner'], { error: 'Choose who is signing' }),
	version,
	/** For a body or landowner: who signed for it (the chair of governors, the trust's chief executive). */
	signedForName: text(120, 'Name').default('')
});

export const districtNeedSchema = z.object({
	districtId: id,
	version,
	forecastDemand: count('Forecast demand'),
	plannedPlaces: count('Places planned'),
	outOfArea: count('Out-of-area placements'),
	independent: count('Independent placements'),
	needMix: z.object(Object.fromEntries(Object.keys(PRIMARY_NEEDS).map((need) => [need, count('Each count')]))).partial(),
	asOf: z.union([z.literal('').transform(() => null), z.null(), z.iso.date('Enter the date as a real date, like 2026-09-01')]).default(null),
	reason
});

export const enrolSecondariesSchema = z.object({ lineId: id });
export const registerFilterSchema = z.object({
	search: text(100, 'Search').default(''),
	districtId: z.union([z.literal('').transform(() => null), z.null(), id]).default(null),
	status: z.union([z.literal('').transform(() => null), z.null(), z.enum(REGISTER_STATUSES)]).default(null)
});

export const fileUploadFieldsSchema = z.object({
	applicationId: id,
	description: text(300, 'Description').default(''),
	sensitive: z.boolean().default(false)
});
