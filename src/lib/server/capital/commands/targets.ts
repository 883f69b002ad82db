import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { transact } from '../../work';
import { financialYearLabel, type YearFigures } from '$lib/capital/model';
import { createTargetSchema, updateTargetSchema } from '$lib/schemas/capital';
import { byYear, guardName, changed, linkedLineNames, linkLines, lockRow, requireLines, requireVersion, saveEdit } from './shared';

// Targets: what a target counts (its definition), where it starts, the figure by year, and the
// lines whose places count towards it.

const figuresWords = (figures: YearFigures) =>
	Object.entries(figures)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([year, value]) => `${financialYearLabel(year)} ${value.toLocaleString('en-GB')}`)
		.join(', ') || 'none';


export async function createTarget(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number }> {
	assertCan(actor, { action: 'capital.manage' });
	const fields = parseInput(createTargetSchema, raw);
	return transact(db, actor.id, async (work) => {
		await requireLines(work.trx, fields.lineIds);
		const figures = byYear(fields.figures, (row) => row.value);
		const { id, version } = await guardName(
			work.trx
				.insertInto('capital_target')
				.values({ name: fields.name, definition: fields.definition, baseline: fields.baseline, baseline_note: fields.baselineNote, figures: JSON.stringify(figures) })
				.returning(['id', 'version'])
				.executeTakeFirstOrThrow(),
			`There is already a target called ${fields.name}`
		);
		await linkLines(work.trx, 'capital_target_line', { column: 'target_id', id }, fields.lineIds);
		await work.record({
			action: 'capital.target_added',
			subject: { type: 'capital_target', id },
			summary: `Added the target ${fields.name}: ${figuresWords(figures)}`,
			reason: fields.reason || null,
			events: changed('target', id, version)
		});
		return { id };
	});
}

export async function updateTarget(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number; version: number }> {
	assertCan(actor, { action: 'capital.manage' });
	const { targetId, version, reason, ...fields } = parseInput(updateTargetSchema, raw);
	return transact(db, actor.id, async (work) => {
		const target = await lockRow(work.trx, 'capital_target', targetId, 'That target');
		await requireVersion(work.trx, { type: 'capital_target', id: target.id, noun: 'target' }, target, version, [
			`baseline ${target.baseline ?? 'not set'}`,
			`figures ${figuresWords(target.figures)}`
		]);
		const lines = await requireLines(work.trx, fields.lineIds);
		const figures = byYear(fields.figures, (row) => row.value);
		const linked = await linkedLineNames(work.trx, 'capital_target_line', { column: 'target_id', id: target.id });
		return saveEdit(work, {
			subject: { kind: 'target', id: target.id },
			before: { name: target.name, definition: target.definition, baseline: target.baseline, note: target.baseline_note, figures: target.figures, lines: linked },
			after: { name: fields.name, definition: fields.definition, baseline: fields.baseline, note: fields.baselineNote, figures, lines: lines.map((l) => l.name) },
			labels: {
				name: ['Name', (v) => v],
				definition: ['Definition', (v) => `“${v}”`],
				baseline: ['Baseline', (v) => (v === null ? 'not set' : v.toLocaleString('en-GB'))],
				note: ['About the baseline', (v) => v || 'none'],
				figures: ['Figures', figuresWords],
				lines: ['Lines that count', (v) => v.join(', ') || 'none']
			},
			reason,
			write: () =>
				work.trx
					.updateTable('capital_target')
					.set((eb) => ({ name: fields.name, definition: fields.definition, baseline: fields.baseline, baseline_note: fields.baselineNote, figures: JSON.stringify(figures), version: eb('version', '+', 1) }))
					.where('id', '=', target.id)
					.returning('version')
					.executeTakeFirstOrThrow(),
			duplicate: `There is already a target called ${fields.name}`,
			lines: { table: 'capital_target_line', column: 'target_id', ids: fields.lineIds }
		});
	});
}
