import { z } from 'zod';
import { CATEGORIES, OTHER_PARTIES, PAST_COMPULSORY_AGE, REFERRERS, YEAR_GROUPS } from '$lib/disputes/model';
import { idSchema, textSchema, versionSchema } from './common';
import { whole } from './bids';
import { settingSearchSchema } from './pickers';
import { ukDate } from './dates';
import { addYears, ukToday } from '$lib/dates';

// A referral to a district's dispute-resolution panel, shared by its command, form and tests. It
// asks for the least about the child: initials and year group, nothing more.

export const REFERRAL_TEXT_MAX = 2000;
export const REFERRAL_NOTE_MAX = 500;
/** A decision letter older than this has no statutory route left to protect. */
export const LETTER_WITHIN_YEARS = 2;

const text = (label: string) =>
	textSchema()
		.trim()
		.max(REFERRAL_TEXT_MAX, `${label} must be ${REFERRAL_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`);
const choice = <T extends readonly [string, ...string[]]>(values: T, message: string) => z.enum(values, { error: message });
const tick = z.union([z.boolean(), z.literal('yes'), z.literal(''), z.undefined()]).transform((value) => value === true || value === 'yes');
const blank = z.union([z.null(), z.undefined(), z.literal('')]).transform(() => null);
/** An optional short note (left out is blank). */
const note = (label: string) =>
	z.preprocess(
		(value) => value ?? '',
		textSchema()
			.trim()
			.max(REFERRAL_NOTE_MAX, `${label} must be ${REFERRAL_NOTE_MAX} characters or fewer`)
	);

const letterDate = ukDate('The decision letter’s date', { withinYears: 1 }).check((ctx) => {
	const today = ukToday();
	if (ctx.value > today) ctx.issues.push({ code: 'custom', input: ctx.value, message: 'The decision letter’s date must be today or in the past' });
	else if (ctx.value < addYears(today, -LETTER_WITHIN_YEARS)) ctx.issues.push({ code: 'custom', input: ctx.value, message: `The decision letter’s date must be within the last ${LETTER_WITHIN_YEARS} years` });
});

export const referralSchema = z
	.object({
		districtId: whole(idSchema()),
		// Most referrals come from the family through SENDIASS: the form starts there, and an API call without it means that too.
		referrer: z.preprocess((value) => (value === undefined || value === '' ? 'family' : value), choice(REFERRERS, 'Choose who is making the referral')),
		supporter: note('The supporter or advocate'),
		interpreter: note('The interpreter’s language'),
		adjustments: note('The reasonable adjustments'),
		otherParty: choice(OTHER_PARTIES, 'Choose who the disagreement is with'),
		settingId: z.union([blank, whole(idSchema('Choose the setting from the list'))]),
		category: choice(CATEGORIES, 'Choose what the disagreement is about'),
		childInitials: textSchema()
			.trim()
			.transform((value) => value.replace(/[\s.]/g, '').toUpperCase())
			.pipe(z.string().regex(/^[A-Z]{1,3}$/, 'Enter the child’s initials only, 1 to 3 letters, like JS')),
		yearGroup: choice(YEAR_GROUPS, 'Choose the child’s year group'),
		tried: text('What has been tried'),
		outcomeSought: text('The outcome sought').min(1, 'Say what outcome the family is looking for'),
		childViews: text('The child’s views'),
		urgent: tick,
		safeguarding: tick,
		// Blank means no letter; a single schema (not a union) keeps the date's own message.
		decisionLetterDate: z
			.preprocess((value) => (value === '' || value === null ? undefined : value), letterDate.optional())
			.transform((value) => value ?? null)
	})
	.superRefine((referral, ctx) => {
		const withSetting = referral.otherParty === 'maintained_school' || referral.otherParty === 'academy' || referral.otherParty === 'fe_college';
		if (withSetting && referral.settingId === null) ctx.addIssue({ code: 'custom', path: ['settingId'], message: 'Choose the setting the disagreement is with' });
		if (referral.referrer === 'setting' && !withSetting) ctx.addIssue({ code: 'custom', path: ['referrer'], message: 'A setting can refer only a disagreement with itself: choose the family or the young person' });
		if (referral.referrer === 'young_person' && !(PAST_COMPULSORY_AGE as readonly string[]).includes(referral.yearGroup)) {
			ctx.addIssue({ code: 'custom', path: ['referrer'], message: 'A young person refers in their own right only once over compulsory school age (Year 12 or older)' });
		}
	});

export type ReferralInput = z.input<typeof referralSchema>;

/** The referral form's setting search: settings of the district, by name, town or URN. */
export const caseSettingSearchSchema = z.object({ districtId: whole(idSchema()), query: settingSearchSchema.shape.query });

export const AGREEING_PARTIES = ['family', 'setting'] as const;

/** A party's agreement to take part, recorded by the officer against the case version they saw. */
export const agreementSchema = z.object({
	caseId: whole(idSchema()),
	party: z.enum(AGREEING_PARTIES, { error: 'Choose whose agreement to record' }),
	version: whole(versionSchema())
});
