import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { transact } from '../../work';
import { conflict, invalid, notFound } from '../../errors';
import { ukToday } from '$lib/dates';
import { formatDate } from '$lib/format';
import { CONSULTATION_LABEL_TEXT } from '$lib/pcf/model';
import { closeConsultationSchema, extendConsultationSchema, openConsultationSchema, recordSteeringDecisionSchema } from '$lib/schemas/pcf';
import { calendarAround } from '../../disputes/cases';
import { closingProblem, meetingProblem, type ClosingRule } from '../closing';
import { adviceConsideredProblem, adviceOnConsultation } from '../advice-record';
import { adviceLink, consultationListed, groupMembers, lockProposal, lockGroup, type Trx } from '../proposals';
import type { ScheduledJob } from '../../jobs/scheduler';
import { log } from '../../log';

// Consultations and decision points: an officer or a cluster lead opens one in a workspace, with a
// closing date the district's rule allows; its owner or an officer closes it early or extends it,
// each time saying why (the consultation's timeline is its audit history). A cluster steering
// group's decision item is a consultation labelled `steering_decision` with the date of the meeting
// that decides it: the forum's advice closes before that meeting, and after it the item's owner or
// an officer records the decision and how the forum's advice was considered.

const subject = (id: number) => ({ type: 'pcf_consultation', id });
/** A date without a time ("2027-01-20"), as GOV.UK writes it: "20 January 2027". */
const day = (iso: string) => formatDate(`${iso}T12:00:00Z`);

/** The district's rule for closing dates, set on its PCF group (defaults until an officer changes them). */
async function closingRule(trx: Trx, districtId: number): Promise<ClosingRule> {
	await lockGroup(trx, districtId);
	const row = await trx.selectFrom('pcf_group').select(['consultation_min_days', 'consultation_avoid_holidays']).where('district_id', '=', districtId).executeTakeFirstOrThrow();
	return { minDays: row.consultation_min_days, avoidHolidays: row.consultation_avoid_holidays };
}

const refuseDate = (field: string, problem: { message: string }) => invalid(problem.message, { [field]: [problem.message] });

/** Opens a consultation, or puts a decision item on a steering group's agenda (`steering`). */
export async function openConsultation(db: Database, actor: Actor, raw: unknown): Promise<{ consultationId: number; steering: boolean }> {
	const input = parseInput(openConsultationSchema, raw);
	return transact(db, actor.id, async (work) => {
		const cluster = await work.trx
			.selectFrom('cluster')
			.select(['id', 'name', 'kind', 'parent_id', 'status'])
			.where('id', '=', input.clusterId)
			.executeTakeFirst();
		if (!cluster || cluster.status !== 'active') throw notFound('That workspace');
		const districtId = cluster.parent_id ?? cluster.id;
		assertCan(actor, { action: 'pcf.consultation.open', workspace: { clusterId: cluster.id, clusterName: cluster.name, districtId } });
		const opensOn = ukToday();
		const rule = await closingRule(work.trx, districtId);
		const problem = closingProblem(opensOn, input.closesOn, rule, await calendarAround(work.trx, districtId, opensOn));
		if (problem) throw refuseDate('closesOn', problem);
		const steering = input.meetingOn !== null;
		const meetingDay = input.meetingOn === null ? null : day(input.meetingOn);
		const meeting = input.meetingOn === null ? null : meetingProblem(input.closesOn, input.meetingOn);
		if (meeting) throw refuseDate('meetingOn', { message: meeting });
		const { id } = await work.trx
			.insertInto('pcf_consultation')
			.values({
				cluster_id: cluster.id,
				district_id: districtId,
				title: input.title,
				body: input.body,
				link: input.link,
				label: input.label,
				statutory_route: input.statutoryRoute,
				coproduction_stage: input.stage,
				opens_on: opensOn,
				closes_on: input.closesOn,
				decision_meeting_on: input.meetingOn,
				status: 'open',
				owner_id: actor.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const link = adviceLink({ kind: 'consultation', id });
		await work.record({
			action: 'pcf.consultation_opened',
			subject: subject(id),
			summary: meetingDay
				? `put “${input.title}” on the steering group’s agenda in ${cluster.name} for its meeting on ${meetingDay}; the forum’s advice closes ${day(input.closesOn)}`
				: `opened the ${CONSULTATION_LABEL_TEXT[input.label].toLowerCase()} “${input.title}” in ${cluster.name}, closing ${day(input.closesOn)}`,
			detail: { clusterIds: [cluster.id], label: input.label, stage: input.stage, closesOn: input.closesOn, meetingOn: input.meetingOn },
			activity: { clusterId: cluster.id, link, summary: steering ? `A decision was put on the steering group’s agenda: “${input.title}”` : `A consultation was opened: “${input.title}”` },
			notify: {
				userIds: (await groupMembers(work.trx, districtId)).filter((userId) => userId !== actor.id),
				title: steering ? `A steering group decision for the PCF advisory group’s advice: “${input.title}”` : `A consultation for the PCF advisory group: “${input.title}”`,
				body: meetingDay ? `Advice closes on ${day(input.closesOn)}; the steering group decides at its meeting on ${meetingDay}.` : `It closes on ${day(input.closesOn)}.`,
				link
			},
			events: consultationListed({ id, clusterId: cluster.id }, 'opened')
		});
		return { consultationId: id, steering };
	});
}

/** The consultation locked for a change, asked of the policy and checked against the version the page showed. */
async function lockConsultation(trx: Trx, actor: Actor, consultationId: number, seenVersion: number) {
	const row = await trx.selectFrom('pcf_consultation').selectAll().where('id', '=', consultationId).forUpdate().executeTakeFirst();
	if (!row) throw notFound('That consultation');
	const proposal = await lockProposal(trx, { consultationId });
	assertCan(actor, { action: 'pcf.consultation.manage', proposal });
	if (row.version !== seenVersion) throw conflict('Someone else changed this consultation while you were looking at it. Check what is saved now.');
	if (row.status === 'closed') throw conflict('This consultation has already been closed.');
	return { row, proposal };
}

export async function extendConsultation(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(extendConsultationSchema, raw);
	await transact(db, actor.id, async (work) => {
		const { row, proposal } = await lockConsultation(work.trx, actor, input.consultationId, input.version);
		const rule = await closingRule(work.trx, row.district_id);
		const problem = closingProblem(row.opens_on, input.closesOn, rule, await calendarAround(work.trx, row.district_id, row.opens_on), row.closes_on);
		if (problem) throw refuseDate('closesOn', problem);
		// A decision item's advice still closes before the meeting that decides it.
		const meeting = row.decision_meeting_on === null ? null : meetingProblem(input.closesOn, row.decision_meeting_on);
		if (meeting) throw refuseDate('closesOn', { message: meeting });
		await work.trx.updateTable('pcf_consultation').set({ closes_on: input.closesOn, version: sql`version + 1` }).where('id', '=', row.id).execute();
		await work.record({
			action: 'pcf.consultation_extended',
			subject: subject(row.id),
			summary: `extended the consultation from ${row.closes_on} to ${input.closesOn}`,
			reason: input.reason,
			detail: { from: row.closes_on, to: input.closesOn },
			notify: { userIds: await groupMembers(work.trx, row.district_id), title: `“${row.title}” now closes on ${input.closesOn}`, link: adviceLink(proposal), email: false },
			events: consultationListed({ id: row.id, clusterId: row.cluster_id }, 'extended')
		});
	});
}

export async function closeConsultation(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(closeConsultationSchema, raw);
	await transact(db, actor.id, async (work) => {
		const { row, proposal } = await lockConsultation(work.trx, actor, input.consultationId, input.version);
		const early = row.closes_on > ukToday();
		await work.trx
			.updateTable('pcf_consultation')
			.set({ status: 'closed', closed_at: sql`now()`, closed_by: actor.id, version: sql`version + 1` })
			.where('id', '=', row.id)
			.execute();
		await work.record({
			action: 'pcf.consultation_closed',
			subject: subject(row.id),
			summary: `closed the consultation${early ? ` before its closing date (${row.closes_on})` : ''}`,
			reason: input.reason,
			notify: { userIds: await groupMembers(work.trx, row.district_id), title: `“${row.title}” has closed`, link: adviceLink(proposal), email: false },
			events: consultationListed({ id: row.id, clusterId: row.cluster_id }, 'closed')
		});
	});
}

/**
 * Records what a cluster steering group decided on a decision item, from the day of its meeting:
 * by the item's owner or an officer, once, saying how the forum's advice was considered when the
 * forum gave any (its approved points and families' feedback). The item closes with it, if the
 * portal has not closed it already.
 */
export async function recordSteeringDecision(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(recordSteeringDecisionSchema, raw);
	await transact(db, actor.id, async (work) => {
		const row = await work.trx.selectFrom('pcf_consultation').selectAll().where('id', '=', input.consultationId).forUpdate().executeTakeFirst();
		if (!row || row.label !== 'steering_decision' || row.decision_meeting_on === null) throw notFound('That steering group decision item');
		const proposal = await lockProposal(work.trx, { consultationId: row.id });
		assertCan(actor, { action: 'pcf.steering.decide', proposal });
		if (row.version !== input.version) throw conflict('Someone else changed this item while you were looking at it. Check what is saved now.');
		if (row.decided_at !== null) throw conflict('The steering group’s decision on this item has already been recorded.');
		if (ukToday() < row.decision_meeting_on) {
			throw invalid(`The steering group decides this at its meeting on ${day(row.decision_meeting_on)}: record its decision on or after that day.`);
		}
		const problem = adviceConsideredProblem(await adviceOnConsultation(work.trx, row.id), input.adviceConsidered);
		if (problem) throw invalid(problem, { adviceConsidered: [problem] });
		const considered = input.adviceConsidered || null;
		const closing = row.status === 'open' ? { status: 'closed' as const, closed_at: sql<Date>`now()`, closed_by: actor.id } : {};
		await work.trx
			.updateTable('pcf_consultation')
			.set({ ...closing, decision: input.decision, decision_advice_considered: considered, decided_at: sql`now()`, decided_by: actor.id, version: sql`version + 1` })
			.where('id', '=', row.id)
			.execute();
		const link = adviceLink(proposal);
		await work.record({
			action: 'pcf.steering_decision_recorded',
			subject: subject(row.id),
			summary: `recorded the steering group’s decision at its meeting on ${day(row.decision_meeting_on)}: ${input.decision}`,
			reason: considered ? `How the PCF advisory group’s advice was considered: ${considered}` : null,
			detail: { meetingOn: row.decision_meeting_on, decision: input.decision, adviceConsidered: considered },
			activity: { clusterId: row.cluster_id, link, summary: `The steering group’s decision on “${row.title}” was recorded` },
			notify: { userIds: await groupMembers(work.trx, row.district_id), title: `The steering group decided “${row.title}”`, body: input.decision, link },
			events: consultationListed({ id: row.id, clusterId: row.cluster_id }, 'decided')
		});
	});
}

/**
 * Closes, as the portal (no person), every open consultation whose closing date has passed: one
 * short transaction each, the row locked and read again, so a second run (or another instance,
 * or its owner closing it meanwhile) finds nothing left to do. Returns how many it closed.
 */
export async function closeDueConsultations(db: Database, today: string = ukToday()): Promise<number> {
	const due = await db.selectFrom('pcf_consultation').select('id').where('status', '=', 'open').where('closes_on', '<', today).orderBy('id').limit(500).execute();
	let closed = 0;
	for (const { id } of due) {
		const done = await transact(db, null, async (work) => {
			const row = await work.trx.selectFrom('pcf_consultation').select(['id', 'title', 'status', 'closes_on', 'district_id', 'cluster_id']).where('id', '=', id).forUpdate().executeTakeFirst();
			if (!row || row.status !== 'open' || row.closes_on >= today) return false;
			await work.trx
				.updateTable('pcf_consultation')
				.set({ status: 'closed', closed_at: sql`now()`, closed_by: null, closed_automatically: true, version: sql`version + 1` })
				.where('id', '=', row.id)
				.execute();
			await work.record({
				action: 'pcf.consultation_closed',
				subject: subject(row.id),
				summary: `closed the consultation on its closing date (${row.closes_on})`,
				detail: { automatically: true, closesOn: row.closes_on },
				notify: { userIds: await groupMembers(work.trx, row.district_id), title: `“${row.title}” has closed`, link: adviceLink({ kind: 'consultation', id: row.id }), email: false },
				events: consultationListed({ id: row.id, clusterId: row.cluster_id }, 'closed')
			});
			return true;
		});
		if (done) closed += 1;
	}
	return closed;
}

/** Hourly, once across instances (the scheduler's row lock): a consultation closes within the hour after its closing day ends. */
export function consultationClosingJob(): ScheduledJob {
	return {
		name: 'pcf-consultation-closing',
		intervalMs: 60 * 60 * 1000,
		async run(db) {
			const closed = await closeDueConsultations(db);
			if (closed > 0) log.info({ closed }, 'pcf: consultations closed on their closing date');
		}
	};
}
