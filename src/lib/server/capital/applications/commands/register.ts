import { sql } from 'kysely';
import type { Database } from '../../../db';
import type { Actor } from '../../../auth/actor';
import { transact } from '../../../work';
import { conflict, invalid, notFound } from '../../../errors';
import { assertCan } from '../../../policy';
import { parseInput } from '../../../input';
import { PRIMARY_NEEDS } from '$lib/capital/applications/model';
import { districtNeedSchema, enrolSecondariesSchema } from '$lib/schemas/capital-applications';
import type { Trx } from '../access';

// The secondary rollout register (every secondary on it from the start) and the district need
// figures officers maintain. Both set-based and recorded with who, when and why.

/** One statement: every secondary of a kind the line takes, not yet on the register, goes on it. */
export async function enrolStatement(trx: Trx, line: { id: number; eligible_setting_types: string[] }, actorId: number | null): Promise<number> {
	const { numInsertedOrUpdatedRows } = await trx
		.insertInto('capital_rollout')
		.columns(['setting_id', 'line_id', 'updated_by'])
		.expression((eb) =>
			eb
				.selectFrom('setting as s')
				.select(['s.id', sql.lit(line.id).as('line_id'), sql<number | null>`${actorId}::int`.as('updated_by')])
				.where('s.phase', '=', 'secondary')
				.where('s.setting_type', '=', sql<string>`any(${sql.val(line.eligible_setting_types)}::text[])`)
		)
		.onConflict((oc) => oc.column('setting_id').doNothing())
		.executeTakeFirst();
	return Number(numInsertedOrUpdatedRows ?? 0);
}

/**
 * Puts every secondary of a kind the rollout line takes on the register, in one statement
 * whatever the size of the county; schools already on it keep their status.
 */
export async function enrolSecondaries(db: Database, actor: Actor, raw: unknown): Promise<{ added: number }> {
	assertCan(actor, { action: 'capital.register.manage' });
	const input = parseInput(enrolSecondariesSchema, raw);
	return transact(db, actor.id, async (work) => {
		const line = await work.trx.selectFrom('capital_line').select(['id', 'name', 'process', 'eligible_setting_types']).where('id', '=', input.lineId).forShare().executeTakeFirst();
		if (!line) throw notFound('That programme line');
		if (line.process !== 'rollout') throw invalid(`${line.name} is not a rollout line, so it has no register.`, { lineId: ['Choose the secondary rollout line'] });
		const added = await enrolStatement(work.trx, line, actor.id);
		await work.record({
			action: 'capital.register_enrolled',
			subject: { type: 'capital_line', id: line.id },
			summary: `Put ${added} secondary school${added === 1 ? '' : 's'} on the ${line.name} register`,
			detail: { added }
		});
		return { added };
	});
}

/** The district's need figures, changed with the version the officer saw (a 409 names who changed them). */
export async function updateDistrictNeed(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	assertCan(actor, { action: 'capital.need.manage' });
	const input = parseInput(districtNeedSchema, raw);
	return transact(db, actor.id, async (work) => {
		const district = await work.trx.selectFrom('cluster').select(['id', 'name', 'kind']).where('id', '=', input.districtId).executeTakeFirst();
		if (!district || district.kind !== 'district') throw notFound('That district');
		await work.trx.insertInto('capital_district_need').values({ district_id: district.id, version: 0 }).onConflict((oc) => oc.column('district_id').doNothing()).execute();
		const current = await work.trx
			.selectFrom('capital_district_need as n')
			.leftJoin('app_user as u', 'u.id', 'n.updated_by')
			.selectAll('n')
			.select('u.name as updated_by_name')
			.where('n.district_id', '=', district.id)
			.forUpdate('n')
			.executeTakeFirstOrThrow();
		if (current.version !== input.version) {
			throw conflict(`${current.updated_by_name ?? 'Someone'} changed ${district.name}’s figures since you opened them: forecast demand is now ${current.forecast_demand}. Check them and try again.`);
		}
		const needMix = Object.fromEntries(Object.keys(PRIMARY_NEEDS).flatMap((need) => (input.needMix[need] !== undefined ? [[need, input.needMix[need]]] : [])));
		const { version } = await work.trx
			.updateTable('capital_district_need')
			.set((eb) => ({
				forecast_demand: input.forecastDemand,
				planned_places: input.plannedPlaces,
				out_of_area: input.outOfArea,
				independent: input.independent,
				need_mix: JSON.stringify(needMix),
				as_of: input.asOf,
				updated_by: actor.id,
				updated_at: sql`now()`,
				version: eb('version', '+', 1)
			}))
			.where('district_id', '=', district.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		await work.record({
			action: 'capital.district_need_changed',
			subject: { type: 'cluster', id: district.id },
			summary: `Set ${district.name}’s need figures: forecast demand ${current.forecast_demand} → ${input.forecastDemand}, planned places ${current.planned_places} → ${input.plannedPlaces}, out of area ${current.out_of_area} → ${input.outOfArea}, independent ${current.independent} → ${input.independent}`,
			reason: input.reason || null,
			detail: { before: { forecastDemand: current.forecast_demand, needMix: current.need_mix }, after: { forecastDemand: input.forecastDemand, needMix } }
		});
		return { version };
	});
}
