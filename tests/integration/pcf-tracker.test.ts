import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { parseCursor } from '../../src/lib/server/paging';
import { DISTRICT_KEY } from '../../src/lib/server/workspace/queries';
import { ownDistrictOf, trackerCsv, trackerData } from '../../src/lib/server/pcf/tracker';
import type { TrackerFilters } from '../../src/lib/pcf/tracker';
import { actors, db, expectRefusal, ids, usePcfCounty } from './pcf-fixture';

// The PCF feedback tracker against a real PostgreSQL: who may read it (representatives of any
// district, cluster leads and officers; setting staff without a PCF role are refused), and that
// its grouped SQL counts a handful of points exactly: waiting, answered (published answers only,
// a draft still waits), change on its way, change made, and the median working days (weekends
// and England's bank holidays left out) to answer and to deliver. The CSV carries the same figures.

usePcfCounty();

const at = (iso: string) => new Date(`${iso}T10:00:00Z`);

interface Seed {
	district: 'cherwell' | 'oxford';
	source: 'survey' | 'send_connect' | 'youth_forum';
	raised: string;
	answer?: 'will_change' | 'partly' | 'not_changed';
	published?: string;
	delivered?: string;
	themes: number[];
}

async function seed(point: Seed) {
	const { id } = await db
		.insertInto('pcf_point')
		.values({
			district_id: point.district === 'cherwell' ? ids.district : ids.oxford,
			bid_id: ids.bid,
			source: point.source,
			body: 'Families asked for clearer letters.',
			heard_on: point.raised,
			raised_count: 4,
			created_at: at(point.raised),
			answer: point.answer ?? null,
			answer_text: point.answer ? 'An answer' : null,
			change_by: point.answer === 'will_change' ? '2026-12-31' : null,
			answered_by: point.answer ? ids.officer : null,
			answered_at: point.answer ? at(point.published ?? point.raised) : null,
			answer_published_at: point.published ? at(point.published) : null,
			delivered_on: point.delivered ?? null,
			delivery_evidence: point.delivered ? 'Letters rewritten with families' : null,
			delivered_by: point.delivered ? ids.officer : null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	for (const themeId of point.themes) await db.insertInto('pcf_point_theme').values({ point_id: id, theme_id: themeId }).execute();
}

const ALL: TrackerFilters = { districtId: null, themeId: null, source: null, period: 'quarter' };

beforeAll(async () => {
	ids.formula = (await db.insertInto('pcf_theme').values({ name: '=HYPERLINK("http://evil.test")', description: '' }).returning('id').executeTakeFirstOrThrow()).id;
	// Mon 5 Jan 2026 to Mon 12 Jan: 5 working days; not changed.
	await seed({ district: 'cherwell', source: 'survey', raised: '2026-01-05', answer: 'not_changed', published: '2026-01-12', themes: [ids.transport] });
	// Answered in 10 working days (19 Jan), delivered 2 Feb: 20 working days from being raised.
	await seed({ district: 'cherwell', source: 'send_connect', raised: '2026-01-05', answer: 'will_change', published: '2026-01-19', delivered: '2026-02-02', themes: [ids.transport, ids.communication] });
	// Waiting.
	await seed({ district: 'cherwell', source: 'youth_forum', raised: '2026-04-01', themes: [ids.communication] });
	// Thu 2 Apr to Thu 9 Apr 2026 over Easter (Good Friday 3rd, Easter Monday 6th): 3 working days; change on its way.
	await seed({ district: 'cherwell', source: 'survey', raised: '2026-04-02', answer: 'will_change', published: '2026-04-09', themes: [] });
	// An answer drafted but not published: still waiting, and not timed.
	await seed({ district: 'cherwell', source: 'survey', raised: '2026-04-02', answer: 'partly', themes: [] });
	// Another district's point, under a theme whose name looks like a spreadsheet formula.
	await seed({ district: 'oxford', source: 'survey', raised: '2026-01-06', themes: [ids.formula] });
});

describe('who may read the tracker', () => {
	it('is open to representatives (every district’s figures, as they are counts only), cluster leads and officers', async () => {
		for (const who of ['pcf', 'pcfOxford', 'pcfLead', 'lead', 'officer']) {
			const tracker = await trackerData(db, actors[who], ALL);
			expect(tracker.total.points, who).toBe(6);
		}
	});

	it('is refused to setting staff without a PCF role, saying why', async () => {
		for (const who of ['headMeadow', 'sencoMeadow', 'outsider']) {
			await expectRefusal(trackerData(db, actors[who], ALL), 'FORBIDDEN', /PCF representatives, cluster leads and council officers/);
		}
	});

	it('opens on a representative’s own district', () => {
		expect(ownDistrictOf(actors.pcf)).toBe(ids.district);
		expect(ownDistrictOf(actors.pcfOxford)).toBe(ids.oxford);
		expect(ownDistrictOf(actors.officer)).toBeNull();
	});
});

describe('the figures', () => {
	it('count one district’s points by status, with median working days to answer and deliver', async () => {
		const tracker = await trackerData(db, actors.pcf, { ...ALL, districtId: ids.district });
		expect(tracker.total).toEqual({ points: 5, waiting: 2, answered: 3, changing: 1, delivered: 1, medianAnswerDays: 5, medianDeliverDays: 20 });
		expect(tracker.byPeriod.map((r) => [r.label, r.points, r.waiting, r.answered, r.changing, r.delivered, r.medianAnswerDays, r.medianDeliverDays])).toEqual([
			['Jan to Mar 2026', 2, 0, 2, 0, 1, 7.5, 20],
			['Apr to Jun 2026', 3, 2, 1, 1, 0, 3, null]
		]);
		// A point with two themes counts under each; one with none under "No theme".
		expect(tracker.byTheme.map((r) => [r.label, r.points])).toEqual([
			['Communication with families', 2],
			['Transport', 2],
			['No theme', 2]
		]);
		expect(tracker.bySource.map((r) => [r.key, r.points, r.waiting])).toEqual([
			['send_connect', 1, 0],
			['survey', 3, 1],
			['youth_forum', 1, 1]
		]);
		expect(tracker.byDistrict.map((r) => [r.label, r.points])).toEqual([['Cherwell', 5]]);
	});

	it('narrows by theme, source and month, and counts every district together', async () => {
		const transport = await trackerData(db, actors.officer, { ...ALL, themeId: ids.transport, period: 'month' });
		expect(transport.byPeriod.map((r) => [r.label, r.points, r.delivered])).toEqual([['January 2026', 2, 1]]);
		const surveys = await trackerData(db, actors.officer, { ...ALL, source: 'survey' });
		expect(surveys.total.points).toBe(4);
		const all = await trackerData(db, actors.officer, ALL);
		expect(all.total.waiting).toBe(3);
		expect(all.byDistrict.map((r) => [r.label, r.points, r.waiting])).toEqual([
			['Cherwell', 5, 2],
			['Oxford', 1, 1]
		]);
	});

	it('count every district a page at a time, by name, zeros included; the CSV has every district with a point', async () => {
		// England has hundreds of districts: the table is a page of 20 active ones, then the next.
		const more = await db
			.insertInto('cluster')
			.values(Array.from({ length: 24 }, (_, i) => ({ kind: 'district' as const, name: `Quiet district ${String(i + 1).padStart(2, '0')}` })))
			.returning('id')
			.execute();
		const retired = await db.insertInto('cluster').values({ kind: 'district', name: 'Retired district', status: 'retired' }).returning('id').executeTakeFirstOrThrow();
		try {
			const first = await trackerData(db, actors.officer, ALL);
			expect(first.byDistrict).toHaveLength(20);
			expect(first.districtPages.previous).toBeNull();
			expect(first.byDistrict.find((r) => r.label === 'Cherwell')).toMatchObject({ points: 5, waiting: 2 });
			expect(first.byDistrict.find((r) => r.label === 'Quiet district 01')).toMatchObject({ points: 0, waiting: 0, medianAnswerDays: null });
			const second = await trackerData(db, actors.officer, ALL, parseCursor(first.districtPages.next, DISTRICT_KEY));
			expect(second.districtPages.next).toBeNull();
			const labels = [...first.byDistrict, ...second.byDistrict].map((r) => r.label);
			// Each active district once, in name order; the retired one never.
			expect(new Set(labels).size).toBe(labels.length);
			expect(labels).toEqual([...labels].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
			expect(labels).toEqual(expect.arrayContaining(['Cherwell', 'Oxford', 'Quiet district 24']));
			expect(labels).not.toContain('Retired district');
			expect(first.byDistrict.find((r) => r.label === 'Oxford')).toMatchObject({ points: 1, waiting: 1 });
			expect(second.byDistrict.map((r) => r.label)).toContain('Quiet district 24');
			// The CSV: the districts with a point, all of them, and no page.
			const rows: string[][] = parse(trackerCsv(await trackerData(db, actors.officer, ALL, 'all')));
			expect(rows.filter((r) => r[0] === 'district').map((r) => [r[1], r[2]])).toEqual([
				['Cherwell', '5'],
				['Oxford', '1']
			]);
			// One district chosen: its row alone, and its name for the page's headings.
			const oxford = await trackerData(db, actors.officer, { ...ALL, districtId: ids.oxford }, parseCursor(first.districtPages.next, DISTRICT_KEY));
			expect(oxford.district).toEqual({ id: ids.oxford, name: 'Oxford' });
			expect(oxford.byDistrict.map((r) => [r.label, r.points])).toEqual([['Oxford', 1]]);
			expect(oxford.districtPages).toEqual({ next: null, previous: null });
		} finally {
			await db.deleteFrom('cluster').where('id', 'in', [...more.map((r) => r.id), retired.id]).execute();
		}
	});

	it('go out as CSV with the same figures, the filters first, formulas disarmed', async () => {
		const csv = trackerCsv(await trackerData(db, actors.pcf, ALL, 'all'));
		const rows: string[][] = parse(csv);
		expect(rows[0][0]).toBe('table');
		expect(rows[1]).toEqual(['filters', 'District: all districts; Theme: all themes; Source: all sources; By: quarter', '6', '3', '3', '1', '1', '5', '20']);
		expect(rows).toContainEqual(['quarter', 'Jan to Mar 2026', '3', '1', '2', '0', '1', '7.5', '20']);
		expect(rows).toContainEqual(['district', 'Oxford', '1', '1', '0', '0', '0', '', '']);
		expect(rows).toContainEqual(['theme', `'=HYPERLINK("http://evil.test")`, '1', '1', '0', '0', '0', '', '']);
		// Counts only: no point's words and no name.
		expect(csv).not.toContain('clearer letters');
		expect(csv).not.toContain('Pat Parent');
		expect(csv).not.toContain('Olive Officer');
	});
});
