import { z } from 'zod';
import { idSchema, textSchema, versionSchema } from './common';
import { whole } from './bids';
import { REASON_MAX_LENGTH } from './limits';
import { adviceConsidered } from './capital-fields';
import { SCORE_MAX, SCORE_MIN } from '$lib/capital/assessment/scoring';
import { DECISION_MOVES } from '$lib/capital/assessment/decisions';
import { CONFLICT_KINDS } from '$lib/capital/assessment/conflicts';

export { CONFLICT_KINDS, CONFLICT_LABELS } from '$lib/capital/assessment/conflicts';

// Assessment input, shared by its commands, form actions and tests.

export const JUSTIFICATION_MAX = 2000;
const id = whole(idSchema());
const version = whole(versionSchema());
const score = (label: string) =>
	whole(
		z
			.number({ error: `Choose a score for ${label}` })
			.int(`Choose a score for ${label}`)
			.min(SCORE_MIN, `The score for ${label} must be from ${SCORE_MIN} to ${SCORE_MAX}`)
			.max(SCORE_MAX, `The score for ${label} must be from ${SCORE_MIN} to ${SCORE_MAX}`)
	);
const written = (max: number, empty: string, label: string) =>
	textSchema()
		.trim()
		.min(1, empty)
		.max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);

export const assignAssessorSchema = z.object({ roundId: id, lineId: id, userId: whole(idSchema('Choose an officer from the search results')) });
export const spreadWidthSchema = z.object({
	roundId: id,
	version,
	width: whole(z.number({ error: 'Enter the width as a whole number of points' }).int('Enter the width as a whole number of points').min(0, 'The width must be from 0 to 5').max(5, 'The width must be from 0 to 5'))
});

export const declareSchema = z
	.object({
		applicationId: id,
		conflict: z.enum(['none', ...CONFLICT_KINDS], { error: 'Say whether you have a conflict of interest' }),
		details: textSchema().trim().max(500, 'Details must be 500 characters or fewer').default('')
	})
	.refine((d) => d.conflict !== 'other' || d.details.length > 0, { path: ['details'], message: 'Say what the other interest is' });

export const scoresSchema = z.object({
	applicationId: id,
	scores: z
		.array(
			z.object({
				criterionId: id,
				score: z.unknown(),
				justification: z.unknown(),
				name: z.string().default('this criterion')
			})
		)
		.min(1, 'Score every criterion')
		.max(20)
		.transform((rows, ctx) =>
			rows.map((row, index) => {
				const s = score(row.name).safeParse(row.score);
				const j = written(JUSTIFICATION_MAX, `Write a justification for ${row.name}`, 'The justification').safeParse(row.justification ?? '');
				if (!s.success) ctx.addIssue({ code: 'custom', path: [index, 'score'], message: s.error.issues[0].message });
				if (!j.success) ctx.addIssue({ code: 'custom', path: [index, 'justification'], message: j.error.issues[0].message });
				return { criterionId: row.criterionId, score: s.success ? s.data : 0, justification: j.success ? j.data : '' };
			})
		)
});

export const moderateSchema = z.object({
	applicationId: id,
	criterionId: id,
	score: score('the moderated score'),
	rationale: written(JUSTIFICATION_MAX, 'Write the rationale for the moderated score', 'The rationale')
});

export const decideSchema = z.object({
	applicationId: id,
	version,
	move: z.enum(DECISION_MOVES, { error: 'Choose a decision' }),
	reason: written(REASON_MAX_LENGTH, 'Say why: the reason is recorded with the decision', 'The reason'),
	adviceConsidered
});
