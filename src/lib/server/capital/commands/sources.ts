import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { transact } from '../../work';
import { formatPence } from '$lib/format';
import { financialYearLabel, SOURCE_STATUS_LABELS, type YearFigures } from '$lib/capital/model';
import { createSourceSchema, updateSourceSchema } from '$lib/schemas/capital';
import { byYear, committedFromSource, guardName, changed, linkedLineNames, linkLines, lockRow, refuseFields, requireLines, requireVersion, saveEdit } from './shared';
import { sourceCutProblems } from '$lib/capital/money/rules';

// Funding sources: the amount, whether it is confirmed or only assumed, its financial-year
// profile and the lines it may fund. Changes to money or status need a reason.

const profileWords = (profile: YearFigures) =>
	Object.entries(profile)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([year, pence]) => `${financialYearLabel(year)} ${formatPence(pence)}`)
		.join(', ') || 'none';
const lineWords = (names: string[]) => names.join(', ') || 'none';


export async function createSource(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number }> {
	assertCan(actor, { action: 'capital.manage' });
	const fields = parseInput(createSourceSchema, raw);
	return transact(db, actor.id, async (work) => {
		const lines = await requireLines(work.trx, fields.lineIds);
		const profile = byYear(fields.profile, (row) => row.amountPence);
		const { id, version } = await guardName(
			work.trx
				.insertInto('capital_source')
				.values({ name: fields.name, amount_pence: fields.amountPence, status: fields.status, profile: JSON.stringify(profile), notes: fields.notes })
				.returning(['id', 'version'])
				.executeTakeFirstOrThrow(),
			`There is already a funding source called ${fields.name}`
		);
		await linkLines(work.trx, 'capital_source_line', { column: 'source_id', id }, fields.lineIds);
		await work.record({
			action: 'capital.source_added',
			subject: { type: 'capital_source', id },
			summary: `Added the funding source ${fields.name}: ${formatPence(fields.amountPence)}, ${SOURCE_STATUS_LABELS[fields.status].toLowerCase()}; may fund ${lineWords(lines.map((l) => l.name))}`,
			reason: fields.reason || null,
			events: changed('source', id, version)
		});
		return { id };
	});
}

export async function updateSource(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number; version: number }> {
	assertCan(actor, { action: 'capital.manage' });
	const { sourceId, version, reason, ...fields } = parseInput(updateSourceSchema, raw);
	return transact(db, actor.id, async (work) => {
		const source = await lockRow(work.trx, 'capital_source', sourceId, 'That funding source');
		await requireVersion(work.trx, { type: 'capital_source', id: source.id, noun: 'funding source' }, source, version, [
			`${formatPence(source.amount_pence)}, ${SOURCE_STATUS_LABELS[source.status].toLowerCase()}`,
			`profile ${profileWords(source.profile)}`
		]);
		const lines = await requireLines(work.trx, fields.lineIds);
		const profile = byYear(fields.profile, (row) => row.amountPence);
		// Read under the source's lock, the one every commitment takes before summing the source's
		// year: an approval waits for this edit (and then checks the new profile), or this edit waits for it.
		refuseFields(sourceCutProblems(source.name, { amountPence: fields.amountPence, status: fields.status, profile, lineIds: fields.lineIds }, await committedFromSource(work.trx, source.id)));
		const linked = await linkedLineNames(work.trx, 'capital_source_line', { column: 'source_id', id: source.id });
		return saveEdit(work, {
			subject: { kind: 'source', id: source.id },
			before: { name: source.name, amount: source.amount_pence, status: source.status, profile: source.profile, lines: linked, notes: source.notes },
			after: { name: fields.name, amount: fields.amountPence, status: fields.status, profile, lines: lines.map((l) => l.name), notes: fields.notes },
			labels: {
				name: ['Name', (v) => v],
				amount: ['Amount', formatPence],
				status: ['Status', (v) => SOURCE_STATUS_LABELS[v]],
				profile: ['Profile', profileWords],
				lines: ['May fund', lineWords],
				notes: ['Notes', (v) => v || 'none']
			},
			money: ['amount', 'status', 'profile'],
			reason,
			write: () =>
				work.trx
					.updateTable('capital_source')
					.set((eb) => ({ name: fields.name, amount_pence: fields.amountPence, status: fields.status, profile: JSON.stringify(profile), notes: fields.notes, version: eb('version', '+', 1) }))
					.where('id', '=', source.id)
					.returning('version')
					.executeTakeFirstOrThrow(),
			duplicate: `There is already a funding source called ${fields.name}`,
			lines: { table: 'capital_source_line', column: 'source_id', ids: fields.lineIds }
		});
	});
}
