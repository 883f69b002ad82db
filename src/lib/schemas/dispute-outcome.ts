import { z } from 'zod';
import { ACTION_OWNER_KINDS, FEEDBACK_PARTIES, LEGAL_HOLDS, OUTCOME_RESULTS } from '$lib/disputes/outcome';
import { idSchema, textSchema, versionSchema } from './common';
import { whole } from './bids';
import { ukDate } from './dates';

// What an officer records after a panel meets, shared by the commands, the forms and the tests.

export const OUTCOME_TEXT_MAX = 2000;
export const ACTION_TEXT_MAX = 500;
export const REASON_MAX = 1000;
export const ACTION_DUE_WITHIN_YEARS = 1;

const text = (label: string, max: number) =>
	textSchema()
		.trim()
		.max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);
const choice = <T extends readonly [string, ...string[]]>(values: T, message: string) => z.enum(values, { error: message });
const blank = z.union([z.null(), z.undefined(), z.literal('')]).transform(() => null);
const caseId = whole(idSchema());
const version = whole(versionSchema());

export const meetingSchema = z.object({ caseId, version });

export const outcomeSchema = z.object({
	caseId,
	version,
	result: choice(OUTCOME_RESULTS, 'Choose whether the disagreement was resolved'),
	summary: text('What was agreed', OUTCOME_TEXT_MAX).min(1, 'Say what the parties agreed, in a few lines')
});

export const actionSchema = z
	.object({
		caseId,
		description: text('The action', ACTION_TEXT_MAX).min(1, 'Describe the action the parties agreed'),
		ownerKind: choice(ACTION_OWNER_KINDS, 'Choose who will do it'),
		ownerUserId: z.union([blank, whole(idSchema('Choose the person from the list'))]),
		dueOn: ukDate('The due date', { from: 'todayOrLater', withinYears: ACTION_DUE_WITHIN_YEARS })
	})
	.superRefine((action, ctx) => {
		if (action.ownerKind === 'user' && action.ownerUserId === null) ctx.addIssue({ code: 'custom', path: ['ownerUserId'], message: 'Choose the person who will do it' });
	});

export const actionDoneSchema = z.object({ caseId, actionId: whole(idSchema()) });

export const feedbackSchema = z.object({
	caseId,
	party: choice(FEEDBACK_PARTIES, 'Choose whose feedback this is'),
	rating: z.coerce.number({ error: 'Choose how well the panel worked for them' }).int().min(1, 'Choose how well the panel worked for them').max(5, 'Choose how well the panel worked for them'),
	comment: text('Their comments', OUTCOME_TEXT_MAX)
});

export const END_KINDS = ['close', 'withdraw'] as const;
export const endSchema = z.object({
	caseId,
	version,
	kind: choice(END_KINDS, 'Choose whether to close or withdraw the case'),
	reason: text('The reason', REASON_MAX).min(1, 'Give the reason')
});

export const holdSchema = z.object({
	caseId,
	version,
	hold: z.union([blank, choice(LEGAL_HOLDS, 'Choose what the legal hold is for')]),
	reason: text('The reason', REASON_MAX).min(1, 'Give the reason')
});
