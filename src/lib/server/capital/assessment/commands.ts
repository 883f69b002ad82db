import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { transact } from '../../work';
import { conflict, invalid } from '../../errors';
import { moveFor, MOVE_LABELS, STAGE_LABELS } from '$lib/capital/flow';
import { decisionProblem, DECISION_BODY } from '$lib/capital/assessment/decisions';
import { percentWords } from '$lib/capital/assessment/scoring';
import { assignAssessorSchema, CONFLICT_LABELS, declareSchema, decideSchema, moderateSchema, scoresSchema, spreadWidthSchema } from '$lib/schemas/capital-assessment';
import { changed, lockRow, refuse, requireVersion } from '../commands/shared';
import { loadAssessmentRef } from './access';
import { recordResult, scoreSheet } from './scores';
import { stageChangedEvents } from '../applications/commands/writing';
import { assessmentChanged } from './live';
import { closedAtFor } from '../applications/access';
import { adviceConsideredOnApplication, adviceWords } from '../../pcf/advice-record';

// Assessment commands: one transaction each, asking the policy on the application row they lock
// (so two assessors' writes, or a score and a decision, take turns), recording who, when and why.

const APPLICATION = 'capital_application';

/** An officer assigns another officer as an assessor of a round's line. Assigning twice changes nothing. */
export async function assignAssessor(db: Database, actor: Actor | null, raw: unknown): Promise<{ roundId: number; added: boolean }> {
	assertCan(actor, { action: 'capital.assessors.manage' });
	const { roundId, lineId, userId } = parseInput(assignAssessorSchema, raw);
	return transact(db, actor.id, async (work) => {
		const round = await lockRow(work.trx, 'capital_round', roundId, 'That round');
		const line = await work.trx
			.selectFrom('capital_round_line as rl')
			.innerJoin('capital_line as l', 'l.id', 'rl.line_id')
			.select(['l.id', 'l.name'])
			.where('rl.round_id', '=', round.id)
			.where('rl.line_id', '=', lineId)
			.executeTakeFirst();
		if (!line) refuse('That line is not part of this round.', 'lineId');
		const person = await work.trx
			.selectFrom('app_user')
			.select(['id', 'name'])
			.where('id', '=', userId)
			.where('is_active', '=', true)
			.where('county_role', 'in', ['officer', 'admin'])
			.executeTakeFirst();
		if (!person) refuse('Choose a council officer: only officers assess capital applications.', 'userId');
		const inserted = await work.trx
			.insertInto('capital_assessor')
			.values({ round_id: round.id, line_id: line.id, user_id: person.id, assigned_by: actor.id })
			.onConflict((oc) => oc.doNothing())
			.returning('user_id')
			.executeTakeFirst();
		if (!inserted) return { roundId: round.id, added: false };
		await work.record({
			action: 'capital.assessor_assigned',
			subject: { type: 'capital_round', id: round.id },
			summary: `Assigned ${person.name} to assess ${line.name}`,
			notify: { userIds: [person.id], title: `You have been asked to assess ${line.name} in ${round.name}`, link: '/capital/assess' },
			events: changed('round', round.id, round.version)
		});
		return { roundId: round.id, added: true };
	});
}

/** The spread (in points) beyond which a criterion needs moderation, for the round. */
export async function setSpreadWidth(db: Database, actor: Actor | null, raw: unknown): Promise<{ roundId: number }> {
	assertCan(actor, { action: 'capital.assessors.manage' });
	const { roundId, version, width } = parseInput(spreadWidthSchema, raw);
	return transact(db, actor.id, async (work) => {
		const round = await lockRow(work.trx, 'capital_round', roundId, 'That round');
		await requireVersion(work.trx, { type: 'capital_round', id: round.id, noun: 'round' }, round, version, [`moderation width ${round.spread_width}`]);
		if (round.spread_width === width) refuse('The width is already that. Change it, or go back.', 'width');
		const updated = await work.trx
			.updateTable('capital_round')
			.set((eb) => ({ spread_width: width, version: eb('version', '+', 1) }))
			.where('id', '=', round.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		await work.record({
			action: 'capital.spread_width_set',
			subject: { type: 'capital_round', id: round.id },
			summary: `Moderation width: ${round.spread_width} → ${width} points`,
			events: changed('round', round.id, updated.version)
		});
		return { roundId: round.id };
	});
}

/** An assessor declares their interests before seeing anything of the application; a conflict removes them. */
export async function declareInterest(db: Database, actor: Actor | null, raw: unknown): Promise<{ applicationId: number; conflict: boolean }> {
	const input = parseInput(declareSchema, raw);
	if (!actor) assertCan(actor, { action: 'capital.assess.queue' });
	return transact(db, actor.id, async (work) => {
		const application = await loadAssessmentRef(work.trx, actor, input.applicationId, true);
		assertCan(actor, { action: 'capital.assessment.declare', application });
		await work.trx
			.insertInto('capital_declaration')
			.values({ application_id: application.id, user_id: actor.id, conflict: input.conflict, details: input.details })
			.execute();
		const conflicted = input.conflict !== 'none';
		await work.record({
			action: conflicted ? 'capital.conflict_declared' : 'capital.no_conflict_declared',
			subject: { type: APPLICATION, id: application.id },
			summary: conflicted
				? `Declared a conflict of interest (${CONFLICT_LABELS[input.conflict].toLowerCase()}) and was removed from assessing ${application.reference}`
				: `Declared no conflict of interest in ${application.reference}`,
			reason: input.details || null,
			events: assessmentChanged(application.id)
		});
		return { applicationId: application.id, conflict: conflicted };
	});
}

/**
 * An assessor's scores for every criterion, each with its justification. Append-only: a new set
 * supersedes the last; the same scores again (a double submit) add nothing.
 */
export async function submitScores(db: Database, actor: Actor | null, raw: unknown): Promise<{ applicationId: number; added: boolean }> {
	const input = parseInput(scoresSchema, raw);
	if (!actor) assertCan(actor, { action: 'capital.assess.queue' });
	return transact(db, actor.id, async (work) => {
		const application = await loadAssessmentRef(work.trx, actor, input.applicationId, true);
		assertCan(actor, { action: 'capital.assessment.score', application });
		const before = await scoreSheet(work.trx, application);
		const given = new Map(input.scores.map((s) => [s.criterionId, s]));
		const missing = before.criteria.filter((c) => !given.has(c.id));
		if (missing.length) refuse(`Score every criterion: ${missing.map((c) => c.name).join(', ')}.`, 'scores');
		if (given.size !== before.criteria.length) refuse('One of the criteria scored is not this round’s. Reload the page and score again.', 'scores');
		const mine = before.sets.find((set) => set.assessorId === actor.id);
		const same = mine && before.criteria.every((c) => mine.scores.get(c.id)?.score === given.get(c.id)!.score && mine.scores.get(c.id)?.justification === given.get(c.id)!.justification);
		if (same) return { applicationId: application.id, added: false };
		const set = await work.trx.insertInto('capital_score_set').values({ application_id: application.id, assessor_id: actor.id }).returning('id').executeTakeFirstOrThrow();
		await work.trx
			.insertInto('capital_score')
			.values(before.criteria.map((c) => ({ score_set_id: set.id, criterion_id: c.id, score: given.get(c.id)!.score, justification: given.get(c.id)!.justification })))
			.execute();
		const after = await scoreSheet(work.trx, application);
		await recordResult(work.trx, application, after);
		await work.record({
			action: 'capital.scored',
			subject: { type: APPLICATION, id: application.id },
			summary: `${mine ? 'Revised' : 'Submitted'} scores for ${application.reference}${after.outcome.awaitingModeration.length ? '; the spread on a criterion needs moderation' : ''}`,
			detail: { scoreSetId: set.id },
			events: assessmentChanged(application.id)
		});
		return { applicationId: application.id, added: true };
	});
}

/** A moderator, who did not score the application, settles one criterion with a rationale. */
export async function moderateScore(db: Database, actor: Actor | null, raw: unknown): Promise<{ applicationId: number }> {
	const input = parseInput(moderateSchema, raw);
	if (!actor) assertCan(actor, { action: 'capital.assess.queue' });
	return transact(db, actor.id, async (work) => {
		const application = await loadAssessmentRef(work.trx, actor, input.applicationId, true);
		assertCan(actor, { action: 'capital.assessment.moderate', application });
		const before = await scoreSheet(work.trx, application);
		const criterion = before.criteria.find((c) => c.id === input.criterionId);
		if (!criterion) refuse('That criterion is not this round’s. Reload the page and try again.', 'criterionId');
		if (before.sets.length === 0) refuse('Nobody has scored this application yet, so there is nothing to moderate.');
		const latest = before.moderations.get(criterion.id);
		if (latest && latest.score === input.score && latest.rationale === input.rationale) return { applicationId: application.id };
		await work.trx
			.insertInto('capital_moderation')
			.values({ application_id: application.id, criterion_id: criterion.id, moderator_id: actor.id, score: input.score, rationale: input.rationale })
			.execute();
		const after = await scoreSheet(work.trx, application);
		await recordResult(work.trx, application, after);
		await work.record({
			action: 'capital.moderated',
			subject: { type: APPLICATION, id: application.id },
			summary: `Moderated ${criterion.name} at ${input.score}${after.outcome.totalHundredths !== null ? `; the moderated total is ${percentWords(after.outcome.totalHundredths)}` : ''}`,
			reason: input.rationale,
			events: assessmentChanged(application.id)
		});
		return { applicationId: application.id };
	});
}

/** A recorded decision after scoring: the recommendation, the capital board, the Sufficiency Board. */
export async function decideApplication(db: Database, actor: Actor | null, raw: unknown): Promise<{ applicationId: number; stage: string }> {
	const input = parseInput(decideSchema, raw);
	if (!actor) assertCan(actor, { action: 'capital.assess.queue' });
	return transact(db, actor.id, async (work) => {
		const application = await loadAssessmentRef(work.trx, actor, input.applicationId, true);
		assertCan(actor, { action: 'capital.application.decide', application, move: input.move });
		if (application.version !== input.version) {
			throw conflict(`Someone else changed this application first: it is now “${STAGE_LABELS[application.stage].toLowerCase()}”. Check the timeline and decide again.`);
		}
		const move = moveFor(application.process, application.stage, input.move);
		if (!move.ok) throw invalid(move.reason, { move: [move.reason] });
		const result = await work.trx.selectFrom('capital_assessment_result').select(['state', 'rank_score']).where('application_id', '=', application.id).executeTakeFirst();
		const problem = decisionProblem(input.move, result?.state ?? null);
		if (problem) throw invalid(problem, { move: [problem] });
		// Each decision says how the PCF advisory group's advice was considered, when there is any.
		const considered = await adviceConsideredOnApplication(work.trx, application.id, input.adviceConsidered);
		const final = move.to === 'approved_in_principle' || move.to === 'declined';
		const updated = await work.trx
			.updateTable('capital_application')
			.set((eb) => ({ stage: move.to, version: eb('version', '+', 1), updated_at: new Date(), ...(final ? { decided_at: new Date() } : {}), ...closedAtFor(move.to) }))
			.where('id', '=', application.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		const score = result && result.rank_score >= 0 ? result.rank_score : null;
		await work.trx
			.insertInto('capital_decision')
			.values({ application_id: application.id, move: input.move, from_stage: application.stage, to_stage: move.to, decided_by: actor.id, reason: input.reason, score_hundredths: score })
			.execute();
		await work.record({
			action: `capital.decision.${input.move}`,
			subject: { type: APPLICATION, id: application.id },
			summary: `${DECISION_BODY[input.move]}: ${MOVE_LABELS[input.move].toLowerCase()} ${application.reference}${score !== null ? ` (moderated score ${percentWords(score)})` : ''}${adviceWords(considered)}`,
			reason: input.reason,
			detail: { version: updated.version, to: move.to, adviceConsidered: considered },
			events: [...stageChangedEvents(application, updated.version), ...assessmentChanged(application.id)]
		});
		return { applicationId: application.id, stage: move.to };
	});
}
