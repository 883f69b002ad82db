// The sufficiency dashboard's arithmetic, as pure functions over the grouped rows the database
// returns: places by pipeline phase per district and line, against each target by the lines that
// count towards it, and each district's gap against an even share of each line's planned places.
// No database here, so every figure the dashboard shows is unit-tested.
import { PIPELINE_PHASE, type ApplicationStage } from '$lib/capital/flow';

/** The phases the dashboard counts places in (applying and ended count nothing yet). */
export const COUNTED_PHASES = ['approved', 'in_delivery', 'open'] as const;
export type CountedPhase = (typeof COUNTED_PHASES)[number];
export const PHASE_LABELS: Record<CountedPhase | 'occupied', string> = { approved: 'Approved', in_delivery: 'In delivery', open: 'Open', occupied: 'Occupied' };

export interface PipelineRow {
	districtId: number;
	lineId: number;
	stage: ApplicationStage;
	applications: number;
	places: number;
}
export interface OccupiedRow {
	districtId: number;
	lineId: number;
	occupied: number;
}

export interface PlaceCounts {
	approved: number;
	in_delivery: number;
	open: number;
	occupied: number;
	/** Bases (applications) approved or further on. */
	bases: number;
}

const empty = (): PlaceCounts => ({ approved: 0, in_delivery: 0, open: 0, occupied: 0, bases: 0 });

/** Places coming: approved, in delivery and open together. */
export const coming = (counts: PlaceCounts) => counts.approved + counts.in_delivery + counts.open;

/** Places by phase, grouped by a key of each row (district, line, or both). */
export function placesBy<K>(pipeline: readonly PipelineRow[], occupied: readonly OccupiedRow[], key: (row: { districtId: number; lineId: number }) => K): Map<K, PlaceCounts> {
	const counts = new Map<K, PlaceCounts>();
	const at = (k: K) => {
		let found = counts.get(k);
		if (!found) counts.set(k, (found = empty()));
		return found;
	};
	for (const row of pipeline) {
		const phase = PIPELINE_PHASE[row.stage];
		if (phase !== 'approved' && phase !== 'in_delivery' && phase !== 'open') continue;
		const c = at(key(row));
		c[phase] += row.places;
		c.bases += row.applications;
	}
	for (const row of occupied) at(key(row)).occupied += row.occupied;
	return counts;
}

/** The places counted towards a target: the sum over the lines that count towards it. */
export function placesForLines(byLine: Map<number, PlaceCounts>, lineIds: readonly number[]): PlaceCounts {
	const total = empty();
	for (const lineId of lineIds) {
		const c = byLine.get(lineId);
		if (!c) continue;
		for (const k of ['approved', 'in_delivery', 'open', 'occupied', 'bases'] as const) total[k] += c[k];
	}
	return total;
}

export interface DistrictGap {
	districtId: number;
	name: string;
	/** An even share of each line's planned places across the districts. */
	share: number;
	coming: number;
	/** How far short of its share the district is (0 when at or above it). */
	gap: number;
}

/**
 * Each district's places coming against an even share of the lines' planned places, largest gap
 * first. The plan's words ("gaps are greatest in West Oxfordshire and the Vale") are a finding,
 * not a rule: this shows whichever districts are furthest behind today.
 */
export function districtGaps(districts: readonly { id: number; name: string }[], lines: readonly { id: number; plannedPlaces: number | null }[], byDistrictLine: Map<string, PlaceCounts>): DistrictGap[] {
	if (districts.length === 0) return [];
	const gaps = districts.map((district) => {
		let share = 0;
		let placesComing = 0;
		for (const line of lines) {
			if (line.plannedPlaces === null) continue;
			share += line.plannedPlaces / districts.length;
			const c = byDistrictLine.get(`${district.id}:${line.id}`);
			if (c) placesComing += coming(c);
		}
		const rounded = Math.round(share);
		return { districtId: district.id, name: district.name, share: rounded, coming: placesComing, gap: Math.max(0, rounded - placesComing) };
	});
	return gaps.sort((a, b) => b.gap - a.gap || a.name.localeCompare(b.name));
}

/** A key for a district and line together. */
export const districtLine = (row: { districtId: number; lineId: number }) => `${row.districtId}:${row.lineId}`;
