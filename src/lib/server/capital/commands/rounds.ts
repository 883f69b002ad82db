import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { transact } from '../../work';
import { ukToday } from '$lib/dates';
import { formatDate } from '$lib/format';
import { ROUND_STATUS_LABELS } from '$lib/capital/model';
import { createRoundSchema, criteriaSchema, roundStepSchema, updateRoundSchema } from '$lib/schemas/capital';
import { frozenProblem, openingProblems, roundStep, weightsProblem } from '../rules';
import { changed, describeChanges, linkLines, lockRow, noChange, refuse, requireLines, requireVersion, type Trx } from './shared';

// Rounds: a draft names its lines, closing date and weighted criteria; opening publishes them
// and freezes them (the database refuses criteria changes after opening too); closing ends it.

const lineWords = (names: string[]) => names.join(', ') || 'none';

async function roundLines(trx: Trx, roundId: number): Promise<string[]> {
	const rows = await trx
		.selectFrom('capital_round_line as rl')
		.innerJoin('capital_line as l', 'l.id', 'rl.line_id')
		.select('l.name')
		.where('rl.round_id', '=', roundId)
		.orderBy('l.name')
		.execute();
	return rows.map((row) => row.name);
}

async function lockRound(trx: Trx, roundId: number, version: number) {
	const round = await lockRow(trx, 'capital_round', roundId, 'That round');
	await requireVersion(trx, { type: 'capital_round', id: round.id, noun: 'round' }, round, version, [
		`${ROUND_STATUS_LABELS[round.status].toLowerCase()}, closing ${formatDate(round.closes_on)}`
	]);
	return round;
}

export async function createRound(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number }> {
	assertCan(actor, { action: 'capital.manage' });
	const fields = parseInput(createRoundSchema, raw);
	return transact(db, actor.id, async (work) => {
		const lines = await requireLines(work.trx, fields.lineIds);
		const { id, version } = await work.trx
			.insertInto('capital_round')
			.values({ name: fields.name, closes_on: fields.closesOn, guidance: fields.guidance })
			.returning(['id', 'version'])
			.executeTakeFirstOrThrow();
		await linkLines(work.trx, 'capital_round_line', { column: 'round_id', id }, fields.lineIds);
		await work.record({
			action: 'capital.round_drafted',
			subject: { type: 'capital_round', id },
			summary: `Drafted the round ${fields.name} for ${lineWords(lines.map((l) => l.name))}, closing ${formatDate(fields.closesOn)}`,
			events: changed('round', id, version)
		});
		return { id };
	});
}

export async function updateRound(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number; version: number }> {
	assertCan(actor, { action: 'capital.manage' });
	const { roundId, version, ...fields } = parseInput(updateRoundSchema, raw);
	return transact(db, actor.id, async (work) => {
		const round = await lockRound(work.trx, roundId, version);
		const frozen = frozenProblem(round.status);
		if (frozen) refuse(frozen);
		const lines = await requireLines(work.trx, fields.lineIds);
		const before = { name: round.name, closesOn: round.closes_on, guidance: round.guidance, lines: await roundLines(work.trx, round.id) };
		const after = { name: fields.name, closesOn: fields.closesOn, guidance: fields.guidance, lines: lines.map((l) => l.name) };
		const { words } = describeChanges(before, after, {
			name: ['Name', (v) => v],
			closesOn: ['Closing date', formatDate],
			guidance: ['Guidance', (v) => (v ? `“${v}”` : 'none')],
			lines: ['Lines', lineWords]
		});
		if (words.length === 0) throw noChange();
		const updated = await work.trx
			.updateTable('capital_round')
			.set((eb) => ({ name: fields.name, closes_on: fields.closesOn, guidance: fields.guidance, version: eb('version', '+', 1) }))
			.where('id', '=', round.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		await linkLines(work.trx, 'capital_round_line', { column: 'round_id', id: round.id }, fields.lineIds);
		await work.record({
			action: 'capital.round_changed',
			subject: { type: 'capital_round', id: round.id },
			summary: `Changed ${words.join('; ')}`,
			events: changed('round', round.id, updated.version)
		});
		return { id: round.id, version: updated.version };
	});
}

export async function setCriteria(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number; version: number }> {
	assertCan(actor, { action: 'capital.manage' });
	const { roundId, version, criteria } = parseInput(criteriaSchema, raw);
	return transact(db, actor.id, async (work) => {
		const round = await lockRound(work.trx, roundId, version);
		const frozen = frozenProblem(round.status);
		if (frozen) refuse(frozen);
		const weights = weightsProblem(criteria);
		if (weights) refuse(weights, 'criteria');
		await work.trx.deleteFrom('capital_round_criterion').where('round_id', '=', round.id).execute();
		await work.trx
			.insertInto('capital_round_criterion')
			.values(criteria.map((c, position) => ({ round_id: round.id, position, name: c.name, description: c.description, weight: c.weight })))
			.execute();
		const updated = await work.trx
			.updateTable('capital_round')
			.set((eb) => ({ version: eb('version', '+', 1) }))
			.where('id', '=', round.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		await work.record({
			action: 'capital.criteria_set',
			subject: { type: 'capital_round', id: round.id },
			summary: `Set the criteria: ${criteria.map((c) => `${c.name} ${c.weight}%`).join(', ')}`,
			detail: { criteria },
			events: changed('round', round.id, updated.version)
		});
		return { id: round.id, version: updated.version };
	});
}

export async function stepRound(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number; status: string }> {
	assertCan(actor, { action: 'capital.manage' });
	const { roundId, version, step, reason } = parseInput(roundStepSchema, raw);
	return transact(db, actor.id, async (work) => {
		const round = await lockRound(work.trx, roundId, version);
		const next = roundStep(round.status, step);
		if (!next.ok) refuse(next.message);
		if (step === 'open') {
			const criteria = await work.trx.selectFrom('capital_round_criterion').select(['name', 'weight']).where('round_id', '=', round.id).execute();
			const lineCount = (await roundLines(work.trx, round.id)).length;
			const problems = openingProblems({ closesOn: round.closes_on, lineCount, criteria }, ukToday());
			if (problems.length) refuse(`The round cannot open yet. ${problems.join('. ')}.`);
		}
		const updated = await work.trx
			.updateTable('capital_round')
			.set((eb) => ({
				status: next.to,
				...(step === 'open' ? { opened_at: new Date() } : { closed_at: new Date() }),
				version: eb('version', '+', 1)
			}))
			.where('id', '=', round.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		await work.record({
			action: step === 'open' ? 'capital.round_opened' : 'capital.round_closed',
			subject: { type: 'capital_round', id: round.id },
			summary: step === 'open' ? 'Opened the round and published its criteria, now frozen' : 'Closed the round',
			reason: reason || null,
			events: changed('round', round.id, updated.version)
		});
		return { id: round.id, status: next.to };
	});
}
