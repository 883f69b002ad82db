import { sql } from 'kysely';
import type { ApplicationStage } from '../../src/lib/capital/flow';
import type { SeededPeople } from './people';
import type { Trx } from './support';

// The demo county's places pipeline, so the sufficiency dashboard is not empty on first start:
// the four CAP-DEMO rows the applications and assessment seeds fill in (an early years grant paid
// and open, a secondary base in delivery, a specialist scheme being scored, a draft), and a few
// more across the districts, fewer in West Oxfordshire and the Vale, as the plan finds. Money is
// committed against the confirmed first tranche, planned against the assumed second, spent on the
// paid grant and the base in delivery; the open base has occupied places. Rows are found by
// reference, so a rerun adds nothing and officers' changes are never overwritten.

const PER_PLACE = 34_173_00;
const EARLY_YEARS = 'Early years support base';
const SECONDARY = 'Secondary inclusion/support base';
const SPECIALIST = 'Specialist unit, secondary (EHCP)';
const RESOURCE_BASE = 'Specialist resource base in mainstream';

interface PipelineRow {
	reference: string;
	title: string;
	line: string;
	district: string;
	phase: 'early_years' | 'primary' | 'secondary';
	stage: ApplicationStage;
	places: number;
	requested: number;
	openingYear: number;
	band?: 'standard' | 'enhanced';
	/** Committed from the first tranche (confirmed), in 2026/27. */
	committed?: number;
	/** Planned against the second tranche (assumed), in 2027/28. */
	planned?: number;
	spent?: [amount: number, on: string, note: string][];
	occupied?: number;
}

const ROWS: PipelineRow[] = [
	{ reference: 'CAP-DEMO-EY1', title: 'Little Acorns early years support base', line: EARLY_YEARS, district: 'Cherwell', phase: 'early_years', stage: 'open', places: 6, requested: 10_000_00, openingYear: 2026, committed: 10_000_00, spent: [[10_000_00, '2026-09-14', 'Sensory corner, quiet room and adapted furniture (grant paid on claim)']], occupied: 5 },
	{ reference: 'CAP-DEMO-SEC1', title: 'Castlebrook inclusion base', line: SECONDARY, district: 'Cherwell', phase: 'secondary', stage: 'in_delivery', places: 40, requested: 75_000_00, openingYear: 2027, band: 'standard', committed: 75_000_00, spent: [[22_500_00, '2026-10-20', 'Architect and first stage of the classroom conversion']] },
	{ reference: 'CAP-DEMO-SP1', title: 'Specialist autism unit, secondary', line: SPECIALIST, district: 'Oxford', phase: 'secondary', stage: 'in_assessment', places: 16, requested: 16 * PER_PLACE, openingYear: 2028, planned: 16 * PER_PLACE },
	{ reference: 'CAP-DEMO-DRAFT1', title: 'Resource base for speech, language and communication', line: RESOURCE_BASE, district: 'South Oxfordshire', phase: 'primary', stage: 'draft', places: 20, requested: 20 * PER_PLACE, openingYear: 2028 },
	{ reference: 'CAP-DEMO-EY2', title: 'Rainbow nursery support base', line: EARLY_YEARS, district: 'Oxford', phase: 'early_years', stage: 'grant_accepted', places: 6, requested: 9_500_00, openingYear: 2027, committed: 9_500_00 },
	{ reference: 'CAP-DEMO-EY3', title: 'Riverside pre-school support base', line: EARLY_YEARS, district: 'South Oxfordshire', phase: 'early_years', stage: 'claimed', places: 6, requested: 10_000_00, openingYear: 2026, committed: 10_000_00, spent: [[8_000_00, '2026-11-02', 'Adaptations to the garden room']] },
	{ reference: 'CAP-DEMO-EY4', title: 'Hillside childminder support base', line: EARLY_YEARS, district: 'West Oxfordshire', phase: 'early_years', stage: 'grant_offered', places: 6, requested: 7_500_00, openingYear: 2027, committed: 7_500_00 },
	{ reference: 'CAP-DEMO-SEC2', title: 'Oxford enhanced inclusion base', line: SECONDARY, district: 'Oxford', phase: 'secondary', stage: 'approved', places: 50, requested: 125_000_00, openingYear: 2027, band: 'enhanced', committed: 125_000_00 },
	{ reference: 'CAP-DEMO-SEC3', title: 'Thame inclusion base', line: SECONDARY, district: 'South Oxfordshire', phase: 'secondary', stage: 'in_delivery', places: 40, requested: 75_000_00, openingYear: 2027, band: 'standard', committed: 75_000_00 },
	{ reference: 'CAP-DEMO-SEC4', title: 'Bicester inclusion base', line: SECONDARY, district: 'Cherwell', phase: 'secondary', stage: 'approved', places: 40, requested: 75_000_00, openingYear: 2028, band: 'standard', planned: 75_000_00 },
	{ reference: 'CAP-DEMO-SP2', title: 'Specialist unit for social, emotional and mental health needs', line: SPECIALIST, district: 'Cherwell', phase: 'secondary', stage: 'approved_in_principle', places: 12, requested: 12 * PER_PLACE, openingYear: 2028, committed: 12 * PER_PLACE },
	{ reference: 'CAP-DEMO-VALE1', title: 'Faringdon inclusion base', line: SECONDARY, district: 'Vale of White Horse', phase: 'secondary', stage: 'in_assessment', places: 40, requested: 75_000_00, openingYear: 2028, band: 'standard' }
];

const PARENTS_INVOLVED: Record<string, string> = {
	[EARLY_YEARS]: 'Oxfordshire Parent Carer Forum helped write the grant’s short form and sat on the panel that assessed it. Settings told parents of children who may use a base before applying.',
	[SECONDARY]: 'Each school held a meeting for parents before applying. The Parent Carer Forum reviewed the readiness assessment and asked that every base has a quiet space and a named key adult.'
};

/** The first setting of a phase in a district (by name), where the demo base sits. */
async function settingIn(trx: Trx, district: string, phase: PipelineRow['phase']) {
	return trx
		.selectFrom('setting as s')
		.innerJoin('cluster as l', 'l.id', 's.cluster_id')
		.innerJoin('cluster as d', 'd.id', 'l.parent_id')
		.select(['s.id', 'd.id as district_id'])
		.where('d.name', 'like', `${district}%`)
		.where('d.kind', '=', 'district')
		.where('s.phase', '=', phase)
		.orderBy('s.name')
		.limit(1)
		.executeTakeFirst();
}

/** A round that opened the line, or one made for the demo when the set-up has none. */
async function roundFor(trx: Trx, lineId: number, lineName: string): Promise<number> {
	const found = await trx.selectFrom('capital_round_line').select('round_id').where('line_id', '=', lineId).orderBy('round_id').limit(1).executeTakeFirst();
	if (found) return found.round_id;
	const { id } = await trx
		.insertInto('capital_round')
		.values({ name: `${lineName} 2026/27`, status: 'open', closes_on: '2027-07-31', opened_at: sql`now()` })
		.returning('id')
		.executeTakeFirstOrThrow();
	await trx.insertInto('capital_round_line').values({ round_id: id, line_id: lineId }).execute();
	return id;
}

export async function seedCapitalPipeline(trx: Trx, people: SeededPeople): Promise<void> {
	const lines = new Map((await trx.selectFrom('capital_line').select(['id', 'name']).execute()).map((l) => [l.name, l.id]));
	const sources = new Map((await trx.selectFrom('capital_source').select(['id', 'name']).execute()).map((s) => [s.name, s.id]));
	const tranche1 = sources.get('HNCPA tranche 1');
	const tranche2 = sources.get('HNCPA tranche 2');
	// Nothing to build on until the programme's set-up is seeded (it is, just before).
	if (!tranche1 || !tranche2 || lines.size === 0) return;
	const known = new Set((await trx.selectFrom('capital_application').select('reference').where('reference', 'like', 'CAP-DEMO-%').execute()).map((r) => r.reference));
	const officerId = people.demoUserId('officer');
	const applicantId = people.demoUserId('headteacher');
	const audit: { actor_id: number; action: string; subject_type: string; subject_id: number; reason: string | null; detail: string }[] = [];
	for (const row of ROWS) {
		if (known.has(row.reference)) continue;
		const lineId = lines.get(row.line);
		const setting = await settingIn(trx, row.district, row.phase);
		if (!lineId || !setting) continue;
		const submitted = row.stage !== 'draft';
		const decided = !['draft', 'submitted', 'in_assessment'].includes(row.stage);
		const { id } = await trx
			.insertInto('capital_application')
			.values({
				reference: row.reference,
				round_id: await roundFor(trx, lineId, row.line),
				line_id: lineId,
				setting_id: setting.id,
				district_id: setting.district_id,
				stage: row.stage,
				title: row.title,
				places: row.places,
				requested_pence: row.requested,
				band: row.band ?? null,
				opening_year: row.openingYear,
				submission_no: submitted ? 1 : 0,
				submitted_at: submitted ? sql<Date>`now() - interval '60 days'` : null,
				decided_at: decided ? sql<Date>`now() - interval '30 days'` : null,
				created_by: applicantId
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.insertInto('capital_application_setting').values({ application_id: id, setting_id: setting.id }).execute();
		const money: { kind: 'committed' | 'planned'; source: number; year: number; amount: number; reason: string }[] = [];
		if (row.committed) money.push({ kind: 'committed', source: tranche1, year: 2026, amount: row.committed, reason: 'Approved; committed from the confirmed first tranche' });
		if (row.planned) money.push({ kind: 'planned', source: tranche2, year: 2027, amount: row.planned, reason: 'Expected from the second tranche once it is confirmed' });
		for (const m of money) {
			await trx.insertInto('capital_commitment').values({ application_id: id, source_id: m.source, line_id: lineId, year: m.year, amount_pence: m.amount, kind: m.kind, reason: m.reason, created_by: officerId }).execute();
			audit.push({ actor_id: officerId, action: m.kind === 'committed' ? 'capital.funding_committed' : 'capital.funding_planned', subject_type: 'capital_application', subject_id: id, reason: m.reason, detail: JSON.stringify({ summary: `${m.kind === 'committed' ? 'Committed' : 'Planned'} £${(m.amount / 100).toLocaleString('en-GB')} (demo pipeline)` }) });
		}
		for (const [amount, on, note] of row.spent ?? []) {
			await trx.insertInto('capital_spend').values({ application_id: id, line_id: lineId, amount_pence: amount, spent_on: on, note, recorded_by: officerId }).execute();
			audit.push({ actor_id: officerId, action: 'capital.spend_recorded', subject_type: 'capital_application', subject_id: id, reason: null, detail: JSON.stringify({ summary: `Recorded £${(amount / 100).toLocaleString('en-GB')} spent: ${note}` }) });
		}
		if (row.occupied !== undefined) {
			await trx.insertInto('capital_occupancy').values({ application_id: id, year: 2026, term: 'autumn', occupied: row.occupied, recorded_by: officerId }).execute();
			audit.push({ actor_id: officerId, action: 'capital.occupancy_recorded', subject_type: 'capital_application', subject_id: id, reason: null, detail: JSON.stringify({ summary: `Recorded ${row.occupied} of ${row.places} places occupied in Autumn 2026/27` }) });
		}
	}
	for (const [lineName, words] of Object.entries(PARENTS_INVOLVED)) {
		const lineId = lines.get(lineName);
		if (lineId) await trx.insertInto('capital_public_note').values({ line_id: lineId, parents_involved: words, updated_by: officerId }).onConflict((oc) => oc.column('line_id').doNothing()).execute();
	}
	if (audit.length) await trx.insertInto('audit_log').values(audit).execute();
}
