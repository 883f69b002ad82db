import { stringify } from 'csv-stringify/sync';
import { financialYearLabel } from '$lib/capital/model';
import { PHASE_LABELS } from '$lib/capital/dashboard/aggregate';
import { COMMITMENT_KIND_LABELS } from '$lib/capital/money/model';
import { REGISTER_LABELS, REGISTER_STATUSES } from '$lib/capital/flow';
import type { SufficiencyFigures } from './queries';

// The dashboard as one CSV (one table a row kind), for officers' own spreadsheets. Money in
// pounds with pence, so a spreadsheet sums it as it is shown. A cell that starts like a formula
// is quoted with a leading apostrophe, so opening the file never runs anything.

const pounds = (pence: number) => (pence / 100).toFixed(2);
const safe = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

export function dashboardCsv(figures: SufficiencyFigures): string {
	const rows: (string | number)[][] = [['table', 'name', 'measure', 'year', 'value']];
	for (const d of figures.placesByDistrict) {
		for (const phase of ['approved', 'in_delivery', 'open', 'occupied'] as const) rows.push(['places by district', safe(d.name), PHASE_LABELS[phase], '', d[phase]]);
	}
	for (const l of figures.placesByLine) {
		for (const phase of ['approved', 'in_delivery', 'open', 'occupied'] as const) rows.push(['places by line', safe(l.name), PHASE_LABELS[phase], '', l[phase]]);
	}
	for (const t of figures.targets) rows.push(['target', safe(t.name), 'places coming', '', t.coming]);
	for (const g of figures.gaps) rows.push(['gap', safe(g.name), 'short of an even share', '', g.gap]);
	for (const status of REGISTER_STATUSES) rows.push(['rollout register', REGISTER_LABELS[status], 'schools', '', figures.rollout[status]]);
	for (const m of figures.money) rows.push(['money by source', safe(`${m.line} / ${m.source}`), COMMITMENT_KIND_LABELS[m.kind], financialYearLabel(m.year), pounds(m.pence)]);
	for (const s of figures.spend) rows.push(['spend', safe(s.line), 'Spent', financialYearLabel(s.year), pounds(s.pence)]);
	return stringify(rows);
}
