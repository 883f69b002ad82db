import { sql } from 'kysely';
import type { CapitalProcess, SourceStatus } from '../../src/lib/capital/model';
import { addYears, ukToday } from '../../src/lib/dates';
import type { SeededPeople } from './people';
import type { Trx } from './support';

// The inclusion-base capital programme as the SEND reform plan's cabinet report sets it out: its
// funding sources, five programme lines, targets and two rounds. Every figure here is the plan's
// assumption, stored as data officers change on the set-up pages; nothing reads them from code.
// Seeded only while the programme has no lines, so officers' changes are never overwritten.

const PER_PLACE = 34_173_00;
const SCHOOLS = ['community primary', 'community secondary', 'voluntary controlled primary', 'voluntary aided primary', 'voluntary aided secondary', 'academy', 'free school'];
const EARLY_YEARS = ['maintained nursery', 'day nursery', 'pre-school', 'childminder', ...SCHOOLS.filter((t) => t.includes('primary') || t === 'academy')];
const SECONDARY = ['community secondary', 'voluntary aided secondary', 'academy', 'free school'];

interface LineSeed {
	name: string;
	process: CapitalProcess;
	allocation: number | null;
	maxPerBase?: number;
	benchmark?: number;
	bands?: [standard: number, enhanced: number, enhancedShare: number];
	places?: [min: number, max: number];
	bases?: number;
	plannedPlaces?: number;
	placeDefinition: string;
	assumptions: string;
	eligible: string[];
}

const LINES: LineSeed[] = [
	{
		name: 'Early years support base',
		process: 'grant',
		allocation: 1_000_000_00,
		maxPerBase: 10_000_00,
		places: [6, 6],
		bases: 100,
		plannedPlaces: 600,
		placeDefinition: 'A child supported in the base; each base supports six children at a time over three years.',
		assumptions: 'Twenty bases per district cluster across five clusters, through an active bidding process. Open to private, voluntary and independent nurseries and childminders as well as schools.',
		eligible: EARLY_YEARS
	},
	{
		name: 'Secondary inclusion/support base',
		process: 'rollout',
		allocation: 3_570_000_00,
		bands: [75_000_00, 125_000_00, 20],
		bases: 42,
		plannedPlaces: 1720,
		placeDefinition: 'A pupil supported by the base over time (not a commissioned place).',
		assumptions: 'Every one of the 42 secondary schools hosts a base over three years: about 80% at the standard band and 20% at the enhanced band; 1,720 pupils supported.',
		eligible: SECONDARY
	},
	{
		name: 'Specialist unit, secondary (EHCP)',
		process: 'scheme',
		allocation: 15_959_000_00,
		benchmark: PER_PLACE,
		bases: 10,
		plannedPlaces: 467,
		placeDefinition: 'A commissioned place for a child or young person with an EHC plan.',
		assumptions: 'About ten units plus 88 resource-base places funded from existing capital; 467 places by 2030/31.',
		eligible: SECONDARY
	},
	{
		name: 'Specialist unit, post-16 (FE)',
		process: 'scheme',
		allocation: 4_300_000_00,
		benchmark: PER_PLACE,
		plannedPlaces: 126,
		placeDefinition: 'A commissioned place for a young person with an EHC plan in further education.',
		assumptions: '126 places over three years.',
		eligible: ['FE college']
	},
	{
		name: 'Specialist resource base in mainstream',
		process: 'scheme',
		allocation: null,
		benchmark: PER_PLACE,
		places: [16, 40],
		placeDefinition: 'A commissioned place for a child with an EHC plan in a resource base of a mainstream school.',
		assumptions: 'Typically 16 to 40 places per base; about 500 places across the districts. Allocation set by officers.',
		eligible: SCHOOLS
	}
];

const TRANCHE = 11_299_000_00;
const SOURCES: { name: string; amount: number; status: SourceStatus; profile: Record<string, number>; lines: string[]; notes: string }[] = [
	{ name: 'HNCPA tranche 1', amount: TRANCHE, status: 'confirmed', profile: { 2026: TRANCHE }, lines: LINES.map((l) => l.name), notes: 'High Needs Provision Capital Allocation, first tranche: announced.' },
	{ name: 'HNCPA tranche 2', amount: TRANCHE, status: 'assumed', profile: { 2027: TRANCHE }, lines: LINES.map((l) => l.name), notes: 'Assumed to be the same value as the first tranche until confirmed.' },
	{ name: 'HNCPA tranche 3', amount: TRANCHE, status: 'assumed', profile: { 2028: TRANCHE }, lines: LINES.map((l) => l.name), notes: 'Assumed to be the same value as the first tranche until confirmed.' },
	{
		name: 'Existing capital: 88 resource-base places',
		amount: 88 * PER_PLACE,
		status: 'confirmed',
		profile: { 2026: 88 * PER_PLACE },
		lines: ['Specialist unit, secondary (EHCP)', 'Specialist resource base in mainstream'],
		notes: 'Existing capital funds for 88 resource-base places from the July 2025 plan.'
	}
];

const TARGETS: { name: string; definition: string; baseline: number | null; note: string; figures: Record<string, number>; lines: string[] }[] = [
	{
		name: 'Inclusion support places',
		definition: 'Pupils supported by early years and secondary support bases over three years (pupils supported over time, not places at one moment).',
		baseline: 0,
		note: 'The programme starts in 2026/27.',
		figures: { 2028: 1950 },
		lines: ['Early years support base', 'Secondary inclusion/support base']
	},
	{
		name: 'DfE inclusion bases',
		definition: 'Places in bases counted as “inclusion bases” in the DfE return.',
		baseline: 207,
		note: '16 bases with 207 places today.',
		figures: { 2026: 279, 2031: 408 },
		lines: ['Secondary inclusion/support base', 'Specialist resource base in mainstream']
	},
	{
		name: 'Specialist capacity',
		definition: 'Commissioned places for children and young people with an EHC plan in specialist provision.',
		baseline: 1633,
		note: 'Forecast demand is 2,312 places by 2028/29; 896 places are planned.',
		figures: { 2028: 2312 },
		lines: ['Specialist unit, secondary (EHCP)', 'Specialist unit, post-16 (FE)', 'Specialist resource base in mainstream']
	}
];

const CRITERIA: [name: string, description: string, weight: number][] = [
	['Need in the area', 'How the base meets need in the district, against the council’s forecast.', 30],
	['Space and deliverability', 'Suitable space (surplus space from falling rolls first), adaptations and a realistic opening term.', 25],
	['Value for money', 'Cost per place against the benchmark, and other funding brought.', 20],
	['Inclusion and outreach', 'How the base works with other settings in the cluster and with parents and the PCF.', 25]
];

export async function seedCapital(trx: Trx, people: SeededPeople): Promise<void> {
	const existing = await trx.selectFrom('capital_line').select('id').limit(1).executeTakeFirst();
	if (existing) return;
	const officerId = people.demoUserId('officer');
	const lineIds = new Map<string, number>();
	const history: { subject_type: string; subject_id: number; action: string; summary: string }[] = [];
	for (const line of LINES) {
		const { id } = await trx
			.insertInto('capital_line')
			.values({
				name: line.name,
				process: line.process,
				allocation_pence: line.allocation,
				max_per_base_pence: line.maxPerBase ?? null,
				benchmark_per_place_pence: line.benchmark ?? null,
				standard_band_pence: line.bands?.[0] ?? null,
				enhanced_band_pence: line.bands?.[1] ?? null,
				enhanced_share_percent: line.bands?.[2] ?? null,
				places_min: line.places?.[0] ?? null,
				places_max: line.places?.[1] ?? null,
				planned_bases: line.bases ?? null,
				planned_places: line.plannedPlaces ?? null,
				place_definition: line.placeDefinition,
				assumptions: line.assumptions,
				eligible_setting_types: line.eligible
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		lineIds.set(line.name, id);
		history.push({ subject_type: 'capital_line', subject_id: id, action: 'capital.line_added', summary: `Added the line ${line.name} from the SEND reform plan` });
	}
	const idsOf = (names: string[]) => names.map((name) => lineIds.get(name) ?? 0);

	for (const source of SOURCES) {
		const { id } = await trx
			.insertInto('capital_source')
			.values({ name: source.name, amount_pence: source.amount, status: source.status, profile: JSON.stringify(source.profile), notes: source.notes })
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.insertInto('capital_source_line').values(idsOf(source.lines).map((line_id) => ({ source_id: id, line_id }))).execute();
		history.push({ subject_type: 'capital_source', subject_id: id, action: 'capital.source_added', summary: `Added the funding source ${source.name} from the SEND reform plan` });
	}
	for (const target of TARGETS) {
		const { id } = await trx
			.insertInto('capital_target')
			.values({ name: target.name, definition: target.definition, baseline: target.baseline, baseline_note: target.note, figures: JSON.stringify(target.figures) })
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.insertInto('capital_target_line').values(idsOf(target.lines).map((line_id) => ({ target_id: id, line_id }))).execute();
		history.push({ subject_type: 'capital_target', subject_id: id, action: 'capital.target_added', summary: `Added the target ${target.name} from the SEND reform plan` });
	}

	// An open early years round (what settings see) and a draft specialist round still being set up.
	const today = ukToday();
	const rounds: [name: string, lines: string[], closesOn: string, open: boolean][] = [
		['Early years support bases 2026/27', ['Early years support base'], addYears(today, 1).replace(/-\d\d$/, '-01'), true],
		['Specialist units and resource bases 2026/27', ['Specialist unit, secondary (EHCP)', 'Specialist resource base in mainstream'], addYears(today, 1), false]
	];
	for (const [name, lines, closesOn, open] of rounds) {
		// Criteria go in while the round is a draft: the database freezes them once it opens.
		const { id } = await trx.insertInto('capital_round').values({ name, closes_on: closesOn }).returning('id').executeTakeFirstOrThrow();
		await trx.insertInto('capital_round_line').values(idsOf(lines).map((line_id) => ({ round_id: id, line_id }))).execute();
		await trx
			.insertInto('capital_round_criterion')
			.values(CRITERIA.map(([criterion, description, weight], position) => ({ round_id: id, position, name: criterion, description, weight })))
			.execute();
		history.push({ subject_type: 'capital_round', subject_id: id, action: 'capital.round_drafted', summary: `Drafted the round ${name}` });
		if (open) {
			await trx.updateTable('capital_round').set({ status: 'open', opened_at: sql`now()` }).where('id', '=', id).execute();
			history.push({ subject_type: 'capital_round', subject_id: id, action: 'capital.round_opened', summary: 'Opened the round and published its criteria, now frozen' });
		}
	}
	await trx
		.insertInto('audit_log')
		.values(history.map((h) => ({ actor_id: officerId, action: h.action, subject_type: h.subject_type, subject_id: h.subject_id, reason: null, detail: JSON.stringify({ summary: h.summary }) })))
		.execute();
}

/** A demo academy trust with three of the county's academies, so a trust can apply for several at once. */
const DEMO_TRUST = { name: 'Cherwell Valley Learning Trust', schools: ['Banbury Castlebrook Academy', 'Bicester Stonebridge Academy', 'Didcot Brunel Fields Academy'] };

export async function seedTrusts(trx: Trx): Promise<void> {
	await trx.insertInto('academy_trust').values({ name: DEMO_TRUST.name }).onConflict((oc) => oc.column('name').doNothing()).execute();
	const trust = await trx.selectFrom('academy_trust').select('id').where('name', '=', DEMO_TRUST.name).executeTakeFirstOrThrow();
	await trx.updateTable('setting').set({ trust_id: trust.id }).where('name', 'in', DEMO_TRUST.schools).where('trust_id', 'is', null).execute();
}
