import { sql } from 'kysely';
import type { Database } from '../../../db';
import type { Actor } from '../../../auth/actor';
import { transact } from '../../../work';
import { invalid } from '../../../errors';
import { assertCan } from '../../../policy';
import { parseInput } from '../../../input';
import { moveFor, MOVE_LABELS, type ApplicationMove, type RegisterStatus } from '$lib/capital/flow';
import { askForInformationSchema, officerMoveSchema, rolloutDecisionSchema, withdrawApplicationSchema } from '$lib/schemas/capital-applications';
import { closedAtFor, lockApplication, type ApplicationRow, type Trx } from '../access';
import { recordMove } from './writing';
import { adviceConsideredOnApplication, adviceWords } from '../../../pcf/advice-record';

// The moves the applicant's side owns: withdrawing, an officer asking for more information (back
// to the applicant with points) or starting the assessment, and the rollout's decisions, which
// set the year and band and move the school on the register.

async function moveTo(trx: Trx, row: ApplicationRow, move: ApplicationMove, extra: Record<string, unknown> = {}) {
	const answer = moveFor(row.process, row.stage, move);
	if (!answer.ok) throw invalid(answer.reason);
	const decided = ['approve', 'defer'].includes(move) ? { decided_at: sql<Date>`now()` } : {};
	const { version } = await trx
		.updateTable('capital_application')
		.set((eb) => ({ stage: answer.to, updated_at: sql<Date>`now()`, version: eb('version', '+', 1), ...decided, ...closedAtFor(answer.to), ...extra }))
		.where('id', '=', row.id)
		.returning('version')
		.executeTakeFirstOrThrow();
	return { version, to: answer.to };
}

export async function withdrawApplication(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(withdrawApplicationSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		assertCan(actor, { action: 'capital.application.withdraw', application: ref });
		const { version } = await moveTo(work.trx, row, 'withdraw');
		if (row.process === 'rollout') await registerStatus(work.trx, row, 'in_conversation', actor.id);
		await recordMove(work, row, version, `Withdrew ${row.reference}`, 'capital.application_withdrawn', input.reason);
		return { version };
	});
}

/** Back to the applicant with the points to answer; nothing already recorded (scores) is lost. */
export async function askForInformation(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(askForInformationSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		assertCan(actor, { action: 'capital.application.officer', application: ref });
		const { version } = await moveTo(work.trx, row, 'ask_for_information');
		const staff = await work.trx.selectFrom('setting_membership').select('user_id').where('setting_id', 'in', ref.settingIds).execute();
		await recordMove(work, row, version, `Asked for more information on ${row.reference}`, 'capital.application_information_asked', input.points, { points: input.points });
		await work.record({
			action: 'capital.application_information_notified',
			subject: { type: 'capital_application', id: row.id },
			summary: `More information is needed on ${row.reference}`,
			notify: { userIds: staff.map((s) => s.user_id), title: `More information is needed on ${row.reference}`, body: input.points, link: `/capital/applications/${row.id}`, email: true }
		});
		return { version };
	});
}

export async function startAssessment(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(officerMoveSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		assertCan(actor, { action: 'capital.application.officer', application: ref });
		const { version } = await moveTo(work.trx, row, 'start_assessment');
		await recordMove(work, row, version, `Started assessing ${row.reference}`, 'capital.application_assessment_started', input.reason || null);
		return { version };
	});
}

/** The rollout's decisions (a readiness and phasing decision), as against the steps after one. */
export const DECIDING: readonly ApplicationMove[] = ['approve', 'defer'];

const REGISTER_AFTER: Partial<Record<ApplicationMove, RegisterStatus>> = {
	approve: 'approved',
	defer: 'in_conversation',
	start_delivery: 'in_delivery',
	open: 'open'
};

async function registerStatus(trx: Trx, row: ApplicationRow, status: RegisterStatus, actorId: number, set: { planned_year?: number; band?: 'standard' | 'enhanced' } = {}) {
	await trx
		.insertInto('capital_rollout')
		.values({ setting_id: row.setting_id, line_id: row.line_id, status, application_id: row.id, updated_by: actorId, ...set })
		.onConflict((oc) =>
			oc.column('setting_id').doUpdateSet({ status, application_id: row.id, updated_by: actorId, updated_at: sql`now()`, version: sql`capital_rollout.version + 1`, ...set })
		)
		.execute();
}

/**
 * A rollout's readiness and phasing decision: approving sets the year and band (a readiness
 * assessment, not a ranking), deferring puts the school back in conversation; then delivery and
 * opening. Each moves the school on the register in the same transaction.
 */
export async function decideRollout(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(rolloutDecisionSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		assertCan(actor, { action: 'capital.application.officer', application: ref });
		if (row.process !== 'rollout') throw invalid(`${MOVE_LABELS[input.move]} here is for the secondary rollout; this application follows another process.`);
		let set: { planned_year?: number; band?: 'standard' | 'enhanced' } = {};
		if (input.move === 'approve') {
			const errors: Record<string, string[]> = {};
			if (input.plannedYear === null) errors.plannedYear = ['Give the year the base opens'];
			if (input.band === null) errors.band = ['Choose the band'];
			if (Object.keys(errors).length) throw invalid('Approving sets the year and the band.', errors);
			set = { planned_year: input.plannedYear!, band: input.band! };
		}
		// Approving or deferring is the decision on a rollout school: it says how the PCF advisory
		// group's advice was considered, when there is any. Delivery and opening follow a decision made.
		const considered = DECIDING.includes(input.move) ? await adviceConsideredOnApplication(work.trx, row.id, input.adviceConsidered) : null;
		const extra = input.move === 'approve' ? { band: set.band, opening_year: set.planned_year } : {};
		const { version } = await moveTo(work.trx, row, input.move, extra);
		await registerStatus(work.trx, row, REGISTER_AFTER[input.move]!, actor.id, set);
		const what = input.move === 'approve' ? `Approved ${row.reference}: ${set.band} band, opening ${set.planned_year}` : `${MOVE_LABELS[input.move]}: ${row.reference}`;
		await recordMove(work, row, version, `${what}${adviceWords(considered)}`, `capital.rollout_${input.move}`, input.reason, { ...set, ...(considered ? { adviceConsidered: considered } : {}) });
		return { version };
	});
}
