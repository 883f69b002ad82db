import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { transact } from '../../work';
import { formatPence } from '$lib/format';
import { PROCESS_SHORT } from '$lib/capital/model';
import { createLineSchema, updateLineSchema, type LineFields } from '$lib/schemas/capital';
import { lineAssumptionProblems } from '../rules';
import { allocationCutProblem } from '$lib/capital/money/rules';
import { changed, committedToLine, guardName, lockRow, refuse, refuseFields, requireVersion, saveEdit, type Trx } from './shared';

// Programme lines: adding one, and changing its allocation and assumptions (money changes need a
// reason; an allocation never drops below what is committed against it). Moving money between
// lines is a proposal another officer approves (money/commands.ts).

const money = (value: number | null) => (value === null ? 'not set' : formatPence(value));
const figure = (value: number | null) => (value === null ? 'not set' : value.toLocaleString('en-GB'));
const words = (value: string) => (value ? `“${value}”` : 'none');

type Columns = ReturnType<typeof columnsOf>;
function columnsOf(fields: LineFields) {
	return {
		name: fields.name,
		process: fields.process,
		allocation_pence: fields.allocationPence,
		max_per_base_pence: fields.maxPerBasePence,
		benchmark_per_place_pence: fields.benchmarkPerPlacePence,
		standard_band_pence: fields.standardBandPence,
		enhanced_band_pence: fields.enhancedBandPence,
		enhanced_share_percent: fields.enhancedSharePercent,
		places_min: fields.placesMin,
		places_max: fields.placesMax,
		planned_bases: fields.plannedBases,
		planned_places: fields.plannedPlaces,
		place_definition: fields.placeDefinition,
		assumptions: fields.assumptions,
		eligible_setting_types: [...new Set(fields.eligibleSettingTypes)].sort()
	};
}

const LABELS: { [K in keyof Columns]?: [string, (value: Columns[K]) => string] } = {
	name: ['Name', words],
	process: ['Process', (value) => PROCESS_SHORT[value]],
	allocation_pence: ['Allocation', money],
	max_per_base_pence: ['Most per base', money],
	benchmark_per_place_pence: ['Benchmark per place', money],
	standard_band_pence: ['Standard band', money],
	enhanced_band_pence: ['Enhanced band', money],
	enhanced_share_percent: ['Enhanced share', (value) => (value === null ? 'not set' : `${value}%`)],
	places_min: ['Fewest places', figure],
	places_max: ['Most places', figure],
	planned_bases: ['Planned bases', figure],
	planned_places: ['Planned places', figure],
	place_definition: ['What a place means', words],
	assumptions: ['Other assumptions', words],
	eligible_setting_types: ['Who may apply', (value) => value.join(', ') || 'nobody yet']
};
const MONEY: (keyof Columns)[] = ['allocation_pence', 'max_per_base_pence', 'benchmark_per_place_pence', 'standard_band_pence', 'enhanced_band_pence'];

/** The line's own assumptions must hang together, and the kinds of setting must be ones we know. */
async function checkLine(trx: Trx, fields: LineFields): Promise<void> {
	refuseFields(
		lineAssumptionProblems({
			name: fields.name,
			maxPerBasePence: fields.maxPerBasePence,
			benchmarkPerPlacePence: fields.benchmarkPerPlacePence,
			standardBandPence: fields.standardBandPence,
			enhancedBandPence: fields.enhancedBandPence,
			enhancedSharePercent: fields.enhancedSharePercent,
			placesMin: fields.placesMin,
			placesMax: fields.placesMax
		})
	);
	const wanted = [...new Set(fields.eligibleSettingTypes)];
	if (wanted.length === 0) return;
	const known = await trx.selectFrom('setting_type').select('setting_type').where('setting_type', 'in', wanted).execute();
	if (known.length !== wanted.length) refuse('Choose kinds of setting from the list', 'eligibleSettingTypes');
}


export async function createLine(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number }> {
	assertCan(actor, { action: 'capital.manage' });
	const fields = parseInput(createLineSchema, raw);
	return transact(db, actor.id, async (work) => {
		await checkLine(work.trx, fields);
		const columns = columnsOf(fields);
		const { id, version } = await guardName(
			work.trx.insertInto('capital_line').values(columns).returning(['id', 'version']).executeTakeFirstOrThrow(),
			`There is already a line called ${fields.name}`
		);
		await work.record({
			action: 'capital.line_added',
			subject: { type: 'capital_line', id },
			summary: `Added the line ${fields.name} (${PROCESS_SHORT[fields.process]}, allocation ${money(fields.allocationPence)})`,
			reason: fields.reason || null,
			detail: { after: columns },
			events: changed('line', id, version)
		});
		return { id };
	});
}

export async function updateLine(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number; version: number }> {
	assertCan(actor, { action: 'capital.manage' });
	const { lineId, version, reason, ...fields } = parseInput(updateLineSchema, raw);
	return transact(db, actor.id, async (work) => {
		const line = await lockRow(work.trx, 'capital_line', lineId, 'That programme line');
		const before: Columns = { ...line, eligible_setting_types: [...line.eligible_setting_types].sort() };
		await requireVersion(work.trx, { type: 'capital_line', id: line.id, noun: 'line' }, line, version, [
			`allocation ${money(line.allocation_pence)}`,
			`most per base ${money(line.max_per_base_pence)}`,
			`benchmark per place ${money(line.benchmark_per_place_pence)}`,
			`places per base ${figure(line.places_min)} to ${figure(line.places_max)}`
		]);
		await checkLine(work.trx, { ...fields, reason });
		// Read under the line's lock, the one every commitment takes before summing the line: an
		// approval waits for this edit (and then sees the new allocation), or this edit waits for it.
		const problem = allocationCutProblem(line.name, fields.allocationPence, await committedToLine(work.trx, line.id));
		if (problem) refuse(problem, 'allocationPence');
		const after = columnsOf({ ...fields, reason });
		return saveEdit(work, {
			subject: { kind: 'line', id: line.id },
			before,
			after,
			labels: LABELS,
			money: MONEY,
			reason,
			write: () =>
				work.trx
					.updateTable('capital_line')
					.set((eb) => ({ ...after, version: eb('version', '+', 1) }))
					.where('id', '=', line.id)
					.returning('version')
					.executeTakeFirstOrThrow(),
			duplicate: `There is already a line called ${fields.name}`
		});
	});
}
