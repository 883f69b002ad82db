import { sql } from 'kysely';
import { addYears, ukToday } from '../../src/lib/dates';
import { hashPassword } from '../../src/lib/server/auth/password';
import { enrolStatement } from '../../src/lib/server/capital/applications/commands/register';
import { applicationFigures } from '../../src/lib/capital/applications/document';
import type { ApplicationContent } from '../../src/lib/capital/applications/model';
import type { CapitalProcess } from '../../src/lib/capital/model';
import { DEMO_PASSWORD, demoAccount } from './demo-accounts';
import type { SeededPeople } from './people';
import type { Trx } from './support';

// The applicant's side of the capital programme in the demo county: a private day nursery and its
// manager (an early years grant is open to PVI settings), an open round for the secondary base
// rollout and specialist units, every secondary on the rollout register, the council's need
// figures for each district, and content for the demo pipeline's applications where they exist.
// Each step adds only what is missing, so a rerun adds nothing.

export const NURSERY = { name: 'Banbury Little Owls Day Nursery', urn: '999001' };
// The demo nursery manager runs two private nurseries: this one (applying) and Kidlington Little Owls
// (the grant flow's offer, acceptance and claim). One account, one name.
const manager = demoAccount('nurseryManager');
export const NURSERY_MANAGER = { email: manager.email, name: manager.name };
export const SCHEME_ROUND = 'Secondary bases and specialist units 2026/27';

// Invented but plausible district figures (the plan's county totals spread across districts).
const NEED_BY_DISTRICT: [forecast: number, planned: number, outOfArea: number, independent: number][] = [
	[520, 180, 34, 61],
	[610, 240, 28, 55],
	[340, 90, 22, 40],
	[460, 150, 31, 47],
	[380, 120, 26, 52]
];
const NEED_MIX = { asd: 0.36, semh: 0.2, slcn: 0.17, mld: 0.08, sld: 0.06, pmld: 0.02, spld: 0.04, sensory: 0.03, pd: 0.02, other: 0.02 };

const CONTENT: Record<CapitalProcess, ApplicationContent> = {
	grant: {
		grant: { places: 6, ageRange: '2 to 4', spendOn: 'A quiet room with sensory equipment and a small garden area', requestedPence: 9_500_00, term: 'autumn', year: 2026, accurate: true }
	},
	rollout: {
		readiness: {
			readiness: 'Leadership and a trained lead teacher are in place; the base room is free from September.',
			space: 'Two classrooms released by falling rolls in Year 7',
			band: 'standard',
			bandReason: 'A standard base meets the need the school sees.',
			year: 2026,
			phasing: 'Fit-out in the summer term, opening in the autumn term.'
		},
		declarations: { accurate: true, clawback: true, dataProtection: true }
	},
	scheme: {
		base: { places: 16, ageFrom: 11, ageTo: 16, needs: ['communication_interaction'], description: 'A base for autistic pupils with EHC plans, taught mostly in the mainstream school.' },
		space: {
			rooms: 'The east wing: two classrooms and a small office',
			surplusSpace: 'Falling rolls released the east wing',
			adaptations: 'Acoustic panels, a quiet room',
			sensoryTherapy: 'A sensory room and a therapy space',
			accessibility: 'Level access and an accessible toilet',
			consents: ['building_regulations']
		},
		delivery: { route: 'trust', notes: '' },
		capital: { worksPence: 420_000_00, equipmentPence: 60_000_00, feesPence: 40_000_00, contingencyPence: 26_000_00, notes: 'From the trust surveyor’s costed plan' },
		revenue: { sources: ['place_funding', 'top_up'], staffing: 'A teacher, two teaching assistants and a part-time therapist' },
		opening: { term: 'autumn', year: 2027 },
		outreach: { outreach: 'Termly training and advice visits for the cluster’s schools' },
		involvement: { parents: 'Two coffee mornings and a survey of parents of autistic pupils', pcf: 'The Parent Carer Forum reviewed the plan and joined the design group' },
		declarations: { accurate: true, clawback: true, dataProtection: true }
	}
};

/** Returns how many settings the step keeps in the county (the day nursery), for the seed's summary. */
export async function seedCapitalApplications(trx: Trx, people: SeededPeople): Promise<{ settings: number }> {
	const officerId = people.demoUserId('officer');
	await seedNursery(trx);
	await seedSchemeRound(trx);
	const rollout = await trx.selectFrom('capital_line').select(['id', 'eligible_setting_types']).where('process', '=', 'rollout').orderBy('id').executeTakeFirst();
	if (rollout) await enrolStatement(trx, rollout, officerId);

	const districts = await trx.selectFrom('cluster').select('id').where('kind', '=', 'district').orderBy('id').execute();
	if (districts.length) {
		await trx
			.insertInto('capital_district_need')
			.values(
				districts.map(({ id }, index) => {
					const [forecast, planned, outOfArea, independent] = NEED_BY_DISTRICT[index % NEED_BY_DISTRICT.length];
					const needMix = Object.fromEntries(Object.entries(NEED_MIX).map(([need, share]) => [need, Math.round(forecast * share)]));
					return { district_id: id, forecast_demand: forecast, planned_places: planned, out_of_area: outOfArea, independent, need_mix: JSON.stringify(needMix), as_of: '2026-01-15', updated_by: officerId };
				})
			)
			.onConflict((oc) => oc.column('district_id').doNothing())
			.execute();
	}

	// The demo pipeline's applications (the money part's seed makes them): written in, if still empty.
	const demo = await trx
		.selectFrom('capital_application as a')
		.innerJoin('capital_line as l', 'l.id', 'a.line_id')
		.select(['a.id', 'l.process', 'a.content'])
		.where('a.reference', 'like', 'CAP-DEMO-%')
		.execute();
	for (const row of demo) {
		if (Object.keys(row.content ?? {}).length) continue;
		const content = CONTENT[row.process];
		const figures = applicationFigures(row.process, content);
		const versions = Object.fromEntries(Object.keys(content).map((section) => [section, 1]));
		await trx
			.updateTable('capital_application')
			.set({
				content: JSON.stringify(content),
				section_versions: JSON.stringify(versions),
				opening_year: figures.openingYear,
				delivery_route: figures.deliveryRoute,
				band: sql`coalesce(band, ${figures.band})`
			})
			.where('id', '=', row.id)
			.execute();
	}
	return { settings: 1 };
}

async function seedNursery(trx: Trx): Promise<void> {
	const banbury = await trx.selectFrom('cluster').select('id').where('name', '=', 'Banbury').where('kind', '=', 'locality').executeTakeFirst();
	if (!banbury) return;
	await trx
		.insertInto('setting')
		.values({ urn: NURSERY.urn, name: NURSERY.name, phase: 'early_years', setting_type: 'day nursery', town: 'Banbury', pupil_count: 48, cluster_id: banbury.id })
		.onConflict((oc) => oc.column('urn').doNothing())
		.execute();
	const nursery = await trx.selectFrom('setting').select('id').where('urn', '=', NURSERY.urn).executeTakeFirstOrThrow();
	const known = await trx.selectFrom('app_user').select('id').where(sql<boolean>`lower(email) = ${NURSERY_MANAGER.email}`).executeTakeFirst();
	const userId =
		known?.id ??
		(await trx
			.insertInto('app_user')
			.values({ email: NURSERY_MANAGER.email, name: NURSERY_MANAGER.name, password_hash: await hashPassword(DEMO_PASSWORD) })
			.returning('id')
			.executeTakeFirstOrThrow()).id;
	// The owner or manager signs for a PVI setting; in the portal that is the setting's head role.
	const member = await trx.selectFrom('setting_membership').select('id').where('user_id', '=', userId).where('setting_id', '=', nursery.id).executeTakeFirst();
	if (!member) await trx.insertInto('setting_membership').values({ user_id: userId, setting_id: nursery.id, role: 'headteacher' }).execute();
}

async function seedSchemeRound(trx: Trx): Promise<void> {
	if (await trx.selectFrom('capital_round').select('id').where('name', '=', SCHEME_ROUND).executeTakeFirst()) return;
	const lines = await trx
		.selectFrom('capital_line')
		.select('id')
		.where((eb) => eb.or([eb('process', '=', 'rollout'), eb('name', 'in', ['Specialist unit, secondary (EHCP)', 'Specialist resource base in mainstream'])]))
		.execute();
	if (lines.length === 0) return;
	const { id } = await trx.insertInto('capital_round').values({ name: SCHEME_ROUND, closes_on: addYears(ukToday(), 1), guidance: 'Expressions of interest for secondary bases (readiness and phasing) and costed specialist schemes.' }).returning('id').executeTakeFirstOrThrow();
	await trx.insertInto('capital_round_line').values(lines.map((line) => ({ round_id: id, line_id: line.id }))).execute();
	// Criteria go in while the round is a draft: the database freezes them once it opens.
	await trx
		.insertInto('capital_round_criterion')
		.values([
			{ round_id: id, position: 0, name: 'Need in the district', description: 'How well the base meets the district’s forecast need', weight: 40 },
			{ round_id: id, position: 1, name: 'Value and deliverability', description: 'Cost per place, space from falling rolls, a realistic opening date', weight: 35 },
			{ round_id: id, position: 2, name: 'Inclusion and outreach', description: 'Support for other settings and how parents were involved', weight: 25 }
		])
		.execute();
	await trx.updateTable('capital_round').set({ status: 'open', opened_at: sql`now()` }).where('id', '=', id).execute();
}
