import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { transact, type Work } from '../../work';
import { invalid, conflict } from '../../errors';
import { ukToday } from '$lib/dates';
import { SOURCE_LABELS, STANCE_LABELS, type PointSource } from '$lib/pcf/model';
import { addPointSchema, approveSchema, feedbackSchema, positionSchema } from '$lib/schemas/pcf';
import { staffOf } from '../../bids/access';
import { adviceChanged, adviceLink, auditSubjectOf, detailOf, keyOfInput, lockProposal, lockGroup, subjectColumn, subjectOf, tagThemes, type LoadedProposal } from '../proposals';

// The forum's position on a proposal and its points: a representative drafts, the lead approves
// (when and where the group agreed); aggregated feedback from families and young people comes in
// as points with a source, a date and a count, never a name.

const notInFuture = (iso: string, field: string, label: string) => {
	if (iso > ukToday()) throw invalid(`${label} cannot be in the future`, { [field]: [`${label} cannot be in the future`] });
};

/** Drafts or changes the group's position (changing an approved one takes it back to draft). */
export async function savePosition(db: Database, actor: Actor, raw: unknown): Promise<{ positionId: number }> {
	const input = parseInput(positionSchema, raw);
	return transact(db, actor.id, async (work) => {
		const proposal = await lockProposal(work.trx, keyOfInput(input));
		assertCan(actor, { action: 'pcf.position.write', proposal });
		await lockGroup(work.trx, proposal.districtId);
		const existing = await work.trx
			.selectFrom('pcf_position')
			.select(['id', 'version', 'approved_at'])
			.where('district_id', '=', proposal.districtId)
			.where(subjectColumn(proposal), '=', proposal.id)
			.forUpdate()
			.executeTakeFirst();
		if ((existing?.version ?? 0) !== input.version) {
			throw conflict('Another representative changed the group’s position while you were writing. Check what is saved now.');
		}
		const { id } = existing
			? await work.trx
					.updateTable('pcf_position')
					.set((eb) => ({ stance: input.stance, summary: input.summary, drafted_by: actor.id, approved_by: null, approved_at: null, agreed_on: null, agreed_where: null, version: eb('version', '+', 1) }))
					.where('id', '=', existing.id)
					.returning('id')
					.executeTakeFirstOrThrow()
			: await work.trx
					.insertInto('pcf_position')
					.values({ district_id: proposal.districtId, ...subjectOf(proposal), stance: input.stance, summary: input.summary, drafted_by: actor.id, version: 1 })
					.returning('id')
					.executeTakeFirstOrThrow();
		await work.record({
			action: 'pcf.position_drafted',
			subject: auditSubjectOf(proposal),
			summary: `drafted the ${proposal.districtName} PCF advisory group’s position: ${STANCE_LABELS[input.stance]}${existing?.approved_at ? ' (it needs the lead’s approval again)' : ''}`,
			detail: { positionId: id, stance: input.stance },
			events: adviceChanged(proposal)
		});
		return { positionId: id };
	});
}

/** Adds one of the forum's points to its position (drafted first: a point belongs to a position). */
export async function addPoint(db: Database, actor: Actor, raw: unknown): Promise<{ pointId: number }> {
	const input = parseInput(addPointSchema, raw);
	return transact(db, actor.id, async (work) => {
		const proposal = await lockProposal(work.trx, keyOfInput(input));
		assertCan(actor, { action: 'pcf.position.write', proposal });
		await lockGroup(work.trx, proposal.districtId);
		const position = await work.trx
			.selectFrom('pcf_position')
			.select(['id', 'approved_at'])
			.where('district_id', '=', proposal.districtId)
			.where(subjectColumn(proposal), '=', proposal.id)
			.forUpdate()
			.executeTakeFirst();
		if (!position) throw invalid('Say what the group’s position is before adding its points.', { body: ['Save the group’s position first'] });
		// A new point changes what the group says, so the lead approves the position again.
		if (position.approved_at) {
			await work.trx
				.updateTable('pcf_position')
				.set((eb) => ({ approved_by: null, approved_at: null, agreed_on: null, agreed_where: null, drafted_by: actor.id, version: eb('version', '+', 1) }))
				.where('id', '=', position.id)
				.execute();
		}
		const { id } = await work.trx
			.insertInto('pcf_point')
			.values({ district_id: proposal.districtId, ...subjectOf(proposal), position_id: position.id, source: 'forum', body: input.body, author_id: actor.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		const themes = await tagThemes(work.trx, id, input.themeIds);
		await work.record({
			action: 'pcf.point_added',
			subject: { type: 'pcf_point', id },
			summary: `added a point to the ${proposal.districtName} PCF advisory group’s position${themes.length ? ` (${themes.join(', ')})` : ''}${position.approved_at ? '; the lead approves the position again' : ''}`,
			detail: { ...detailOf(proposal), themes },
			events: adviceChanged(proposal, id)
		});
		return { pointId: id };
	});
}

/** The lead approves the position: from now on it is the group's, with when and where it was agreed. */
export async function approvePosition(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(approveSchema, raw);
	notInFuture(input.agreedOn, 'agreedOn', 'The date the group agreed it');
	await transact(db, actor.id, async (work) => {
		const proposal = await lockProposal(work.trx, keyOfInput(input));
		const group = await lockGroup(work.trx, proposal.districtId);
		const position = await work.trx
			.selectFrom('pcf_position')
			.selectAll()
			.where('district_id', '=', proposal.districtId)
			.where(subjectColumn(proposal), '=', proposal.id)
			.forUpdate()
			.executeTakeFirst();
		if (!position) throw invalid('There is no position to approve yet.');
		assertCan(actor, { action: 'pcf.position.approve', proposal, group, draftedBy: position.drafted_by });
		if (position.version !== input.version) throw conflict('The position changed since you opened it. Read it again before approving.');
		if (position.approved_at) throw conflict('This position has already been approved.');
		await work.trx
			.updateTable('pcf_position')
			.set((eb) => ({ approved_by: actor.id, approved_at: new Date(), agreed_on: input.agreedOn, agreed_where: input.agreedWhere, version: eb('version', '+', 1) }))
			.where('id', '=', position.id)
			.execute();
		const owners = proposal.ownerSettingId !== null ? await staffOf(work.trx, [proposal.ownerSettingId]) : proposal.ownerUserId ? [proposal.ownerUserId] : [];
		await work.record({
			action: 'pcf.position_approved',
			subject: auditSubjectOf(proposal),
			summary: `approved the ${proposal.districtName} PCF advisory group’s position: ${STANCE_LABELS[position.stance]} (agreed ${input.agreedOn}, ${input.agreedWhere})`,
			detail: { positionId: position.id, agreedOn: input.agreedOn, agreedWhere: input.agreedWhere },
			activity: { clusterId: proposal.clusterId, link: adviceLink(proposal), summary: `The ${proposal.districtName} PCF advisory group gave its position on “${proposal.title}”` },
			notify: { userIds: owners, title: `The PCF advisory group’s position on “${proposal.title}”`, body: 'Each of its points needs an answer.', link: adviceLink(proposal) },
			events: adviceChanged(proposal)
		});
	});
}

/** One point of aggregated feedback: how many raised it and when, never who. */
export interface FeedbackPoint {
	source: PointSource;
	body: string;
	heardOn: string;
	raisedCount: number;
	themeIds: readonly number[];
}

/**
 * Records aggregated feedback on a proposal under the forum group's lock, inside the caller's
 * transaction: the one path for every source (a survey typed in here, a dispute panels' theme).
 */
export async function recordFeedbackPoint(work: Work, proposal: LoadedProposal, point: FeedbackPoint): Promise<number> {
	await lockGroup(work.trx, proposal.districtId);
	const { id } = await work.trx
		.insertInto('pcf_point')
		.values({ district_id: proposal.districtId, ...subjectOf(proposal), source: point.source, body: point.body, heard_on: point.heardOn, raised_count: point.raisedCount })
		.returning('id')
		.executeTakeFirstOrThrow();
	const themes = await tagThemes(work.trx, id, point.themeIds);
	await work.record({
		action: 'pcf.feedback_added',
		subject: { type: 'pcf_point', id },
		summary: `brought in feedback from ${SOURCE_LABELS[point.source]} (${point.heardOn}, raised by ${point.raisedCount})`,
		detail: { ...detailOf(proposal), themes, source: point.source },
		events: adviceChanged(proposal, id)
	});
	return id;
}

/** Aggregated feedback from a survey, a SEND Connect session or the Youth Forum: how many, never who. */
export async function addFeedback(db: Database, actor: Actor, raw: unknown): Promise<{ pointId: number }> {
	const input = parseInput(feedbackSchema, raw);
	notInFuture(input.heardOn, 'heardOn', 'The date it was heard');
	return transact(db, actor.id, async (work) => {
		const proposal = await lockProposal(work.trx, keyOfInput(input));
		assertCan(actor, { action: 'pcf.feedback.add', proposal });
		return { pointId: await recordFeedbackPoint(work, proposal, input) };
	});
}


