import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { transact, type Work } from '../../work';
import { conflict, invalid, notFound } from '../../errors';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { formatDate, formatPence } from '$lib/format';
import { moveFor, MOVE_LABELS, STAGE_LABELS, type ApplicationMove, type ApplicationStage } from '$lib/capital/flow';
import { BODY_CAPACITIES, CAPACITY_LABELS } from '$lib/capital/applications/model';
import { STATUTORY_STEP_LABELS, STEP_STATUS_LABELS, type StatutoryRecord } from '$lib/capital/scheme/model';
import { costChange, feasibilityProblems, moneyNeededFor, schemeMoveProblem, statutoryStepsFor, type SchemeFacts } from '$lib/capital/scheme/rules';
import {
	addMilestoneSchema,
	completeMilestoneSchema,
	decideChangeSchema,
	eiaSchema,
	feasibilitySchema,
	issueAgreementSchema,
	reissueAgreementSchema,
	schemeMoveSchema,
	signAgreementSchema,
	statutoryStepSchema
} from '$lib/schemas/capital-scheme';
import { lockApplication, signerSettings, type ApplicationRow, type Trx } from '../applications/access';
import { changedEvent, recordMove } from '../applications/commands/writing';
import { signaturesMissing } from '../applications/rules';
import type { ApplicationRef } from '../applications/policy';
import { commitLocked, releaseLocked } from '../money/commands';
import { refuse, refuseFields } from '../commands/shared';

// A specialist scheme after approval in principle, one transaction per step. Each takes the
// application's row lock first, then the scheme's row, then (for money) the money module's source
// and line locks in its order, and asks the policy and the pure rules on what it read under them.
// Every step bumps the application's version (so a page opened before it knows it is stale),
// leaves who, when and why on the timeline and tells the application's room (ids only).

const FEASIBILITY_STAGES: readonly ApplicationStage[] = ['feasibility', 'statutory', 'in_delivery'];
const STATUTORY_STAGES: readonly ApplicationStage[] = ['feasibility', 'statutory'];
const EIA_STAGES: readonly ApplicationStage[] = ['approved_in_principle', 'feasibility', 'statutory'];
const MILESTONE_STAGES: readonly ApplicationStage[] = ['agreement', 'in_delivery'];

function requireStage(row: ApplicationRow, stages: readonly ApplicationStage[], what: string) {
	if (!stages.includes(row.stage)) refuse(`${what} cannot be recorded while the scheme is “${STAGE_LABELS[row.stage].toLowerCase()}”.`);
}

/** The scheme's row, made on first use with the amount the application asked for as approved, locked until the transaction ends. */
async function lockScheme(trx: Trx, row: ApplicationRow) {
	await trx
		.insertInto('capital_scheme')
		.values({ application_id: row.id, approved_pence: row.requested_pence ?? 0 })
		.onConflict((oc) => oc.column('application_id').doNothing())
		.execute();
	return trx.selectFrom('capital_scheme').selectAll().where('application_id', '=', row.id).forUpdate().executeTakeFirstOrThrow();
}
type SchemeRow = Awaited<ReturnType<typeof lockScheme>>;

/** Money committed (not planned) to the application, read under the application's lock. */
async function committedTo(trx: Trx, applicationId: number): Promise<number> {
	const { total } = await trx
		.selectFrom('capital_commitment')
		.select(sql<string>`coalesce(sum(amount_pence), 0)`.as('total'))
		.where('application_id', '=', applicationId)
		.where('kind', '=', 'committed')
		.executeTakeFirstOrThrow();
	return Number(total);
}

/** How the lead setting is governed, which says which statutory step applies. */
export async function leadGovernance(db: Trx | Database, settingId: number) {
	const row = await db
		.selectFrom('setting as s')
		.leftJoin('setting_type as t', 't.setting_type', 's.setting_type')
		.select(['t.governance'])
		.where('s.id', '=', settingId)
		.executeTakeFirstOrThrow();
	return row.governance ?? 'other';
}

/** Everything the move rules read, under the locks the caller took. */
export async function schemeFacts(db: Trx | Database, row: ApplicationRow, scheme: SchemeRow | undefined): Promise<SchemeFacts> {
	const [governance, recorded, committedPence, agreement, milestones, pending] = await Promise.all([
		leadGovernance(db, row.setting_id),
		db.selectFrom('capital_statutory_step').select(['step', 'status']).where('application_id', '=', row.id).execute(),
		db
			.selectFrom('capital_commitment')
			.select(sql<string>`coalesce(sum(amount_pence), 0)`.as('total'))
			.where('application_id', '=', row.id)
			.where('kind', '=', 'committed')
			.executeTakeFirstOrThrow()
			.then((r) => Number(r.total)),
		db.selectFrom('capital_scheme_agreement').select('status').where('application_id', '=', row.id).orderBy('agreement_version', 'desc').limit(1).executeTakeFirst(),
		db
			.selectFrom('capital_scheme_milestone')
			.select([sql<number>`count(*)::int`.as('total'), sql<number>`count(done_on)::int`.as('done')])
			.where('application_id', '=', row.id)
			.executeTakeFirstOrThrow(),
		db.selectFrom('capital_scheme_change').select('id').where('application_id', '=', row.id).where('status', '=', 'pending').executeTakeFirst()
	]);
	const steps = statutoryStepsFor(governance, scheme?.planning_needed ?? false).map((step) => ({ step, status: recorded.find((r) => r.step === step)?.status ?? ('not_started' as const) }));
	return {
		surveyDoneOn: scheme?.survey_done_on ?? null,
		costedTotalPence: scheme?.costed_total_pence ?? null,
		approvedPence: scheme?.approved_pence ?? row.requested_pence ?? 0,
		pendingChange: pending !== undefined,
		steps,
		eiaRecorded: scheme?.eia_on != null,
		committedPence,
		agreementSigned: agreement?.status === 'signed',
		milestones
	};
}

/** Bumps the application's version (and, for a move, its stage), returning the new version. */
async function bump(trx: Trx, row: ApplicationRow, stage?: ApplicationStage) {
	const { version } = await trx
		.updateTable('capital_application')
		.set((eb) => ({ version: eb('version', '+', 1), updated_at: sql<Date>`now()`, ...(stage ? { stage } : {}) }))
		.where('id', '=', row.id)
		.returning('version')
		.executeTakeFirstOrThrow();
	return version;
}

/** The record a scheme step leaves that does not move the stage: who, what, why, and the room told. */
async function recordStep(work: Work, row: ApplicationRow, version: number, action: string, summary: string, reason: string | null, detail: Record<string, unknown> = {}) {
	await work.record({ action, subject: { type: 'capital_application', id: row.id }, summary, reason, detail, events: changedEvent(row, version, null) });
}

async function lockOfficer(work: Work, actor: Actor, applicationId: number) {
	const { row, ref } = await lockApplication(work.trx, applicationId);
	assertCan(actor, { action: 'capital.scheme.officer', application: ref });
	return { row, ref };
}

/**
 * An officer moves a scheme on (feasibility, statutory steps, delivery, open). Each move asks the
 * flow whether it exists from this stage, then the scheme's rules what must be recorded first,
 * and refuses naming everything missing. The agreement has its own command (it writes terms).
 */
export async function moveScheme(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(schemeMoveSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row } = await lockOfficer(work, actor, input.applicationId);
		const answer = moveFor(row.process, row.stage, input.move);
		if (!answer.ok) throw invalid(answer.reason, { move: [answer.reason] });
		if (row.version !== input.version) throw conflict(`${row.reference} changed while you were looking at it. Reload the page and check before you ${MOVE_LABELS[input.move].toLowerCase()}.`);
		const scheme = input.move === 'start_feasibility' ? await lockScheme(work.trx, row) : await work.trx.selectFrom('capital_scheme').selectAll().where('application_id', '=', row.id).forUpdate().executeTakeFirst();
		const problem = schemeMoveProblem(input.move, await schemeFacts(work.trx, row, scheme));
		if (problem) throw invalid(problem, { move: [problem] });
		const version = await bump(work.trx, row, answer.to);
		const opened = input.move === 'open' ? `, with ${row.places ?? 'no'} places commissioned` : '';
		await recordMove(work, row, version, `${MOVE_LABELS[input.move]}: ${row.reference}${opened}`, `capital.scheme_${input.move}`, input.reason || null, { to: answer.to });
		return { version };
	});
}

/**
 * An officer records the feasibility study: the site survey, the costed total (contingency
 * included) and whether planning is needed. When the costed total moves from the amount approved,
 * the save is also a change request (with its reason) that another officer decides; one change
 * waits at a time.
 */
export async function recordFeasibility(db: Database, actor: Actor, raw: unknown): Promise<{ version: number; changeId: number | null }> {
	const input = parseInput(feasibilitySchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row } = await lockOfficer(work, actor, input.applicationId);
		requireStage(row, FEASIBILITY_STAGES, 'Feasibility');
		if (row.version !== input.version) throw conflict(`${row.reference} changed while you were looking at it. Reload the page and check the figures again.`);
		refuseFields(feasibilityProblems(input));
		const scheme = await lockScheme(work.trx, row);
		const change = costChange(scheme.approved_pence, input.costedTotalPence);
		let changeId: number | null = null;
		const pending = await work.trx
			.selectFrom('capital_scheme_change')
			.select(['id', 'to_pence'])
			.where('application_id', '=', row.id)
			.where('status', '=', 'pending')
			.forUpdate()
			.executeTakeFirst();
		if (pending && pending.to_pence !== input.costedTotalPence) {
			refuse(`A change of the costed total to ${formatPence(pending.to_pence)} is waiting for a decision. It must be approved or turned down before the total moves again.`, 'costedTotalPence');
		}
		// A total that differs from the approved amount is a change request, unless that very change is already waiting.
		if (change.moved && !pending) {
			if (!input.reason) refuse(`The costed total differs from the ${formatPence(scheme.approved_pence)} approved: say why the cost has moved.`, 'reason');
			({ id: changeId } = await work.trx
				.insertInto('capital_scheme_change')
				.values({ application_id: row.id, from_pence: scheme.approved_pence, to_pence: input.costedTotalPence, reason: input.reason, requested_by: actor.id })
				.returning('id')
				.executeTakeFirstOrThrow());
		}
		const planningChanged = input.planningNeeded !== scheme.planning_needed;
		await work.trx
			.updateTable('capital_scheme')
			.set((eb) => ({
				survey_done_on: input.surveyDoneOn,
				costed_total_pence: input.costedTotalPence,
				contingency_pence: input.contingencyPence,
				planning_needed: input.planningNeeded,
				updated_by: actor.id,
				updated_at: sql<Date>`now()`,
				version: eb('version', '+', 1)
			}))
			.where('application_id', '=', row.id)
			.execute();
		const version = await bump(work.trx, row);
		const said = [
			`site survey ${formatDate(input.surveyDoneOn)}`,
			`costed total ${formatPence(input.costedTotalPence)} including ${formatPence(input.contingencyPence)} contingency`,
			input.planningNeeded ? 'planning permission needed' : 'no planning permission needed'
		].join(', ');
		await recordStep(work, row, version, 'capital.scheme_feasibility_recorded', `Recorded the feasibility of ${row.reference}: ${said}${planningChanged && scheme.costed_total_pence !== null ? ' (planning changed)' : ''}`, input.reason || null, {
			costedTotalPence: input.costedTotalPence,
			contingencyPence: input.contingencyPence,
			planningNeeded: input.planningNeeded
		});
		if (changeId !== null && change.moved) {
			await recordStep(work, row, version, 'capital.scheme_change_requested', `Asked to change the approved cost of ${row.reference}: ${formatPence(change.fromPence)} → ${formatPence(change.toPence)}`, input.reason, {
				changeId,
				fromPence: change.fromPence,
				toPence: change.toPence
			});
		}
		return { version, changeId };
	});
}

/**
 * Another officer decides a change to the costed total. Approving a rise past the money already
 * committed commits the difference from a confirmed source through the money module (its rules
 * and locks, so concurrent approvals can never over-commit); a fall, or a rise the commitment
 * already covers, needs no new money; a fall releases what is committed beyond the new total back
 * to the line (the money module's locks again). Turning it down leaves the approved amount as it was.
 */
export async function decideChange(db: Database, actor: Actor, raw: unknown): Promise<{ version: number; commitmentId: number | null; releasedPence: number }> {
	const input = parseInput(decideChangeSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		const change = await work.trx
			.selectFrom('capital_scheme_change as c')
			.innerJoin('app_user as u', 'u.id', 'c.requested_by')
			.selectAll('c')
			.select('u.name as requester_name')
			.where('c.id', '=', input.changeId)
			.where('c.application_id', '=', row.id)
			.forUpdate('c')
			.executeTakeFirst();
		if (!change) throw notFound('That change request');
		assertCan(actor, { action: 'capital.scheme.change.decide', application: ref, change: { requestedBy: change.requested_by, requesterName: change.requester_name } });
		if (change.status !== 'pending') {
			// Decided by someone else while this officer was looking: say who, read under the same lock.
			const decider = change.decided_by === null ? null : await work.trx.selectFrom('app_user').select('name').where('id', '=', change.decided_by).executeTakeFirst();
			throw conflict(`${decider?.name ?? 'Another officer'} has already ${change.status === 'approved' ? 'approved' : 'turned down'} this change. Reload the page to see the decision.`);
		}
		requireStage(row, FEASIBILITY_STAGES, 'A change to the costed total');
		const scheme = await lockScheme(work.trx, row);
		let commitmentId: number | null = null;
		let newMoney = 0;
		let releasedPence = 0;
		if (input.decision === 'approve') {
			const committed = await committedTo(work.trx, row.id);
			newMoney = moneyNeededFor(change.to_pence, committed);
			// A lower cost gives back what is committed beyond it, so committed never exceeds the cost.
			if (committed > change.to_pence) {
				({ releasedPence } = await releaseLocked(work, row, committed - change.to_pence, `Change to the costed total approved: ${input.reason}`));
			}
			if (newMoney > 0) {
				const errors: Record<string, string[]> = {};
				if (input.sourceId === null) errors.sourceId = [`The new total needs ${formatPence(newMoney)} more than is committed: choose the confirmed source it comes from`];
				if (input.year === null) errors.year = ['Choose the financial year the new money is committed in'];
				if (Object.keys(errors).length) throw invalid(Object.values(errors)[0][0], errors);
				// The commitment is capped at the new total, not what the application first asked for.
				({ id: commitmentId } = await commitLocked(work, actor.id, { id: row.id, stage: row.stage, line_id: row.line_id, requested_pence: change.to_pence }, {
					kind: 'committed',
					sourceId: input.sourceId!,
					year: input.year!,
					amountPence: newMoney,
					reason: `Change to the costed total approved: ${input.reason}`
				}));
			}
			await work.trx
				.updateTable('capital_scheme')
				.set((eb) => ({ approved_pence: change.to_pence, updated_by: actor.id, updated_at: sql<Date>`now()`, version: eb('version', '+', 1) }))
				.where('application_id', '=', scheme.application_id)
				.execute();
		}
		await work.trx
			.updateTable('capital_scheme_change')
			.set({ status: input.decision === 'approve' ? 'approved' : 'rejected', decided_by: actor.id, decided_at: sql<Date>`now()`, decision_reason: input.reason, commitment_id: commitmentId })
			.where('id', '=', change.id)
			.execute();
		const version = await bump(work.trx, row);
		const words = `${formatPence(change.from_pence)} → ${formatPence(change.to_pence)}, asked for by ${change.requester_name}`;
		await recordStep(
			work,
			row,
			version,
			input.decision === 'approve' ? 'capital.scheme_change_approved' : 'capital.scheme_change_rejected',
			input.decision === 'approve'
				? `Approved the change to the cost of ${row.reference} (${words})${newMoney > 0 ? `; ${formatPence(newMoney)} more committed` : ''}${releasedPence > 0 ? `; ${formatPence(releasedPence)} released back to the line` : ''}`
				: `Turned down the change to the cost of ${row.reference} (${words})`,
			input.reason,
			{ changeId: change.id, commitmentId, releasedPence }
		);
		return { version, commitmentId, releasedPence };
	});
}

/** An officer records where a statutory step that applies to the scheme stands, with its date. */
export async function recordStatutoryStep(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(statutoryStepSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row } = await lockOfficer(work, actor, input.applicationId);
		requireStage(row, STATUTORY_STAGES, 'Statutory steps');
		const scheme = await lockScheme(work.trx, row);
		const applies = statutoryStepsFor(await leadGovernance(work.trx, row.setting_id), scheme.planning_needed);
		if (!applies.includes(input.step)) {
			refuse(
				applies.length
					? `${STATUTORY_STEP_LABELS[input.step]} does not apply to this scheme. It needs: ${applies.map((s) => STATUTORY_STEP_LABELS[s].toLowerCase()).join(', ')}.`
					: `${STATUTORY_STEP_LABELS[input.step]} does not apply to this scheme: it needs no statutory steps.`,
				'step'
			);
		}
		await work.trx
			.insertInto('capital_statutory_step')
			.values({ application_id: row.id, step: input.step, status: input.status, status_on: input.statusOn, note: input.note, updated_by: actor.id })
			.onConflict((oc) => oc.columns(['application_id', 'step']).doUpdateSet({ status: input.status, status_on: input.statusOn, note: input.note, updated_by: actor.id, updated_at: sql<Date>`now()` }))
			.execute();
		const version = await bump(work.trx, row);
		await recordStep(work, row, version, 'capital.scheme_statutory_recorded', `${STATUTORY_STEP_LABELS[input.step]}: ${STEP_STATUS_LABELS[input.status].toLowerCase()} on ${formatDate(input.statusOn)}`, input.note || null, {
			step: input.step,
			status: input.status
		});
		return { version };
	});
}

/**
 * An officer records the scheme's equalities impact assessment (Equality Act 2010, section 149):
 * needed before the funding agreement, when the design, the site and its access are known and
 * before the council binds itself to the money.
 */
export async function recordEia(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(eiaSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row } = await lockOfficer(work, actor, input.applicationId);
		requireStage(row, EIA_STAGES, 'The equalities impact assessment');
		const scheme = await lockScheme(work.trx, row);
		await work.trx
			.updateTable('capital_scheme')
			.set((eb) => ({ eia_on: input.assessedOn, eia_summary: input.summary, eia_by: actor.id, updated_by: actor.id, updated_at: sql<Date>`now()`, version: eb('version', '+', 1) }))
			.where('application_id', '=', scheme.application_id)
			.execute();
		const version = await bump(work.trx, row);
		await recordStep(work, row, version, 'capital.scheme_eia_recorded', `${scheme.eia_on ? 'Revised' : 'Recorded'} the equalities impact assessment of ${row.reference} (${formatDate(input.assessedOn)})`, input.summary);
		return { version };
	});
}

/** A version of the funding agreement with the terms as they stand: the approved cost, the places commissioned, the officer's terms and the statutory approvals. */
async function writeAgreement(trx: Trx, actor: Actor, row: ApplicationRow, scheme: SchemeRow, agreementVersion: number, terms: { clawbackYears: number; conditions: string; places: number }, statutory: StatutoryRecord[]): Promise<number> {
	const { id } = await trx
		.insertInto('capital_scheme_agreement')
		.values({
			application_id: row.id,
			agreement_version: agreementVersion,
			amount_pence: scheme.approved_pence,
			places: terms.places,
			clawback_years: terms.clawbackYears,
			conditions: terms.conditions,
			statutory: JSON.stringify(statutory),
			issued_by: actor.id
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

/**
 * An officer issues the funding agreement once everything before it is recorded: the terms as
 * issued (the approved cost, the places commissioned, the clawback period, the conditions and the
 * statutory approvals it rests on) are kept, so its PDF always says the same.
 */
export async function issueAgreement(db: Database, actor: Actor, raw: unknown): Promise<{ version: number; agreementId: number }> {
	const input = parseInput(issueAgreementSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockOfficer(work, actor, input.applicationId);
		const answer = moveFor(row.process, row.stage, 'issue_agreement');
		if (!answer.ok) throw invalid(answer.reason);
		if (row.version !== input.version) throw conflict(`${row.reference} changed while you were looking at it. Reload the page and check before issuing the agreement.`);
		const scheme = await lockScheme(work.trx, row);
		const facts = await schemeFacts(work.trx, row, scheme);
		const problem = schemeMoveProblem('issue_agreement', facts);
		if (problem) throw invalid(problem);
		if (row.places === null || row.places <= 0) refuse('The application gives no number of places, so the agreement has none to commission.');
		const steps = await work.trx.selectFrom('capital_statutory_step').select(['step', 'status', 'status_on']).where('application_id', '=', row.id).execute();
		const statutory: StatutoryRecord[] = facts.steps.map(({ step }) => {
			const recorded = steps.find((s) => s.step === step)!;
			return { step, status: recorded.status, on: recorded.status_on };
		});
		const previous = await work.trx.selectFrom('capital_scheme_agreement').select(sql<number>`coalesce(max(agreement_version), 0)`.as('n')).where('application_id', '=', row.id).executeTakeFirstOrThrow();
		const agreementVersion = Number(previous.n) + 1;
		const agreementId = await writeAgreement(work.trx, actor, row, scheme, agreementVersion, { ...input, places: row.places }, statutory);
		const version = await bump(work.trx, row, answer.to);
		await recordMove(work, row, version, `Issued the funding agreement for ${row.reference}: ${formatPence(scheme.approved_pence)} for ${row.places} places, clawback within ${input.clawbackYears} years`, 'capital.scheme_agreement_issued', input.reason || null, {
			agreementId,
			agreementVersion
		});
		await notifySettings(work, row, ref, `The funding agreement for ${row.reference} is ready to sign`);
		return { version, agreementId };
	});
}

/**
 * After an approved change alters the agreed terms (the approved cost, or the places the
 * application commissions), an officer reissues the funding agreement as a new version: the
 * version in force is kept, marked superseded with who, when and why (and stays downloadable), the
 * new one carries the terms as they stand and needs every signature again, so the scheme goes back
 * to waiting for signatures before delivery carries on.
 */
export async function reissueAgreement(db: Database, actor: Actor, raw: unknown): Promise<{ version: number; agreementId: number }> {
	const input = parseInput(reissueAgreementSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockOfficer(work, actor, input.applicationId);
		requireStage(row, ['agreement', 'in_delivery'], 'A reissued funding agreement');
		if (row.version !== input.version) throw conflict(`${row.reference} changed while you were looking at it. Reload the page and check before reissuing the agreement.`);
		const current = await work.trx
			.selectFrom('capital_scheme_agreement')
			.selectAll()
			.where('application_id', '=', row.id)
			.where('status', '<>', 'superseded')
			.forUpdate()
			.executeTakeFirst();
		if (!current) refuse('There is no funding agreement in force to reissue.');
		const scheme = await lockScheme(work.trx, row);
		if (row.places === null || row.places <= 0) refuse('The application gives no number of places, so the agreement has none to commission.');
		const pending = await work.trx.selectFrom('capital_scheme_change').select('id').where('application_id', '=', row.id).where('status', '=', 'pending').executeTakeFirst();
		if (pending) refuse('A change to the costed total is waiting for a decision. Decide it before reissuing the agreement.');
		if (scheme.approved_pence === current.amount_pence && row.places === current.places) {
			refuse(`The agreed terms have not changed since version ${current.agreement_version} (${formatPence(current.amount_pence)} for ${current.places} places): there is nothing to reissue.`);
		}
		await work.trx
			.updateTable('capital_scheme_agreement')
			.set({ status: 'superseded', superseded_by: actor.id, superseded_at: sql<Date>`now()`, superseded_reason: input.reason })
			.where('id', '=', current.id)
			.execute();
		const agreementVersion = current.agreement_version + 1;
		const agreementId = await writeAgreement(work.trx, actor, row, scheme, agreementVersion, { ...input, places: row.places }, current.statutory);
		// Back to waiting for signatures: delivery carries on once the new version is signed.
		const version = await bump(work.trx, row, 'agreement');
		await recordMove(
			work,
			row,
			version,
			`Reissued the funding agreement for ${row.reference} as version ${agreementVersion}: ${formatPence(scheme.approved_pence)} for ${row.places} places (version ${current.agreement_version}, ${formatPence(current.amount_pence)} for ${current.places} places, is superseded); every signature is needed again`,
			'capital.scheme_agreement_reissued',
			input.reason,
			{ agreementId, agreementVersion, supersededId: current.id }
		);
		await notifySettings(work, row, ref, `The funding agreement for ${row.reference} has been reissued and needs signing again`);
		return { version, agreementId };
	});
}

async function notifySettings(work: Work, row: ApplicationRow, ref: ApplicationRef, title: string) {
	const staff = await work.trx.selectFrom('setting_membership').select('user_id').where('setting_id', 'in', ref.settingIds).where('role', '=', 'headteacher').execute();
	await work.record({
		action: 'capital.scheme_notified',
		subject: { type: 'capital_application', id: row.id },
		summary: title,
		notify: { userIds: staff.map((s) => s.user_id), title, link: `/capital/applications/${row.id}/scheme`, email: true }
	});
}

/**
 * A signatory signs the funding agreement for a setting, in a capacity its type has (the same
 * rules as signing the application): a person for themselves, a governing body's, a trust's or a
 * landowner's sign-off recorded by the headteacher with who signed. Signing twice changes nothing;
 * the last signature needed marks the agreement signed.
 */
export async function signAgreement(db: Database, actor: Actor, raw: unknown): Promise<{ version: number; signed: boolean }> {
	const input = parseInput(signAgreementSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		const settings = await signerSettings(work.trx, ref);
		const setting = settings.find((s) => s.id === input.settingId);
		if (!setting) throw notFound('That setting');
		assertCan(actor, { action: 'capital.scheme.agreement.sign', application: ref, setting, as: input.capacity });
		const agreement = await work.trx
			.selectFrom('capital_scheme_agreement')
			.select(['id', 'status', 'agreement_version'])
			.where('id', '=', input.agreementId)
			.where('application_id', '=', row.id)
			.forUpdate()
			.executeTakeFirst();
		if (!agreement) throw notFound('That funding agreement');
		if (agreement.status === 'superseded') throw conflict(`Version ${agreement.agreement_version} of the funding agreement has been superseded by a later version. Reload the page and sign the version in force.`);
		const body = BODY_CAPACITIES.includes(input.capacity);
		if (body && !input.signedForName) throw invalid('Say who signed.', { signedForName: ['Give the name of the person who signed for them'] });
		const inserted = await work.trx
			.insertInto('capital_scheme_agreement_signature')
			.values({ agreement_id: agreement.id, setting_id: setting.id, capacity: input.capacity, signed_by: actor.id, signed_for_name: body ? input.signedForName : '' })
			.onConflict((oc) => oc.columns(['agreement_id', 'setting_id', 'capacity']).doNothing())
			.returning('id')
			.executeTakeFirst();
		if (!inserted) return { version: row.version, signed: agreement.status === 'signed' };
		const given = await work.trx.selectFrom('capital_scheme_agreement_signature').select(['setting_id as settingId', 'capacity']).where('agreement_id', '=', agreement.id).execute();
		const complete = signaturesMissing(settings, given).length === 0;
		if (complete) await work.trx.updateTable('capital_scheme_agreement').set({ status: 'signed', signed_at: sql<Date>`now()` }).where('id', '=', agreement.id).execute();
		const version = await bump(work.trx, row);
		const as = CAPACITY_LABELS[input.capacity];
		await recordStep(
			work,
			row,
			version,
			'capital.scheme_agreement_signed',
			(body ? `Recorded the signature of ${as} of ${setting.name} on the funding agreement, signed by ${input.signedForName}` : `Signed the funding agreement for ${setting.name} as ${as}`) +
				(complete ? '; the agreement is now fully signed' : ''),
			null,
			{ agreementId: agreement.id, settingId: setting.id, capacity: input.capacity, complete }
		);
		return { version, signed: complete };
	});
}

/** An officer adds a delivery milestone once the agreement is issued. */
export async function addMilestone(db: Database, actor: Actor, raw: unknown): Promise<{ version: number; milestoneId: number }> {
	const input = parseInput(addMilestoneSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row } = await lockOfficer(work, actor, input.applicationId);
		requireStage(row, MILESTONE_STAGES, 'Delivery milestones');
		const { id: milestoneId } = await work.trx
			.insertInto('capital_scheme_milestone')
			.values({ application_id: row.id, title: input.title, due_on: input.dueOn, created_by: actor.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		const version = await bump(work.trx, row);
		await recordStep(work, row, version, 'capital.scheme_milestone_added', `Added the milestone “${input.title}”, due ${formatDate(input.dueOn)}`, null, { milestoneId });
		return { version, milestoneId };
	});
}

/** An officer records a milestone as done, with the date. Recording it again changes nothing. */
export async function completeMilestone(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(completeMilestoneSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row } = await lockOfficer(work, actor, input.applicationId);
		requireStage(row, MILESTONE_STAGES, 'Delivery milestones');
		const milestone = await work.trx
			.selectFrom('capital_scheme_milestone')
			.select(['id', 'title', 'done_on'])
			.where('id', '=', input.milestoneId)
			.where('application_id', '=', row.id)
			.forUpdate()
			.executeTakeFirst();
		if (!milestone) throw notFound('That milestone');
		if (milestone.done_on !== null) return { version: row.version };
		await work.trx.updateTable('capital_scheme_milestone').set({ done_on: input.doneOn, done_by: actor.id }).where('id', '=', milestone.id).execute();
		const version = await bump(work.trx, row);
		await recordStep(work, row, version, 'capital.scheme_milestone_done', `Milestone done: “${milestone.title}” on ${formatDate(input.doneOn)}`, null, { milestoneId: milestone.id });
		return { version };
	});
}

export type SchemeMove = Extract<ApplicationMove, 'start_feasibility' | 'start_statutory' | 'start_delivery' | 'open'>;
