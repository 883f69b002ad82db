import { sql } from 'kysely';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import type { ApplicationStage } from '../../src/lib/capital/flow';

// A small programme of its own for the money and dashboard tests: three districts, two lines, a
// confirmed and an assumed tranche and another confirmed source, and applications inserted
// directly at the stage each test needs (another part of the portal moves them there).

export interface MoneyFixture {
	officer: Actor;
	secondOfficer: Actor;
	head: Actor;
	districts: { west: number; vale: number; cherwell: number };
	settings: { west: number; vale: number; cherwell: number };
	lines: { earlyYears: number; secondary: number };
	sources: { tranche1: number; tranche2: number; other: number };
	roundId: number;
	application(input: { line?: 'earlyYears' | 'secondary'; district?: 'west' | 'vale' | 'cherwell'; stage: ApplicationStage; places?: number; requestedPence?: number | null; createdBy?: number; openingYear?: number }): Promise<number>;
}

export { expectRefused as refused } from './refusals';

export async function moneyFixture(db: Database): Promise<MoneyFixture> {
	const user = async (name: string, countyRole: 'officer' | null) => {
		const row = await db
			.insertInto('app_user')
			.values({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`, county_role: countyRole })
			.returning('id')
			.executeTakeFirstOrThrow();
		return row.id;
	};
	const place = async (district: string, town: string, urn: string) => {
		const d = await db.insertInto('cluster').values({ kind: 'district', name: district }).returning('id').executeTakeFirstOrThrow();
		const l = await db.insertInto('cluster').values({ kind: 'locality', name: town, parent_id: d.id }).returning('id').executeTakeFirstOrThrow();
		const s = await db
			.insertInto('setting')
			.values({ urn, name: `${town} Academy`, phase: 'secondary', setting_type: 'academy', town, pupil_count: 900, cluster_id: l.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		return { district: d.id, setting: s.id };
	};
	const west = await place('West Oxfordshire', 'Witney', '910001');
	const vale = await place('Vale of White Horse', 'Abingdon', '910002');
	const cherwell = await place('Cherwell', 'Banbury', '910003');
	const officerId = await user('Olive Officer', 'officer');
	const secondId = await user('Owen Officer', 'officer');
	const headId = await user('Hana Head', null);
	await db.insertInto('setting_membership').values({ user_id: headId, setting_id: west.setting, role: 'headteacher' }).execute();

	const line = (name: string, process: 'grant' | 'rollout', allocation: number, plannedPlaces: number) =>
		db
			.insertInto('capital_line')
			.values({ name, process, allocation_pence: allocation, planned_places: plannedPlaces, place_definition: 'A child supported in the base' })
			.returning('id')
			.executeTakeFirstOrThrow()
			.then((r) => r.id);
	const earlyYears = await line('Early years support base', 'grant', 1_000_000_00, 600);
	const secondary = await line('Secondary inclusion/support base', 'rollout', 3_570_000_00, 1720);
	const source = async (name: string, status: 'assumed' | 'confirmed', profile: Record<string, number>, lineIds: number[]) => {
		const { id } = await db
			.insertInto('capital_source')
			.values({ name, status, amount_pence: Object.values(profile).reduce((a, b) => a + b, 0), profile: JSON.stringify(profile) })
			.returning('id')
			.executeTakeFirstOrThrow();
		await db.insertInto('capital_source_line').values(lineIds.map((line_id) => ({ source_id: id, line_id }))).execute();
		return id;
	};
	const tranche1 = await source('HNCPA tranche 1', 'confirmed', { '2026': 5_000_000_00, '2027': 6_299_000_00 }, [earlyYears, secondary]);
	const tranche2 = await source('HNCPA tranche 2', 'assumed', { '2027': 11_299_000_00 }, [earlyYears, secondary]);
	const other = await source('Existing capital', 'confirmed', { '2026': 200_000_00 }, [secondary]);
	const target = await db.insertInto('capital_target').values({ name: 'Inclusion support places', definition: 'Pupils supported over three years', baseline: 0, figures: JSON.stringify({ '2028': 1950 }) }).returning('id').executeTakeFirstOrThrow();
	await db.insertInto('capital_target_line').values([{ target_id: target.id, line_id: earlyYears }, { target_id: target.id, line_id: secondary }]).execute();
	const round = await db.insertInto('capital_round').values({ name: 'Round 1', status: 'open', closes_on: '2027-01-31' }).returning('id').executeTakeFirstOrThrow();

	const where = { west, vale, cherwell };
	const lineIds = { earlyYears, secondary };
	let next = 1;
	return {
		officer: (await loadActor(db, officerId))!,
		secondOfficer: (await loadActor(db, secondId))!,
		head: (await loadActor(db, headId))!,
		districts: { west: west.district, vale: vale.district, cherwell: cherwell.district },
		settings: { west: west.setting, vale: vale.setting, cherwell: cherwell.setting },
		lines: lineIds,
		sources: { tranche1, tranche2, other },
		roundId: round.id,
		async application({ line = 'earlyYears', district = 'west', stage, places = 6, requestedPence = 10_000_00, createdBy = headId, openingYear = 2027 }) {
			const { id } = await db
				.insertInto('capital_application')
				.values({
					reference: `CAP-TEST-${next++}`,
					round_id: round.id,
					line_id: lineIds[line],
					setting_id: where[district].setting,
					district_id: where[district].district,
					stage,
					title: `Base ${next}`,
					places,
					requested_pence: requestedPence,
					opening_year: openingYear,
					created_by: createdBy
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			return id;
		}
	};
}

/** Everything the money commands write, to show a refusal wrote nothing. */
export async function moneyWritten(db: Database) {
	const { rows } = await sql<{ n: string }>`select (select count(*) from capital_commitment) + (select count(*) from capital_allocation_transfer) + (select count(*) from capital_spend)
		+ (select count(*) from capital_occupancy) + (select count(*) from audit_log) + (select count(*) from live_event) as n`.execute(db);
	const lines = await db.selectFrom('capital_line').select(['id', 'allocation_pence', 'version']).orderBy('id').execute();
	return { n: rows[0].n, lines };
}
