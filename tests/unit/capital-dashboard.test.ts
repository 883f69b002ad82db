import { describe, expect, it } from 'vitest';
import { coming, districtGaps, districtLine, placesBy, placesForLines, type PipelineRow } from '$lib/capital/dashboard/aggregate';
import { barLength, niceMax } from '$lib/capital/dashboard/charts';

// The sufficiency dashboard's arithmetic over grouped rows: places by pipeline phase, against
// targets by their lines, each district's gap, and the charts' scales.

const ROWS: PipelineRow[] = [
	{ districtId: 1, lineId: 10, stage: 'grant_offered', applications: 2, places: 12 },
	{ districtId: 1, lineId: 10, stage: 'claimed', applications: 1, places: 6 },
	{ districtId: 1, lineId: 20, stage: 'in_delivery', applications: 1, places: 40 },
	{ districtId: 2, lineId: 10, stage: 'open', applications: 1, places: 6 },
	// Not yet approved, or ended: counted nowhere.
	{ districtId: 2, lineId: 20, stage: 'in_assessment', applications: 3, places: 120 },
	{ districtId: 2, lineId: 20, stage: 'withdrawn', applications: 1, places: 40 }
];
const OCCUPIED = [{ districtId: 2, lineId: 10, occupied: 5 }];

describe('places by pipeline phase', () => {
	it('maps each stage to its phase and sums places and bases by district', () => {
		const byDistrict = placesBy(ROWS, OCCUPIED, (r) => r.districtId);
		expect(byDistrict.get(1)).toEqual({ approved: 12, in_delivery: 46, open: 0, occupied: 0, bases: 4 });
		expect(byDistrict.get(2)).toEqual({ approved: 0, in_delivery: 0, open: 6, occupied: 5, bases: 1 });
		expect(coming(byDistrict.get(1)!)).toBe(58);
	});

	it('sums by line, and a target counts only the lines linked to it', () => {
		const byLine = placesBy(ROWS, OCCUPIED, (r) => r.lineId);
		expect(placesForLines(byLine, [10])).toEqual({ approved: 12, in_delivery: 6, open: 6, occupied: 5, bases: 4 });
		expect(placesForLines(byLine, [10, 20])).toMatchObject({ in_delivery: 46 });
		expect(placesForLines(byLine, [99])).toEqual({ approved: 0, in_delivery: 0, open: 0, occupied: 0, bases: 0 });
	});
});

describe('gaps at a glance', () => {
	const districts = [
		{ id: 1, name: 'Cherwell' },
		{ id: 2, name: 'West Oxfordshire' },
		{ id: 3, name: 'Vale of White Horse' }
	];
	const lines = [
		{ id: 10, plannedPlaces: 600 },
		{ id: 20, plannedPlaces: 300 },
		{ id: 30, plannedPlaces: null }
	];

	it('compares each district with an even share of the lines’ planned places, furthest behind first', () => {
		const gaps = districtGaps(districts, lines, placesBy(ROWS, OCCUPIED, districtLine));
		expect(gaps.map((g) => [g.name, g.share, g.coming, g.gap])).toEqual([
			['Vale of White Horse', 300, 0, 300],
			['West Oxfordshire', 300, 6, 294],
			['Cherwell', 300, 58, 242]
		]);
	});

	it('a district past its share has no gap, and no districts means no gaps', () => {
		const many: PipelineRow[] = [{ districtId: 1, lineId: 10, stage: 'open', applications: 50, places: 400 }];
		expect(districtGaps(districts, lines, placesBy(many, [], districtLine)).find((g) => g.name === 'Cherwell')?.gap).toBe(0);
		expect(districtGaps([], lines, new Map())).toEqual([]);
	});
});

describe('chart scales', () => {
	it('an axis tops out at a round figure at or above the largest value', () => {
		expect(niceMax(0)).toBe(1);
		expect(niceMax(7)).toBe(10);
		expect(niceMax(46)).toBe(50);
		expect(niceMax(120)).toBe(200);
		expect(niceMax(1_000_000_00)).toBe(1_000_000_00);
	});

	it('a bar is in proportion, never negative and never past the end', () => {
		expect(barLength(25, 100, 400)).toBe(100);
		expect(barLength(-5, 100, 400)).toBe(0);
		expect(barLength(500, 100, 400)).toBe(400);
		expect(barLength(5, 0, 400)).toBe(0);
	});
});
