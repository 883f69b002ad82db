import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan, can } from '../../policy';
import { notFound } from '../../errors';
import { textMatches } from '../../search';
import { keysetPage, pageQuery, type Cursor, type KeyKind, type Keyset } from '../../paging';
import type { PickerResult } from '$lib/picker';
import { storableText } from '$lib/schemas/common';
import { movesFrom } from '$lib/capital/flow';
import { isDecisionMove } from '$lib/capital/assessment/decisions';
import { benchmarkNote, valuePerPlace } from '$lib/capital/assessment/scoring';
import { capitalHistory } from '../queries';
import { auditHistory } from '../../audit';
import { loadAssessmentRef, type LoadedApplication } from './access';
import { scoreSheet, type ScoreSheet } from './scores';

// What the assessment pages read. Each asks the policy on the application first; the blind rule is
// kept by the query too: an assessor's page reads only their own scores until they have submitted.

export const QUEUE_PAGE_SIZE = 20;
export const RANKING_PAGE_SIZE = 20;
const PICKER_LIMIT = 8;

/** Council officers matching a search, to assign as assessors. */
export async function officerPicker(db: Database, actor: Actor, query: string): Promise<PickerResult> {
	assertCan(actor, { action: 'capital.assessors.manage' });
	// Hand-edited junk (control characters) searches for nothing rather than failing the page.
	const q = storableText(query) ? query.trim().slice(0, 100) : '';
	if (!q) return { options: [], more: false };
	const rows = await db
		.selectFrom('app_user as u')
		.select(['u.id', 'u.name', 'u.email'])
		.where('u.is_active', '=', true)
		.where('u.county_role', 'in', ['officer', 'admin'])
		.where((eb) => eb.or([textMatches('u.name', q), textMatches('u.email', q)]))
		.orderBy('u.name')
		.limit(PICKER_LIMIT + 1)
		.execute();
	return { options: rows.slice(0, PICKER_LIMIT).map((r) => ({ value: String(r.id), label: r.name, hint: r.email })), more: rows.length > PICKER_LIMIT };
}

/** A round's lines with their assessors, and the moderation width, for officers. */
export async function roundAssessors(db: Database, actor: Actor, roundId: number) {
	assertCan(actor, { action: 'capital.assessors.manage' });
	const round = await db.selectFrom('capital_round').select(['id', 'name', 'status', 'version', 'spread_width']).where('id', '=', roundId).executeTakeFirst();
	if (!round) throw notFound('That round');
	const [lines, assessors] = await Promise.all([
		db
			.selectFrom('capital_round_line as rl')
			.innerJoin('capital_line as l', 'l.id', 'rl.line_id')
			.select(['l.id', 'l.name', 'l.process'])
			.where('rl.round_id', '=', roundId)
			.orderBy('l.name')
			.execute(),
		db
			.selectFrom('capital_assessor as x')
			.innerJoin('app_user as u', 'u.id', 'x.user_id')
			.select(['x.line_id', 'u.id', 'u.name'])
			.where('x.round_id', '=', roundId)
			.orderBy('u.name')
			.execute()
	]);
	return {
		round,
		lines: lines.map((line) => ({ ...line, assessors: assessors.filter((a) => a.line_id === line.id).map((a) => ({ id: a.id, name: a.name })) })),
		history: await capitalHistory(db, 'capital_round', roundId)
	};
}

export type QueueStatus = 'declare' | 'score' | 'scored' | 'conflict';

const queueStatus = (row: { conflict: string | null; scored: unknown }): QueueStatus =>
	row.conflict === null ? 'declare' : row.conflict !== 'none' ? 'conflict' : row.scored ? 'scored' : 'score';

/** The applications an assessor is assigned to, being assessed, oldest first, a page at a time. */
export const QUEUE_KEY: KeyKind[] = ['int'];

export async function assessQueue(db: Database, actor: Actor, cursor: Cursor | null) {
	assertCan(actor, { action: 'capital.assess.queue' });
	const query = db
			.selectFrom('capital_assessor as x')
			.innerJoin('capital_application as a', (j) => j.onRef('a.round_id', '=', 'x.round_id').onRef('a.line_id', '=', 'x.line_id'))
			.innerJoin('setting as s', 's.id', 'a.setting_id')
			.innerJoin('capital_round as r', 'r.id', 'a.round_id')
			.leftJoin('capital_declaration as d', (j) => j.onRef('d.application_id', '=', 'a.id').on('d.user_id', '=', actor.id))
			.select((eb) => [
				'a.id',
				'a.reference',
				's.name as setting_name',
				'r.name as round_name',
				'd.conflict',
				eb.exists(eb.selectFrom('capital_score_set as ss').select('ss.id').whereRef('ss.application_id', '=', 'a.id').where('ss.assessor_id', '=', actor.id)).as('scored')
			])
			.where('x.user_id', '=', actor.id)
			.where('a.stage', '=', 'in_assessment');
	const page = await keysetPage(query, { order: [sql`a.id`], direction: 'asc', keyOf: (row) => [row.id], cursor, size: QUEUE_PAGE_SIZE });
	return {
		...page,
		items: page.items.map((row) => ({
			id: row.id,
			reference: row.reference,
			settingName: row.setting_name,
			roundName: row.round_name,
			status: queueStatus(row)
		}))
	};
}

function criteriaRows(sheet: ScoreSheet, onlyAssessor: number | null, named: boolean, viewerId: number) {
	const sets = onlyAssessor === null ? sheet.sets : sheet.sets.filter((s) => s.assessorId === onlyAssessor);
	return sheet.criteria.map((c, index) => {
		const outcome = sheet.outcome.criteria[index];
		const moderation = sheet.moderations.get(c.id);
		return {
			...c,
			scores: sets.map((set, n) => ({
				assessor: named ? set.assessorName : `Assessor ${n + 1}`,
				mine: set.assessorId === viewerId,
				score: set.scores.get(c.id)?.score ?? null,
				justification: set.scores.get(c.id)?.justification ?? ''
			})),
			spread: onlyAssessor === null ? outcome.spread : null,
			flagged: onlyAssessor === null ? outcome.flagged : false,
			settled: onlyAssessor === null ? outcome.settled : null,
			moderation: onlyAssessor === null && moderation ? { score: moderation.score, rationale: moderation.rationale, moderator: named ? moderation.moderatorName : 'Moderator' } : null
		};
	});
}

const SCORING_ACTIONS = ['capital.scored', 'capital.moderated', 'capital.conflict_declared', 'capital.no_conflict_declared'];

/** Who declared, scored and moderated, when and why, newest first (officers only). */
async function scoringHistory(db: Database, applicationId: number) {
	const entries = await auditHistory(db, { subjects: [{ type: 'capital_application', ids: [applicationId] }] }, 200);
	return entries
		.filter((e) => SCORING_ACTIONS.includes(e.action))
		.map((e) => ({ id: e.id, action: e.action, at: e.at, who: e.actorName, summary: typeof e.detail.summary === 'string' ? e.detail.summary : null, reason: e.reason }));
}

const summaryOf = (a: LoadedApplication) => ({ id: a.id, reference: a.reference, settingName: a.settingName, stage: a.stage, version: a.version });

/**
 * An assessor's page on one application. Until they declare, only its reference and setting; after
 * a conflict, nothing more; once cleared, the application and their own scores; others' scores
 * only after submitting their own (the query leaves them out before that, whatever the page does).
 */
export async function assessmentForPage(db: Database, actor: Actor, applicationId: number) {
	assertCan(actor, { action: 'capital.assess.queue' });
	const application = await loadAssessmentRef(db, actor, applicationId);
	const declare = can(actor, { action: 'capital.assessment.declare', application });
	const read = can(actor, { action: 'capital.assessment.read', application });
	if (!read.allowed && !declare.allowed) {
		if (application.viewer.declared === 'conflict') return { mode: 'conflict' as const, application: { reference: application.reference, settingName: application.settingName }, reason: read.allowed ? '' : read.reason };
		assertCan(actor, { action: 'capital.assessment.read', application });
	}
	if (declare.allowed) return { mode: 'declare' as const, application: { id: application.id, reference: application.reference, settingName: application.settingName } };
	const sheet = await scoreSheet(db, application);
	const seesOthers = can(actor, { action: 'capital.scores.view', application }).allowed;
	const line = await db.selectFrom('capital_line').select(['name', 'benchmark_per_place_pence']).where('id', '=', application.lineId).executeTakeFirstOrThrow();
	const perPlace = valuePerPlace(application.requestedPence, application.places);
	return {
		mode: 'score' as const,
		application: { ...summaryOf(application), title: application.title, places: application.places, requestedPence: application.requestedPence, lineName: line.name, perPlacePence: perPlace, benchmarkPence: line.benchmark_per_place_pence, benchmark: benchmarkNote(perPlace, line.benchmark_per_place_pence) },
		canScore: can(actor, { action: 'capital.assessment.score', application }).allowed,
		scored: application.viewer.scored,
		criteria: criteriaRows(sheet, seesOthers ? null : actor.id, true, actor.id),
		state: seesOthers ? sheet.outcome.state : null,
		width: sheet.width
	};
}

/** The scores page: every assessor's scores, spread and moderation, for those the policy lets see them. */
export async function scoresForPage(db: Database, actor: Actor, applicationId: number) {
	const application = await loadAssessmentRef(db, actor, applicationId);
	assertCan(actor, { action: 'capital.scores.view', application });
	const sheet = await scoreSheet(db, application);
	const staff = can(actor, { action: 'capital.assess.queue' }).allowed;
	return {
		application: summaryOf(application),
		criteria: criteriaRows(sheet, null, staff, actor.id),
		state: sheet.outcome.state,
		totalHundredths: sheet.outcome.totalHundredths,
		width: sheet.width,
		scorers: sheet.sets.length,
		canModerate: can(actor, { action: 'capital.assessment.moderate', application }),
		history: staff ? await scoringHistory(db, applicationId) : []
	};
}

/** The decisions page: the decisions open now (for an officer who may make them) and the timeline of those made. */
export async function decisionsForPage(db: Database, actor: Actor, applicationId: number) {
	const application = await loadAssessmentRef(db, actor, applicationId);
	assertCan(actor, { action: 'capital.decisions.view', application });
	const [result, decisions] = await Promise.all([
		db.selectFrom('capital_assessment_result').select(['state', 'rank_score']).where('application_id', '=', applicationId).executeTakeFirst(),
		db
			.selectFrom('capital_decision as d')
			.innerJoin('app_user as u', 'u.id', 'd.decided_by')
			.select(['d.id', 'd.move', 'd.from_stage', 'd.to_stage', 'd.reason', 'd.score_hundredths', 'd.created_at', 'u.name'])
			.where('d.application_id', '=', applicationId)
			.orderBy('d.id', 'desc')
			.execute()
	]);
	const moves = movesFrom(application.process, application.stage).filter(isDecisionMove);
	const decide = moves.length ? can(actor, { action: 'capital.application.decide', application, move: moves[0] }) : null;
	return {
		application: summaryOf(application),
		assessment: result ? { state: result.state, totalHundredths: result.rank_score >= 0 ? result.rank_score : null } : null,
		moves: decide?.allowed ? moves : [],
		refusal: decide && !decide.allowed && can(actor, { action: 'capital.assess.queue' }).allowed ? decide.reason : null,
		seesScores: can(actor, { action: 'capital.scores.view', application }).allowed,
		decisions: decisions.map((d) => ({ id: d.id, move: d.move, from: d.from_stage, to: d.to_stage, reason: d.reason, scoreHundredths: d.score_hundredths, at: d.created_at, who: d.name }))
	};
}

/** One page of a round's ranking (the index `capital_assessment_result_rank` serves it), exported for its query-plan test. */
export const RANKING_KEY: KeyKind[] = ['int', 'int'];

type RankingRow = { rank_score: number; id: number };
// Best score first; equal scores in the order the applications came in (so the second key is the id negated).
const byRank = (cursor: Cursor | null): Keyset<RankingRow> => ({
	order: [sql`r.rank_score`, sql`-r.application_id`],
	direction: 'desc',
	keyOf: (row) => [row.rank_score, -row.id],
	cursor,
	size: RANKING_PAGE_SIZE
});

function rankingBase(db: Database, roundId: number) {
	return db
		.selectFrom('capital_assessment_result as r')
		.innerJoin('capital_application as a', 'a.id', 'r.application_id')
		.innerJoin('capital_line as l', 'l.id', 'a.line_id')
		.innerJoin('setting as s', 's.id', 'a.setting_id')
		.select(['a.id', 'a.reference', 'a.title', 'a.stage', 'a.places', 'a.requested_pence', 's.name as setting_name', 'l.name as line_name', 'l.benchmark_per_place_pence', 'r.state', 'r.rank_score', 'r.scorers'])
		.where('r.round_id', '=', roundId);
}

/** One page of a round's ranking (the index `capital_assessment_result_rank` serves it), exported for its query-plan test. */
export const rankingQuery = (db: Database, roundId: number, cursor: Cursor | null) => pageQuery(rankingBase(db, roundId), byRank(cursor));

/** A round's applications ranked by moderated weighted score (best first), a page at a time. */
export async function rankingPage(db: Database, actor: Actor, roundId: number, cursor: Cursor | null) {
	assertCan(actor, { action: 'capital.ranking.view' });
	const round = await db.selectFrom('capital_round').select(['id', 'name']).where('id', '=', roundId).executeTakeFirst();
	if (!round) throw notFound('That round');
	const page = await keysetPage(rankingBase(db, roundId), byRank(cursor));
	return {
		round,
		...page,
		items: page.items.map((row) => {
			const perPlace = valuePerPlace(row.requested_pence, row.places);
			return {
				id: row.id,
				reference: row.reference,
				title: row.title,
				stage: row.stage,
				settingName: row.setting_name,
				lineName: row.line_name,
				places: row.places,
				requestedPence: row.requested_pence,
				state: row.state,
				totalHundredths: row.rank_score >= 0 ? row.rank_score : null,
				scorers: row.scorers,
				perPlacePence: perPlace,
				benchmarkPence: row.benchmark_per_place_pence,
				benchmark: benchmarkNote(perPlace, row.benchmark_per_place_pence)
			};
		})
	};
}
