import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { notFound } from '../../errors';
import type { Trx } from '../commands/shared';
import type { AssessmentRef, Declared } from './policy';

// The application as the assessment rules read it, with the asking person's part in it, in one
// statement. Commands call it with `lock` inside their transaction, so the rule is decided on the
// row the write changes (another assessor's declaration or score waits for the lock).

export interface LoadedApplication extends AssessmentRef {
	roundId: number;
	lineId: number;
	version: number;
	settingName: string;
	title: string;
	places: number | null;
	requestedPence: number | null;
}

export async function loadAssessmentRef(db: Database | Trx, actor: Actor, applicationId: number, lock = false): Promise<LoadedApplication> {
	if (lock) await sql`select id from capital_application where id = ${applicationId} for update`.execute(db);
	const row = await db
		.selectFrom('capital_application as a')
		.innerJoin('capital_line as l', 'l.id', 'a.line_id')
		.innerJoin('setting as s', 's.id', 'a.setting_id')
		.select((eb) => [
			'a.id',
			'a.reference',
			'a.stage',
			'a.round_id',
			'a.line_id',
			'a.district_id',
			'a.setting_id',
			'a.version',
			'a.title',
			'a.places',
			'a.requested_pence',
			'l.process',
			's.name as setting_name',
			eb
				.selectFrom('capital_application_setting')
				.select(sql<number[]>`coalesce(array_agg(setting_id), '{}')`.as('ids'))
				.whereRef('application_id', '=', 'a.id')
				.as('covered'),
			eb
				.exists(
					eb
						.selectFrom('capital_assessor as x')
						.select('x.user_id')
						.whereRef('x.round_id', '=', 'a.round_id')
						.whereRef('x.line_id', '=', 'a.line_id')
						.where('x.user_id', '=', actor.id)
				)
				.as('assigned'),
			eb.selectFrom('capital_declaration as d').select('d.conflict').whereRef('d.application_id', '=', 'a.id').where('d.user_id', '=', actor.id).as('declared'),
			eb.exists(eb.selectFrom('capital_score_set as ss').select('ss.id').whereRef('ss.application_id', '=', 'a.id').where('ss.assessor_id', '=', actor.id)).as('scored'),
			eb.exists(eb.selectFrom('capital_moderation as m').select('m.id').whereRef('m.application_id', '=', 'a.id').where('m.moderator_id', '=', actor.id)).as('moderated'),
			eb
				.exists(
					eb
						.selectFrom('cluster_role as r')
						.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
						.select('r.cluster_id')
						.where('r.user_id', '=', actor.id)
						.where('r.role', 'in', ['cluster_lead', 'pcf_rep'])
						.where((w) => w.or([w('c.id', '=', w.ref('a.district_id')), w('c.parent_id', '=', w.ref('a.district_id'))]))
				)
				.as('district_role')
		])
		.where('a.id', '=', applicationId)
		.executeTakeFirst();
	if (!row) throw notFound('That application');
	const declared: Declared = row.declared === null || row.declared === undefined ? null : row.declared === 'none' ? 'none' : 'conflict';
	return {
		id: row.id,
		reference: row.reference,
		stage: row.stage,
		process: row.process,
		districtId: row.district_id,
		settingIds: [...new Set([row.setting_id, ...(row.covered ?? [])])],
		roundId: row.round_id,
		lineId: row.line_id,
		version: row.version,
		settingName: row.setting_name,
		title: row.title,
		places: row.places,
		requestedPence: row.requested_pence,
		viewer: {
			assigned: Boolean(row.assigned),
			declared,
			scored: Boolean(row.scored),
			moderated: Boolean(row.moderated),
			districtRole: Boolean(row.district_role)
		}
	};
}
