import { sql } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { transact, type QueuedEvent, type Work } from '../../work';
import type { ApplicationStage } from '$lib/capital/flow';
import { conflict, notFound } from '../../errors';
import { formatDate, formatPence } from '$lib/format';
import { financialYearLabel } from '$lib/capital/model';
import { programmeRoom } from '$lib/capital/live';
import type { MoneySubject } from '$lib/capital/money/live';
import { commitmentProblems, occupancyProblem, spendProblem, transferProblem } from '$lib/capital/money/rules';
import { termLabel, type CommitmentKind } from '$lib/capital/money/model';
import { commitFundingSchema, decideTransferSchema, proposeTransferSchema, publicNoteSchema, recordOccupancySchema, recordSpendSchema } from '$lib/schemas/capital-money';
import { refuse, refuseFields, type Trx } from '../commands/shared';

// The programme's money, one transaction per decision. Locks are always taken in one order, so
// concurrent decisions queue rather than deadlock and none can over-commit: the application, then
// the funding source, then the programme line(s) in id order. Every sum a rule checks is read
// after those locks, and every change is recorded with who, when and why.

const moneyChanged = (subject: MoneySubject, id: number, applicationId: number | null, kind?: CommitmentKind): QueuedEvent[] => [
	{ room: programmeRoom, kind: 'money.changed', payload: { subject, id, applicationId, ...(kind ? { kind } : {}) } }
];

/** An application, locked, as the money rules read it; a 404 naming it when it is not there. */
async function lockApplication(trx: Trx, id: number) {
	const row = await trx
		.selectFrom('capital_application')
		.select(['id', 'reference', 'title', 'stage', 'line_id', 'places', 'requested_pence', 'created_by'])
		.where('id', '=', id)
		.forUpdate()
		.executeTakeFirst();
	if (!row) throw notFound('That application');
	return row;
}

/** What has been spent on an application, in pence. Read under the application's lock. */
const spentOn = (trx: Trx, applicationId: number) =>
	trx
		.selectFrom('capital_spend')
		.select(sql<string>`coalesce(sum(amount_pence), 0)`.as('total'))
		.where('application_id', '=', applicationId)
		.executeTakeFirstOrThrow()
		.then((row) => Number(row.total));

/** A sum of commitments in pence, zero when there are none. */
const committedSum = (trx: Trx) =>
	trx
		.selectFrom('capital_commitment')
		.select(sql<string>`coalesce(sum(amount_pence), 0)`.as('total'))
		.where('kind', '=', 'committed');

const total = async (query: ReturnType<typeof committedSum>) => Number((await query.executeTakeFirstOrThrow()).total);

/**
 * Commits money from a confirmed source to an approved application for a financial year, or
 * records a plan against any source that may fund its line (an assumed tranche included). A plan
 * holds no money; a commitment never goes past the source's year, the line's allocation or what
 * the application asked for, however many officers commit at once.
 */
export async function commitFunding(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number }> {
	// Officers only before anything is read, so nobody else learns whether a row exists.
	assertCan(actor, { action: 'capital.money.view' });
	const fields = parseInput(commitFundingSchema, raw);
	return transact(db, actor.id, async (work) => {
		const application = await lockApplication(work.trx, fields.applicationId);
		assertCan(actor, { action: 'capital.money.commit', application: { createdBy: application.created_by } });
		return commitLocked(work, actor.id, application, fields);
	});
}

/** What is committed or planned (the fields of `commitFundingSchema` bar the application). */
export type CommitmentFields = Pick<z.infer<typeof commitFundingSchema>, 'kind' | 'sourceId' | 'year' | 'amountPence' | 'reason'>;

/** The application as a commitment reads it: locked by the caller, first of the locks. */
export interface LockedForCommitment {
	id: number;
	stage: ApplicationStage;
	line_id: number;
	requested_pence: number | null;
}

/**
 * A commitment (or plan) against an application the caller has already locked: takes the source
 * and line locks in the module's order, reads the sums under them, asks `commitmentProblems` and
 * refuses field by field, then writes and records. The early years grant offer commits through
 * this, so the money rules and locks are the same for every commitment.
 */
export async function commitLocked(work: Work, actorId: number, application: LockedForCommitment, fields: CommitmentFields): Promise<{ id: number }> {
	const source = await work.trx.selectFrom('capital_source').select(['id', 'name', 'status', 'profile']).where('id', '=', fields.sourceId).forUpdate().executeTakeFirst();
	if (!source) refuse('That funding source no longer exists. Reload the page and choose again.', 'sourceId');
	const line = await work.trx.selectFrom('capital_line').select(['id', 'name', 'allocation_pence']).where('id', '=', application.line_id).forUpdate().executeTakeFirstOrThrow();
	const [fundsLine, committedInYear, lineCommitted, applicationCommitted] = await Promise.all([
		work.trx.selectFrom('capital_source_line').select('line_id').where('source_id', '=', source.id).where('line_id', '=', line.id).executeTakeFirst(),
		total(committedSum(work.trx).where('source_id', '=', source.id).where('year', '=', fields.year)),
		total(committedSum(work.trx).where('line_id', '=', line.id)),
		total(committedSum(work.trx).where('application_id', '=', application.id))
	]);
	refuseFields(
		commitmentProblems(
			fields,
			{ name: source.name, status: source.status, profile: source.profile, fundsLine: fundsLine !== undefined, committedInYear },
			{ name: line.name, allocationPence: line.allocation_pence, committed: lineCommitted },
			{ stage: application.stage, requestedPence: application.requested_pence, committed: applicationCommitted }
		)
	);
	const { id } = await work.trx
		.insertInto('capital_commitment')
		.values({ application_id: application.id, source_id: source.id, line_id: line.id, year: fields.year, amount_pence: fields.amountPence, kind: fields.kind, reason: fields.reason, created_by: actorId })
		.returning('id')
		.executeTakeFirstOrThrow();
	const verb = fields.kind === 'committed' ? 'Committed' : 'Planned';
	await work.record({
		action: fields.kind === 'committed' ? 'capital.funding_committed' : 'capital.funding_planned',
		subject: { type: 'capital_application', id: application.id },
		summary: `${verb} ${formatPence(fields.amountPence)} from ${source.name} in ${financialYearLabel(fields.year)} (${line.name})`,
		reason: fields.reason,
		detail: { commitmentId: id, sourceId: source.id, lineId: line.id, year: fields.year, amountPence: fields.amountPence, kind: fields.kind },
		events: moneyChanged('commitment', id, application.id, fields.kind)
	});
	return { id };
}

/**
 * Releases `amountPence` of what is committed to an application the caller has locked, newest
 * commitment first (a whole one goes, the last one touched is cut down), back to its sources and
 * line. Takes the sources' locks in id order, then the line's, as a commitment does, and writes
 * in a fixed number of statements however many commitments it touches (only the oldest one touched is cut down, the newer ones go). Refuses when it would
 * leave less committed than is already spent. Recorded on the application and the programme.
 */
export async function releaseLocked(work: Work, application: { id: number; reference: string; line_id: number }, amountPence: number, reason: string): Promise<{ releasedPence: number }> {
	if (amountPence <= 0) return { releasedPence: 0 };
	await work.trx
		.selectFrom('capital_source')
		.select('id')
		.where('id', 'in', (eb) => eb.selectFrom('capital_commitment').select('source_id').where('application_id', '=', application.id).where('kind', '=', 'committed'))
		.orderBy('id')
		.forUpdate()
		.execute();
	await work.trx.selectFrom('capital_line').select('id').where('id', '=', application.line_id).forUpdate().execute();
	const [committed, spent] = await Promise.all([
		total(committedSum(work.trx).where('application_id', '=', application.id)),
		spentOn(work.trx, application.id)
	]);
	const releasing = Math.min(amountPence, committed);
	if (committed - releasing < spent) refuse(`${formatPence(spent)} has already been spent on ${application.reference}, so no more than ${formatPence(Math.max(0, committed - spent))} of what is committed can be released.`, 'decision');
	if (releasing === 0) return { releasedPence: 0 };
	// Newest first: each commitment gives up what is still to release after the newer ones.
	const { rows: cut } = await sql<{ id: number; source_id: number; year: number; released: string; gone: boolean }>`
		select id, source_id, year, least(amount_pence, ${releasing}::bigint - newer) as released, least(amount_pence, ${releasing}::bigint - newer) = amount_pence as gone
		from (
			select id, source_id, year, amount_pence, sum(amount_pence) over (order by created_at desc, id desc) - amount_pence as newer
			from capital_commitment where application_id = ${application.id} and kind = 'committed'
		) ordered
		where newer < ${releasing}::bigint`.execute(work.trx);
	const gone = cut.filter((c) => c.gone).map((c) => c.id);
	const partly = cut.find((c) => !c.gone);
	if (gone.length > 0) {
		// A change request keeps its decision; the commitment it made is gone.
		await work.trx.updateTable('capital_scheme_change').set({ commitment_id: null }).where('commitment_id', 'in', gone).execute();
		await work.trx.deleteFrom('capital_commitment').where('id', 'in', gone).execute();
	}
	if (partly) {
		await work.trx.updateTable('capital_commitment').set((eb) => ({ amount_pence: eb('amount_pence', '-', Number(partly.released)) })).where('id', '=', partly.id).execute();
	}
	await work.record({
		action: 'capital.funding_released',
		subject: { type: 'capital_application', id: application.id },
		summary: `Released ${formatPence(releasing)} of what was committed to ${application.reference} back to its sources and line`,
		reason,
		detail: { amountPence: releasing, commitments: cut.map((r) => ({ id: r.id, sourceId: r.source_id, year: r.year, releasedPence: Number(r.released), removed: r.gone })) },
		events: moneyChanged('commitment', cut[0].id, application.id, 'committed')
	});
	return { releasedPence: releasing };
}

/** An officer proposes moving part of one line's allocation to another; another officer decides. */
export async function proposeTransfer(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number }> {
	assertCan(actor, { action: 'capital.money.transfer.propose' });
	const fields = parseInput(proposeTransferSchema, raw);
	if (fields.fromLineId === fields.toLineId) refuse('Choose a different line to move the money to', 'toLineId');
	return transact(db, actor.id, async (work) => {
		// Shared locks in id order: the lines cannot go while the proposal is written, and a decision on them queues behind it.
		const lines = await work.trx.selectFrom('capital_line').select(['id', 'name']).where('id', 'in', [fields.fromLineId, fields.toLineId]).orderBy('id').forShare().execute();
		const from = lines.find((l) => l.id === fields.fromLineId);
		const to = lines.find((l) => l.id === fields.toLineId);
		if (!from) refuse('That line no longer exists. Reload the page and choose again.', 'fromLineId');
		if (!to) refuse('That line no longer exists. Reload the page and choose again.', 'toLineId');
		const { id } = await work.trx
			.insertInto('capital_allocation_transfer')
			.values({ from_line_id: from.id, to_line_id: to.id, amount_pence: fields.amountPence, reason: fields.reason, proposed_by: actor.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		await work.record({
			action: 'capital.transfer_proposed',
			subject: { type: 'capital_allocation_transfer', id },
			summary: `Proposed moving ${formatPence(fields.amountPence)} from ${from.name} to ${to.name}`,
			reason: fields.reason,
			detail: { fromLineId: from.id, toLineId: to.id, amountPence: fields.amountPence },
			events: moneyChanged('transfer', id, null)
		});
		return { id };
	});
}

/**
 * Another officer approves or turns down a proposed move. Approving moves the allocation, both
 * lines locked in id order, and never takes from a line more than it has not yet committed.
 */
export async function decideTransfer(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number; status: 'approved' | 'rejected' }> {
	// Officers only before anything is read, so nobody else learns whether a row exists.
	assertCan(actor, { action: 'capital.money.view' });
	const fields = parseInput(decideTransferSchema, raw);
	return transact(db, actor.id, async (work) => {
		const transfer = await work.trx
			.selectFrom('capital_allocation_transfer as t')
			.innerJoin('app_user as u', 'u.id', 't.proposed_by')
			.select(['t.id', 't.from_line_id', 't.to_line_id', 't.amount_pence', 't.status', 't.version', 't.proposed_by', 'u.name as proposer_name'])
			.where('t.id', '=', fields.transferId)
			.forUpdate('t')
			.executeTakeFirst();
		if (!transfer) throw notFound('That proposed move');
		assertCan(actor, { action: 'capital.money.transfer.decide', transfer: { proposedBy: transfer.proposed_by, proposerName: transfer.proposer_name } });
		if (transfer.status !== 'proposed' || transfer.version !== fields.version) {
			const decider = await work.trx
				.selectFrom('capital_allocation_transfer as t')
				.leftJoin('app_user as u', 'u.id', 't.decided_by')
				.select('u.name')
				.where('t.id', '=', transfer.id)
				.executeTakeFirst();
			throw conflict(`${decider?.name ?? 'Another officer'} has already decided this move. Reload the page to see the decision.`);
		}
		const status = fields.decision === 'approve' ? 'approved' : 'rejected';
		const ordered = [transfer.from_line_id, transfer.to_line_id].sort((a, b) => a - b);
		const locked = new Map<number, { id: number; name: string; allocation_pence: number | null }>();
		for (const lineId of ordered) {
			locked.set(lineId, await work.trx.selectFrom('capital_line').select(['id', 'name', 'allocation_pence']).where('id', '=', lineId).forUpdate().executeTakeFirstOrThrow());
		}
		const from = locked.get(transfer.from_line_id)!;
		const to = locked.get(transfer.to_line_id)!;
		const amount = formatPence(transfer.amount_pence);
		if (status === 'approved') {
			const problem = transferProblem({ name: from.name, allocationPence: from.allocation_pence, committed: await total(committedSum(work.trx).where('line_id', '=', from.id)) }, transfer.amount_pence);
			if (problem) refuse(problem, 'decision');
			// Set-based: both lines in one statement, each gaining or losing the amount.
			await sql`update capital_line set allocation_pence = coalesce(allocation_pence, 0) + case when id = ${to.id} then ${transfer.amount_pence}::bigint else -${transfer.amount_pence}::bigint end,
				version = version + 1 where id in (${from.id}, ${to.id})`.execute(work.trx);
		}
		await work.trx
			.updateTable('capital_allocation_transfer')
			.set((eb) => ({ status, decided_by: work.actorId, decided_at: sql<Date>`now()`, decision_reason: fields.reason, version: eb('version', '+', 1) }))
			.where('id', '=', transfer.id)
			.execute();
		const summary = status === 'approved' ? `Approved moving ${amount} from ${from.name} to ${to.name}, proposed by ${transfer.proposer_name}` : `Turned down moving ${amount} from ${from.name} to ${to.name}, proposed by ${transfer.proposer_name}`;
		await work.record({
			action: status === 'approved' ? 'capital.transfer_approved' : 'capital.transfer_rejected',
			subject: { type: 'capital_allocation_transfer', id: transfer.id },
			summary,
			reason: fields.reason,
			detail: { fromLineId: from.id, toLineId: to.id, amountPence: transfer.amount_pence },
			notify: { userIds: [transfer.proposed_by], title: summary, link: '/capital/money' },
			events: moneyChanged('transfer', transfer.id, null)
		});
		if (status === 'approved') {
			const moved = (line: typeof from, words: string, after: number) =>
				work.record({
					action: line === from ? 'capital.money_moved_out' : 'capital.money_moved_in',
					subject: { type: 'capital_line', id: line.id },
					summary: `${words}. Allocation: ${formatPence(line.allocation_pence ?? 0)} → ${formatPence(after)}`,
					reason: fields.reason,
					detail: { transferId: transfer.id, amountPence: transfer.amount_pence }
				});
			await moved(from, `Moved ${amount} to ${to.name} (approved move proposed by ${transfer.proposer_name})`, (from.allocation_pence ?? 0) - transfer.amount_pence);
			await moved(to, `Received ${amount} from ${from.name} (approved move proposed by ${transfer.proposer_name})`, (to.allocation_pence ?? 0) + transfer.amount_pence);
		}
		return { id: transfer.id, status };
	});
}

/** Records money spent on an approved application; what is spent never passes what is committed. */
export async function recordSpend(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number }> {
	// Officers only before anything is read, so nobody else learns whether a row exists.
	assertCan(actor, { action: 'capital.money.view' });
	const fields = parseInput(recordSpendSchema, raw);
	return transact(db, actor.id, async (work) => {
		const application = await lockApplication(work.trx, fields.applicationId);
		assertCan(actor, { action: 'capital.money.record', application: { createdBy: application.created_by } });
		return spendLocked(work, actor.id, application, fields);
	});
}

/**
 * Spend against an application the caller has locked: never past what is committed to it. The
 * early years grant's claim approval records its spend through this.
 */
export async function spendLocked(work: Work, actorId: number, application: { id: number; stage: ApplicationStage; line_id: number }, fields: { amountPence: number; spentOn: string; note: string }): Promise<{ id: number }> {
	const [committed, spent] = await Promise.all([
		total(committedSum(work.trx).where('application_id', '=', application.id)),
		spentOn(work.trx, application.id)
	]);
	const problem = spendProblem(application.stage, committed, spent, fields.amountPence);
	if (problem) refuse(problem, 'amountPence');
	const { id } = await work.trx
		.insertInto('capital_spend')
		.values({ application_id: application.id, line_id: application.line_id, amount_pence: fields.amountPence, spent_on: fields.spentOn, note: fields.note, recorded_by: actorId })
		.returning('id')
		.executeTakeFirstOrThrow();
	await work.record({
		action: 'capital.spend_recorded',
		subject: { type: 'capital_application', id: application.id },
		summary: `Recorded ${formatPence(fields.amountPence)} spent on ${formatDate(fields.spentOn)}: ${fields.note}`,
		detail: { spendId: id, amountPence: fields.amountPence, spentOn: fields.spentOn },
		events: moneyChanged('spend', id, application.id)
	});
	return { id };
}

/** Records the places occupied in an open base for a term (a later figure for the same term replaces it). */
export async function recordOccupancy(db: Database, actor: Actor | null, raw: unknown): Promise<{ applicationId: number }> {
	// Officers only before anything is read, so nobody else learns whether a row exists.
	assertCan(actor, { action: 'capital.money.view' });
	const fields = parseInput(recordOccupancySchema, raw);
	return transact(db, actor.id, async (work) => {
		const application = await lockApplication(work.trx, fields.applicationId);
		assertCan(actor, { action: 'capital.money.record', application: { createdBy: application.created_by } });
		const problem = occupancyProblem(application.stage, application.places, fields.occupied);
		if (problem) refuse(problem, 'occupied');
		const before = await work.trx
			.selectFrom('capital_occupancy')
			.select('occupied')
			.where('application_id', '=', application.id)
			.where('year', '=', fields.year)
			.where('term', '=', fields.term)
			.executeTakeFirst();
		await work.trx
			.insertInto('capital_occupancy')
			.values({ application_id: application.id, year: fields.year, term: fields.term, occupied: fields.occupied, recorded_by: actor.id })
			.onConflict((oc) => oc.columns(['application_id', 'year', 'term']).doUpdateSet({ occupied: fields.occupied, recorded_by: actor.id, recorded_at: sql<Date>`now()` }))
			.execute();
		const term = termLabel(fields.year, fields.term);
		await work.record({
			action: 'capital.occupancy_recorded',
			subject: { type: 'capital_application', id: application.id },
			summary: before ? `Changed the places occupied in ${term}: ${before.occupied} → ${fields.occupied}` : `Recorded ${fields.occupied} of ${application.places ?? '?'} places occupied in ${term}`,
			detail: { year: fields.year, term: fields.term, occupied: fields.occupied },
			events: moneyChanged('occupancy', application.id, application.id)
		});
		return { applicationId: application.id };
	});
}

/** What the published summary says about how parents and the PCF were involved in a line. */
export async function savePublicNote(db: Database, actor: Actor | null, raw: unknown): Promise<{ lineId: number }> {
	assertCan(actor, { action: 'capital.dashboard.edit_public' });
	const fields = parseInput(publicNoteSchema, raw);
	return transact(db, actor.id, async (work) => {
		const line = await work.trx.selectFrom('capital_line').select(['id', 'name']).where('id', '=', fields.lineId).forUpdate().executeTakeFirst();
		if (!line) throw notFound('That programme line');
		const note = await work.trx.selectFrom('capital_public_note').select(['parents_involved', 'version']).where('line_id', '=', line.id).forUpdate().executeTakeFirst();
		if ((note?.version ?? null) !== fields.version) {
			throw conflict(`Another officer changed what the summary says about ${line.name} while you were editing it. Saved now: “${note?.parents_involved ?? ''}”. Check your words and save again.`);
		}
		if (note?.parents_involved === fields.parentsInvolved) refuse('Nothing has changed. Change the words, or go back without saving.', 'parentsInvolved');
		await work.trx
			.insertInto('capital_public_note')
			.values({ line_id: line.id, parents_involved: fields.parentsInvolved, updated_by: actor.id })
			.onConflict((oc) =>
				oc.column('line_id').doUpdateSet((eb) => ({ parents_involved: fields.parentsInvolved, updated_by: actor.id, updated_at: sql<Date>`now()`, version: eb('capital_public_note.version', '+', 1) }))
			)
			.execute();
		await work.record({
			action: 'capital.public_note_changed',
			subject: { type: 'capital_line', id: line.id },
			summary: `Changed what the published summary says about how parents and the PCF were involved in ${line.name}`,
			reason: fields.reason || null,
			events: moneyChanged('public_note', line.id, null)
		});
		return { lineId: line.id };
	});
}
