import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { transact } from '../../work';
import { invalid, conflict } from '../../errors';
import { ukToday } from '$lib/dates';
import { ANSWER_LABELS } from '$lib/pcf/model';
import { answerSchema, checkSchema, deliverSchema, publishAnswersSchema, withdrawSchema } from '$lib/schemas/pcf';
import { answerProblem, publicationWaitsFor } from '../rules';
import { adviceChanged, adviceLink, auditSubjectOf, detailOf, groupMembers, keyOfInput, lockProposal, lockGroup, lockPoint, subjectColumn } from '../proposals';

// Every point answered and followed to delivery: the proposal's owner or an officer drafts an
// answer; the proposal's answers are published together; a "will change" is delivered with a
// date and evidence; an officer and the PCF lead each check a point before it is public.

export async function answerPoint(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(answerSchema, raw);
	const problem = answerProblem(input.answer, input.text, input.changeBy, ukToday());
	if (problem) throw invalid(problem.message, { [problem.field]: [problem.message] });
	return transact(db, actor.id, async (work) => {
		const point = await lockPoint(work.trx, input.pointId, input.version);
		const proposal = await lockProposal(work.trx, point.key);
		assertCan(actor, { action: 'pcf.point.answer', proposal, point: { authorId: point.author_id, answeredBy: point.answered_by } });
		if (point.position_id !== null) {
			const position = await work.trx.selectFrom('pcf_position').select('approved_at').where('id', '=', point.position_id).executeTakeFirstOrThrow();
			if (!position.approved_at) throw invalid('This point is part of a position the PCF lead has not approved yet, so it is not the group’s advice to answer.');
		}
		if (point.answer_published_at) throw conflict('This point’s answer has been published. It stands as published; a change to it would need a new point.');
		const { version } = await work.trx
			.updateTable('pcf_point')
			.set((eb) => ({
				answer: input.answer,
				answer_text: input.text,
				change_by: input.answer === 'will_change' ? input.changeBy : null,
				answered_by: actor.id,
				answered_at: new Date(),
				version: eb('version', '+', 1)
			}))
			.where('id', '=', point.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		await work.record({
			action: 'pcf.point_answered',
			subject: { type: 'pcf_point', id: point.id },
			summary: `drafted an answer: ${ANSWER_LABELS[input.answer]}${input.changeBy && input.answer === 'will_change' ? ` by ${input.changeBy}` : ''}`,
			detail: { ...detailOf(proposal), answer: input.answer },
			events: adviceChanged(proposal, point.id)
		});
		return { version };
	});
}

/** Publishes every drafted answer on the proposal at once, so the forum reads them together. */
export async function publishAnswers(db: Database, actor: Actor, raw: unknown): Promise<{ published: number }> {
	const input = parseInput(publishAnswersSchema, raw);
	return transact(db, actor.id, async (work) => {
		const proposal = await lockProposal(work.trx, keyOfInput(input));
		assertCan(actor, { action: 'pcf.point.answer', proposal, point: { authorId: null, answeredBy: null } });
		await lockGroup(work.trx, proposal.districtId);
		const published = await work.trx
			.updateTable('pcf_point as p')
			.set((eb) => ({ answer_published_at: new Date(), version: eb('p.version', '+', 1) }))
			.where(`p.${subjectColumn(proposal)}`, '=', proposal.id)
			.where('p.district_id', '=', proposal.districtId)
			.where('p.answer', 'is not', null)
			.where('p.answer_published_at', 'is', null)
			.where('p.answered_by', 'is not', null)
			.returning('p.id')
			.execute();
		if (published.length === 0) throw invalid('There are no drafted answers to publish.');
		await work.record({
			action: 'pcf.answers_published',
			subject: auditSubjectOf(proposal),
			summary: `published ${published.length} answer${published.length === 1 ? '' : 's'} to the ${proposal.districtName} PCF advisory group`,
			detail: { pointIds: published.map((p) => p.id) },
			activity: { clusterId: proposal.clusterId, link: adviceLink(proposal), summary: `Answers to the PCF advisory group on “${proposal.title}” were published` },
			notify: { userIds: await groupMembers(work.trx, proposal.districtId), title: `Answers to your points on “${proposal.title}”`, link: adviceLink(proposal), email: false },
			events: adviceChanged(proposal)
		});
		return { published: published.length };
	});
}

/** A "will change" delivered, with the date and what shows it. */
export async function deliverPoint(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(deliverSchema, raw);
	if (input.deliveredOn > ukToday()) throw invalid('The date it was delivered cannot be in the future', { deliveredOn: ['The date it was delivered cannot be in the future'] });
	await transact(db, actor.id, async (work) => {
		const point = await lockPoint(work.trx, input.pointId, input.version);
		const proposal = await lockProposal(work.trx, point.key);
		assertCan(actor, { action: 'pcf.point.answer', proposal, point: { authorId: point.author_id, answeredBy: null } });
		if (point.answer !== 'will_change' || !point.answer_published_at) throw invalid('Only a published “we will change” can be marked as delivered.');
		if (point.delivered_on) throw conflict('This change has already been marked as delivered.');
		await work.trx
			.updateTable('pcf_point')
			.set((eb) => ({
				delivered_on: input.deliveredOn,
				delivery_evidence: input.evidence,
				delivered_by: actor.id,
				public_changed_at: point.public_at ? new Date() : null,
				version: eb('version', '+', 1)
			}))
			.where('id', '=', point.id)
			.execute();
		await work.record({
			action: 'pcf.point_delivered',
			subject: { type: 'pcf_point', id: point.id },
			summary: `marked the change as delivered on ${input.deliveredOn}`,
			detail: { ...detailOf(proposal), evidence: input.evidence },
			notify: { userIds: await groupMembers(work.trx, proposal.districtId), title: `A change you asked for on “${proposal.title}” was made`, link: adviceLink(proposal) },
			events: adviceChanged(proposal, point.id)
		});
	});
}

/** An officer's or the lead's check that nothing identifies anyone; the second of the two publishes it. */
export async function checkPoint(db: Database, actor: Actor, raw: unknown): Promise<{ published: boolean }> {
	const input = parseInput(checkSchema, raw);
	return transact(db, actor.id, async (work) => {
		const point = await lockPoint(work.trx, input.pointId, input.version);
		const proposal = await lockProposal(work.trx, point.key);
		const group = await lockGroup(work.trx, proposal.districtId);
		assertCan(actor, { action: 'pcf.point.check', proposal, group, point: { authorId: point.author_id, answeredBy: point.answered_by }, as: input.as });
		if (!point.answer_published_at) throw invalid('Publish the answer to this point before checking it for the public page.');
		if ((input.as === 'officer' ? point.officer_checked_at : point.lead_checked_at) !== null) throw conflict('That check has already been made.');
		const officerChecked = input.as === 'officer' || point.officer_checked_at !== null;
		const leadChecked = input.as === 'lead' || point.lead_checked_at !== null;
		const publish = publicationWaitsFor({ answerPublished: true, officerChecked, leadChecked }).length === 0;
		const now = new Date();
		await work.trx
			.updateTable('pcf_point')
			.set((eb) => ({
				...(input.as === 'officer' ? { officer_checked_by: actor.id, officer_checked_at: now } : { lead_checked_by: actor.id, lead_checked_at: now }),
				public_at: publish ? now : null,
				public_changed_at: publish ? now : null,
				version: eb('version', '+', 1)
			}))
			.where('id', '=', point.id)
			.execute();
		await work.record({
			action: publish ? 'pcf.point_published' : 'pcf.point_checked',
			subject: { type: 'pcf_point', id: point.id },
			summary: `checked the point for anything identifying as ${input.as === 'officer' ? 'an officer' : 'the PCF lead'}${publish ? ', and it is now on the public “you said, we did” page' : ''}`,
			detail: { ...detailOf(proposal), as: input.as },
			events: adviceChanged(proposal, point.id)
		});
		return { published: publish };
	});
}

/** Takes a published point off the public pages, saying why; the checks are kept in its history. */
export async function withdrawPoint(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(withdrawSchema, raw);
	await transact(db, actor.id, async (work) => {
		const point = await lockPoint(work.trx, input.pointId, input.version);
		const proposal = await lockProposal(work.trx, point.key);
		const group = await lockGroup(work.trx, proposal.districtId);
		assertCan(actor, { action: 'pcf.point.withdraw', proposal, group });
		if (!point.public_at || point.withdrawn_at) throw invalid('Only a point on the public page can be withdrawn.');
		await work.trx
			.updateTable('pcf_point')
			.set({ withdrawn_at: sql`now()`, public_changed_at: sql`now()`, version: sql`version + 1` })
			.where('id', '=', point.id)
			.execute();
		await work.record({
			action: 'pcf.point_withdrawn',
			subject: { type: 'pcf_point', id: point.id },
			summary: 'withdrew the point from the public “you said, we did” page',
			reason: input.reason,
			detail: detailOf(proposal),
			events: adviceChanged(proposal, point.id)
		});
	});
}
