import { z } from 'zod';
import { ANSWERS, PANEL_ROLES, SLOT_MODES } from '$lib/disputes/model';
import { idSchema, textSchema, versionSchema } from './common';
import { whole } from './bids';
import { ukDate } from './dates';

// The panel part of district dispute resolution: the pool, the quorum rule, the scheduling poll,
// answers, conflicts and the booking, shared by commands, forms and tests.

export const PANEL_TEXT_MAX = 500;
export const MOST_SLOTS = 10;

const text = (label: string, min = 0) =>
	textSchema()
		.trim()
		.max(PANEL_TEXT_MAX, `${label} must be ${PANEL_TEXT_MAX} characters or fewer`)
		.min(min, `Enter ${label.toLowerCase()}`);
const tick = z.union([z.boolean(), z.literal('yes'), z.literal(''), z.undefined()]).transform((value) => value === true || value === 'yes');
/** A form sends one value or several under one name; the API sends a list. */
const many = <S extends z.ZodType>(item: S) => z.preprocess((value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]), z.array(item));

export const memberSchema = z.object({
	districtId: whole(idSchema()),
	email: textSchema().trim().toLowerCase().pipe(z.email({ error: 'Enter the member’s portal email address, like name@example.org' })),
	roles: many(z.enum(PANEL_ROLES, { error: 'Choose a panel role from the list' })).refine((roles) => roles.length > 0, 'Choose at least one panel role'),
	employer: text('The employer'),
	councilEmployee: tick,
	settingIds: many(whole(idSchema('Choose settings from the list'))),
	trustNames: z
		.union([textSchema(), z.array(textSchema())])
		.optional()
		.transform((value) => (Array.isArray(value) ? value : (value ?? '').split(/[,\n]/)).map((name) => name.trim()).filter(Boolean)),
	/** Left out of the pool (kept on record) with false or 'no'; in it otherwise. */
	active: z.union([z.boolean(), z.enum(['yes', 'no'])]).optional().transform((value) => value !== false && value !== 'no'),
	/** 0 to add someone new; their current version to change them. */
	version: whole(versionSchema())
});

export const quorumSchema = z.object({
	districtId: whole(idSchema()),
	chairRequired: tick,
	minimumMembers: whole(z.number().int('Enter a whole number of members').min(1, 'A panel needs at least 1 member').max(9, 'A panel needs at most 9 members')),
	requiredRoles: many(z.enum(['independent_member', 'parent_carer_rep', 'education_professional'], { error: 'Choose a role from the list' })),
	reason: text('Why the rule is changing', 1),
	version: whole(versionSchema())
});

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time like 10:00, on the 24-hour clock');

export const slotSchema = z.object({
	date: ukDate('The slot’s date', { withinYears: 1 }),
	time,
	minutes: whole(z.number().int().min(30, 'A meeting lasts at least 30 minutes').max(480, 'A meeting lasts at most 8 hours')),
	mode: z.enum(SLOT_MODES, { error: 'Choose in person or online' }),
	place: text('The venue or meeting link', 1)
});

export const pollSchema = z
	.object({
		caseId: whole(idSchema()),
		version: whole(versionSchema()),
		familyAvailability: text('The family’s availability', 1),
		schoolAvailability: text('The school’s availability', 1),
		closesOn: ukDate('The closing date', { withinYears: 1 }),
		slots: z.array(slotSchema).min(1, 'Propose at least one slot').max(MOST_SLOTS, `Propose at most ${MOST_SLOTS} slots`),
		/** The officer has seen the warnings (a slot outside term) and goes ahead. */
		acceptWarnings: tick
	})
	.superRefine((poll, ctx) => {
		poll.slots.forEach((slot, index) => {
			if (slot.mode === 'online' && !/^https:\/\/\S+$/.test(slot.place)) ctx.addIssue({ code: 'custom', path: ['slots', index, 'place'], message: 'Enter the online meeting’s link, starting https://' });
		});
	});

export const answersSchema = z.object({
	pollId: whole(idSchema()),
	memberId: whole(idSchema()),
	answers: z.array(z.object({ slotId: whole(idSchema()), answer: z.enum(ANSWERS, { error: 'Choose yes, if need be or no' }) })).min(1, 'Answer for at least one slot')
});

export const conflictSchema = z.object({ pollId: whole(idSchema()), memberId: whole(idSchema()) });

export const bookingSchema = z.object({ pollId: whole(idSchema()), slotId: whole(idSchema('Choose a slot to book')), version: whole(versionSchema()) });

export const cancelSchema = z.object({ pollId: whole(idSchema()), version: whole(versionSchema()), reason: text('Why the meeting is cancelled', 1) });

export const adviserSchema = z.object({ caseId: whole(idSchema()), email: textSchema().trim().toLowerCase().pipe(z.email({ error: 'Enter the adviser’s portal email address' })) });

/** Creating, replacing or stopping a member's private calendar feed: their place in a district's pool. */
export const feedSchema = z.object({ membershipId: whole(idSchema()) });
