import { sql } from 'kysely';
import type { ClusterKind } from '../../src/lib/roles';
import { DEMO_SETTINGS } from './demo-accounts';
import { lookup, type Trx } from './support';

// The demo county's places: the five real districts, illustrative locality clusters named after
// real towns, and invented settings. Every setting name is fictional; URNs start with 9 so they can
// never clash with a real school's. Everything is derived deterministically, so a rerun finds the
// same natural keys and adds nothing.

type Phase = 'early_years' | 'primary' | 'secondary' | 'all_through' | 'special' | 'alternative_provision' | 'post16';

/** A setting named by hand (demo accounts sit at these): phase, type, place (the town), full name. */
type NamedSetting = readonly [phase: Phase, settingType: string, place: string, name: string];

interface LocalityPlan {
	name: string;
	/** Places the generated settings are named after and located in; the first is the main town. */
	places: readonly string[];
	/** Post town for every setting here when the places are areas of one city. */
	town?: string;
	/** How many of the first places are towns big enough for a secondary (default 1; all of a city). */
	secondaryTowns?: number;
	/** How many further settings to generate: early years, primary, secondary. */
	generate: readonly [earlyYears: number, primary: number, secondary: number];
	/** Listed first so their URNs stay put whatever is generated after them. */
	named?: readonly NamedSetting[];
}

interface DistrictPlan {
	name: string;
	localities: readonly LocalityPlan[];
}

const COUNTY: readonly DistrictPlan[] = [
	{
		name: 'Cherwell',
		localities: [
			{
				name: 'Banbury',
				places: ['Banbury', 'Bodicote', 'Adderbury', 'Bloxham', 'Cropredy'],
				generate: [4, 5, 3],
				named: [
					['primary', 'community primary', 'Banbury', DEMO_SETTINGS.banburyPrimary],
					['secondary', 'academy', 'Banbury', DEMO_SETTINGS.banburySecondary],
					['primary', 'academy', 'Banbury', DEMO_SETTINGS.banburyLeadPrimary],
					['special', 'special school', 'Banbury', 'Banbury Brightwater School'],
					['alternative_provision', 'alternative provision', 'Banbury', DEMO_SETTINGS.banburyPathways],
					['post16', 'FE college', 'Banbury', 'Banbury Cherwell Bridge College']
				]
			},
			{
				name: 'Bicester',
				places: ['Bicester', 'Launton', 'Ambrosden', 'Chesterton'],
				generate: [3, 5, 2],
				named: [
					['primary', 'community primary', 'Bicester', 'Bicester Willowbrook Primary School'],
					['secondary', 'academy', 'Bicester', 'Bicester Stonebridge Academy'],
					['special', 'special school', 'Bicester', 'Bicester Longmeadow School']
				]
			},
			{
				name: 'Kidlington & villages',
				places: ['Kidlington', 'Yarnton', 'Islip', 'Kirtlington'],
				generate: [2, 4, 2],
				named: [
					['early_years', 'maintained nursery', 'Kidlington', 'Kidlington Little Acorns Nursery'],
					['early_years', 'day nursery', 'Kidlington', DEMO_SETTINGS.kidlingtonNursery],
					['primary', 'academy', 'Kidlington', 'Kidlington Larkspur Primary School']
				]
			}
		]
	},
	{
		name: 'Oxford',
		localities: [
			{
				name: 'North & Central Oxford',
				places: ['Summertown', 'Jericho', 'Wolvercote', 'Cutteslowe'],
				town: 'Oxford',
				generate: [3, 4, 3],
				named: [['primary', 'community primary', 'Summertown', DEMO_SETTINGS.oxfordPrimary]]
			},
			{
				name: 'East Oxford',
				places: ['Cowley', 'Iffley Fields', 'Florence Park', "St Clement's"],
				town: 'Oxford',
				generate: [3, 4, 3],
				named: [
					['alternative_provision', 'alternative provision', 'Cowley', 'Cowley Next Steps Centre'],
					['post16', 'FE college', 'Cowley', 'Oxford Riverside College']
				]
			},
			{
				name: 'Headington & Marston',
				places: ['Headington', 'Marston', 'Barton', 'Risinghurst'],
				town: 'Oxford',
				generate: [3, 4, 2],
				named: [['special', 'special school', 'Headington', 'Headington Northern Lights School']]
			},
			{
				name: 'South Oxford & Blackbird Leys',
				places: ['Blackbird Leys', 'Rose Hill', 'Littlemore', 'Greater Leys'],
				town: 'Oxford',
				generate: [3, 4, 2],
				named: [['special', 'special school', 'Littlemore', 'Littlemore Silver Birch School']]
			}
		]
	},
	{
		name: 'South Oxfordshire',
		localities: [
			{
				name: 'Didcot',
				places: ['Didcot', 'Harwell', 'Sutton Courtenay', 'Blewbury'],
				generate: [4, 5, 3],
				named: [
					['all_through', 'academy', 'Didcot', 'Didcot Brunel Fields Academy'],
					['special', 'special school', 'Didcot', 'Didcot Evergreen School'],
					['alternative_provision', 'alternative provision', 'Didcot', 'Didcot Bridgeway Centre']
				]
			},
			{
				name: 'Henley & Thame',
				places: ['Henley-on-Thames', 'Thame', 'Sonning Common', 'Chinnor'],
				secondaryTowns: 2,
				generate: [3, 5, 3]
			},
			{
				name: 'Wallingford',
				places: ['Wallingford', 'Cholsey', 'Benson', 'Crowmarsh Gifford'],
				generate: [3, 4, 2]
			}
		]
	},
	{
		name: 'Vale of White Horse',
		localities: [
			{
				name: 'Abingdon',
				places: ['Abingdon', 'Radley', 'Drayton', 'Kennington'],
				generate: [4, 5, 4],
				named: [
					['special', 'special school', 'Abingdon', 'Abingdon Tamarisk School'],
					['post16', 'FE college', 'Abingdon', 'Abingdon Millstream College']
				]
			},
			{
				name: 'Wantage & Grove',
				places: ['Wantage', 'Grove', 'Letcombe Regis', 'East Hendred'],
				secondaryTowns: 2,
				generate: [3, 5, 2],
				named: [['special', 'special school', 'Wantage', 'Wantage Lavender Fields School']]
			},
			{
				name: 'Faringdon',
				places: ['Faringdon', 'Shrivenham', 'Buckland', 'Uffington'],
				generate: [3, 4, 1]
			}
		]
	},
	{
		name: 'West Oxfordshire',
		localities: [
			{
				name: 'Witney',
				places: ['Witney', 'Eynsham', 'Ducklington', 'Hailey'],
				secondaryTowns: 2,
				generate: [4, 5, 4],
				named: [
					['special', 'special school', 'Witney', 'Witney Moorland View School'],
					['alternative_provision', 'alternative provision', 'Witney', 'Witney Fresh Start Centre']
				]
			},
			{
				name: 'Carterton',
				places: ['Carterton', 'Brize Norton', 'Bampton', 'Alvescot'],
				generate: [3, 4, 2],
				named: [['special', 'special school', 'Carterton', 'Carterton Skylark Meadow School']]
			},
			{
				name: 'Chipping Norton',
				places: ['Chipping Norton', 'Woodstock', 'Charlbury', 'Enstone'],
				secondaryTowns: 2,
				generate: [3, 4, 2]
			}
		]
	}
];

// Invented name stems; a place name goes in front ("Bloxham Hazelgrove Primary School").
const EARLY_YEARS_STEMS = [
	'Little Acorns Nursery', 'Tadpoles Pre-school', 'Buttercup Nursery', 'Sunbeam Nursery', 'Ladybird Pre-school',
	'Toadstool Nursery', 'Pebbles Pre-school', 'Conker Tree Nursery', 'Dandelion Pre-school', 'Hedgehogs Pre-school',
	'Bumblebee Nursery', 'Owlets Pre-school'
];
const PRIMARY_STEMS = [
	'Hazelgrove', 'Brambleway', 'Skylark', 'Heronsfield', 'Copperbeech', 'Riverbend', 'Thistledown', 'Kestrel Rise',
	'Amberfield', 'Bluebell Lane', 'Harebell', 'Wrenfield', 'Cloverleaf', 'Swallowdale', 'Cowslip Meadow', 'Rowan Tree',
	'Dragonfly', 'Marigold', 'Hollyhock', 'Juniper', 'Teasel', 'Sorrelbank', 'Kingcup', 'Lapwing'
].map((stem) => `${stem} Primary School`);
const SECONDARY_STEMS = [
	'Lindenhurst', 'Elmcroft', 'Greywell', 'Fallowfield', 'Ashcombe', 'Redkite', 'Oakhurst', 'Millbrook',
	'Brackenridge', 'Westmere', 'Saxonfield', 'Fernleigh', 'Highcroft', 'Kilnfield', 'Harrowden', 'Larchmont'
].map((stem, i) => `${stem} ${i % 2 === 0 ? 'Academy' : 'School'}`);

/** FNV-1a: a stable number from a name, so types and pupil counts vary without randomness. */
function stableHash(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

function pick<T>(options: readonly T[], name: string, salt: string): T {
	return options[stableHash(`${salt}:${name}`) % options.length];
}

// Roll sizes typical for each phase (FE colleges count all enrolled students).
const PUPILS: Record<Phase, readonly [min: number, spread: number]> = {
	early_years: [20, 50],
	primary: [60, 360],
	secondary: [650, 1000],
	all_through: [1500, 400],
	special: [80, 140],
	alternative_provision: [18, 45],
	post16: [3000, 4500]
};

function generatedType(phase: Phase, name: string): string {
	if (phase === 'early_years') {
		return name.endsWith('Pre-school') ? 'pre-school' : pick(['maintained nursery', 'day nursery'], name, 'type');
	}
	if (phase === 'primary') {
		// Listed twice to weight the mix towards the commonest kinds.
		const kinds = ['community primary', 'community primary', 'academy', 'academy', 'voluntary controlled primary', 'voluntary aided primary'];
		return pick(kinds, name, 'type');
	}
	if (name.endsWith('Academy')) return 'academy';
	return pick(['academy', 'free school', 'community secondary', 'voluntary aided secondary'], name, 'type');
}

export interface SettingSeed {
	urn: string;
	name: string;
	phase: Phase;
	settingType: string;
	town: string;
	pupilCount: number;
	district: string;
	locality: string;
}

/** Every setting in the demo county, in a fixed order with fixed URNs ("9" + district + locality + serial). */
export function demoCountySettings(): SettingSeed[] {
	const settings: SettingSeed[] = [];
	const taken = new Set<string>();
	// One running position per phase across the county, so neighbouring localities get different stems.
	const cursor = { early_years: 0, primary: 0, secondary: 0 };
	COUNTY.forEach((district, d) => {
		district.localities.forEach((locality, l) => {
			let serial = 0;
			const add = (phase: Phase, settingType: string, place: string, name: string) => {
				if (taken.has(name)) throw new Error(`demo county: setting name used twice: ${name}`);
				taken.add(name);
				serial += 1;
				const [min, spread] = PUPILS[phase];
				settings.push({
					urn: `9${d + 1}${l + 1}${String(serial).padStart(3, '0')}`,
					name,
					phase,
					settingType,
					town: locality.town ?? place,
					pupilCount: min + (stableHash(name) % spread),
					district: district.name,
					locality: locality.name
				});
			};
			for (const [phase, settingType, place, name] of locality.named ?? []) add(phase, settingType, place, name);
			const generated: [keyof typeof cursor, readonly string[], number][] = [
				['early_years', EARLY_YEARS_STEMS, locality.generate[0]],
				['primary', PRIMARY_STEMS, locality.generate[1]],
				['secondary', SECONDARY_STEMS, locality.generate[2]]
			];
			for (const [phase, stems, count] of generated) {
				for (let i = 0; i < count; i++) {
					// Villages get nurseries and primaries; secondaries sit in the towns.
					const placeCount =
						phase === 'secondary' && !locality.town ? (locality.secondaryTowns ?? 1) : locality.places.length;
					const place = locality.places[i % placeCount];
					let name: string;
					// Skip a stem this place already has (a hand-named setting may use it).
					do {
						name = `${place} ${stems[cursor[phase]++ % stems.length]}`;
					} while (taken.has(name));
					add(phase, generatedType(phase, name), place, name);
				}
			}
		});
	});
	return settings;
}

/** The active cluster with this kind, name and parent (a retired one if that is all there is), created if missing. */
async function ensureCluster(trx: Trx, kind: ClusterKind, name: string, parentId: number | null): Promise<number> {
	const found = await trx
		.selectFrom('cluster')
		.select('id')
		.where('kind', '=', kind)
		.where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
		.where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
		.orderBy(sql`status = 'active'`, 'desc')
		.orderBy('id')
		.executeTakeFirst();
	if (found) return found.id;
	const { id } = await trx
		.insertInto('cluster')
		.values({ kind, name, parent_id: parentId })
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

/** What the county step made, for the steps after it: clusters by "District" or "District/Locality", settings by name. */
export interface SeededCounty {
	clusterId(key: string): number;
	settingId(name: string): number;
	districts: number;
	localities: number;
	settings: number;
}

export async function seedCounty(trx: Trx): Promise<SeededCounty> {
	const settings = demoCountySettings();
	const clusterIds = new Map<string, number>();
	for (const district of COUNTY) {
		const districtId = await ensureCluster(trx, 'district', district.name, null);
		clusterIds.set(district.name, districtId);
		for (const locality of district.localities) {
			clusterIds.set(`${district.name}/${locality.name}`, await ensureCluster(trx, 'locality', locality.name, districtId));
		}
	}

	// Existing settings are left as they are: officers may have corrected or moved them since.
	await trx
		.insertInto('setting')
		.values(
			settings.map((setting) => ({
				urn: setting.urn,
				name: setting.name,
				phase: setting.phase,
				setting_type: setting.settingType,
				town: setting.town,
				pupil_count: setting.pupilCount,
				cluster_id: lookup(clusterIds, `${setting.district}/${setting.locality}`, 'cluster')
			}))
		)
		.onConflict((oc) => oc.column('urn').doNothing())
		.execute();
	const urnByName = new Map(settings.map((setting) => [setting.name, setting.urn]));
	const settingRows = await trx.selectFrom('setting').select(['id', 'urn']).where('urn', 'in', settings.map((setting) => setting.urn)).execute();
	const settingIdByUrn = new Map(settingRows.map((row) => [row.urn, row.id]));

	return {
		clusterId: (key) => lookup(clusterIds, key, 'cluster'),
		settingId: (name) => lookup(settingIdByUrn, lookup(urnByName, name, 'setting'), 'setting row'),
		districts: COUNTY.length,
		localities: COUNTY.reduce((sum, district) => sum + district.localities.length, 0),
		settings: settings.length
	};
}
