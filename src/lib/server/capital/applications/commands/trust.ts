import { sql } from 'kysely';
import type { Database } from '../../../db';
import type { Actor } from '../../../auth/actor';
import { transact } from '../../../work';
import { invalid, notFound } from '../../../errors';
import { assertCan } from '../../../policy';
import { parseInput } from '../../../input';
import { ukToday } from '$lib/dates';
import { programmeRoom } from '$lib/capital/live';
import { startTrustApplicationsSchema } from '$lib/schemas/capital-applications';
import { trustApplicationProblems } from '../rules';

// A trust applying for several of its academies at once: one draft application per school, all
// created in one statement in one transaction (or none), each then written, signed and submitted
// as usual. Whoever may record the trust's sign-off for every school chosen may start them.

/** The trusts this person may apply for (those of academies where they record the trust's sign-off), and one trust's schools. */
export async function trustApplyOptions(db: Database, actor: Actor, trustId: number | null) {
	const headOf = actor.settingRoles.filter((r) => r.role === 'headteacher').map((r) => r.settingId);
	const trusts =
		headOf.length === 0
			? []
			: await db
					.selectFrom('academy_trust as t')
					.select(['t.id', 't.name'])
					.where(({ exists, selectFrom }) =>
						exists(
							selectFrom('setting as s')
								.innerJoin('setting_type as st', 'st.setting_type', 's.setting_type')
								.select('s.id')
								.whereRef('s.trust_id', '=', 't.id')
								.where('s.id', 'in', headOf)
								.where(sql<boolean>`'trust' = any(st.signatories)`)
						)
					)
					.orderBy('t.name')
					.limit(50)
					.execute();
	const trust = trusts.find((t) => t.id === trustId) ?? (trusts.length === 1 ? trusts[0] : null);
	if (!trust) return { trusts, trust: null, schools: [] as Awaited<ReturnType<typeof schoolsOf>>, choices: [] as Awaited<ReturnType<typeof choicesFor>> };
	const [schools, choices] = await Promise.all([schoolsOf(db, trust.id), choicesFor(db, trust.id)]);
	return { trusts, trust, schools, choices };
}

/** A trust's schools, by name (a trust has tens at most). */
function schoolsOf(db: Database, trustId: number) {
	return db.selectFrom('setting as s').select(['s.id', 's.name', 's.town', 's.setting_type']).where('s.trust_id', '=', trustId).orderBy('s.name').limit(100).execute();
}

/** The open rounds' lines that some school of the trust may apply to. */
function choicesFor(db: Database, trustId: number) {
	return db
		.selectFrom('capital_round as r')
		.innerJoin('capital_round_line as rl', 'rl.round_id', 'r.id')
		.innerJoin('capital_line as l', 'l.id', 'rl.line_id')
		.select(['r.id as round_id', 'r.name as round_name', 'r.closes_on', 'l.id as line_id', 'l.name as line_name'])
		.where('r.status', '=', 'open')
		.where('r.closes_on', '>=', ukToday())
		.where(({ exists, selectFrom }) => exists(selectFrom('setting as s').select('s.id').where('s.trust_id', '=', trustId).where(sql<boolean>`s.setting_type = any(l.eligible_setting_types)`)))
		.orderBy('r.closes_on')
		.orderBy('l.name')
		.limit(50)
		.execute();
}

/**
 * Starts one draft application per chosen school for a round's line, in one transaction. Refuses,
 * naming each school, any that is not the trust's, of a kind the line does not take, or that
 * already has an application to the line; and anyone who may not record the trust's sign-off for
 * every school chosen.
 */
export async function startTrustApplications(db: Database, actor: Actor, raw: unknown): Promise<{ applications: { id: number; reference: string; settingId: number }[] }> {
	const input = parseInput(startTrustApplicationsSchema, raw);
	return transact(db, actor.id, async (work) => {
		// Shared lock: an officer relinking the trust's schools waits until these drafts are written.
		const trust = await work.trx.selectFrom('academy_trust').select(['id', 'name']).where('id', '=', input.trustId).forShare().executeTakeFirst();
		if (!trust) throw notFound('That trust');
		const round = await work.trx
			.selectFrom('capital_round as r')
			.innerJoin('capital_round_line as rl', 'rl.round_id', 'r.id')
			.innerJoin('capital_line as l', 'l.id', 'rl.line_id')
			.select(['r.id', 'r.name', 'r.status', 'r.closes_on', 'l.id as line_id', 'l.name as line_name', 'l.process', 'l.eligible_setting_types'])
			.where('r.id', '=', input.roundId)
			.where('rl.line_id', '=', input.lineId)
			.forShare('r')
			.executeTakeFirst();
		if (!round) throw notFound('That round or line');
		if (round.status !== 'open' || round.closes_on < ukToday()) throw invalid('This round is not open for applications.', { roundLine: ['Choose a round that is open for applications'] });
		// Locked, in id order, so two starts for the same school queue and the second sees the first's draft.
		const schools = await work.trx
			.selectFrom('setting as s')
			.innerJoin('cluster as c', 'c.id', 's.cluster_id')
			.leftJoin('setting_type as st', 'st.setting_type', 's.setting_type')
			.select(['s.id', 's.name', 's.trust_id as trustId', 's.setting_type as settingType', sql<number>`coalesce(c.parent_id, c.id)`.as('districtId'), sql<string[]>`coalesce(st.signatories, '{}')`.as('signatories')])
			.where('s.id', 'in', input.settingIds)
			.orderBy('s.id')
			.forUpdate('s')
			.execute();
		if (schools.length !== input.settingIds.length) throw notFound('One of the schools chosen');
		const existing = await work.trx
			.selectFrom('capital_application')
			.select(['setting_id as settingId', 'reference'])
			.where('setting_id', 'in', input.settingIds)
			.where('line_id', '=', round.line_id)
			.where('stage', 'not in', ['withdrawn', 'declined'])
			// A scheme line takes several schemes from a school over time, but one per round.
			.$if(round.process === 'scheme', (q) => q.where('round_id', '=', round.id))
			.execute();
		const problems = trustApplicationProblems(trust, { name: round.line_name, eligibleSettingTypes: round.eligible_setting_types }, schools, existing);
		if (problems.length > 0) throw invalid(problems[0], { settingIds: problems });
		assertCan(actor, { action: 'capital.application.start_for_trust', trust, settings: schools });

		// One statement for every draft: each takes the next id and its reference from it.
		const { rows: created } = await sql<{ id: number; reference: string; settingId: number }>`
			insert into capital_application (id, reference, round_id, line_id, setting_id, district_id, title, created_by)
			select n.id, 'CAP-' || lpad(n.id::text, greatest(5, length(n.id::text)), '0'), ${round.id}, ${round.line_id}, n.setting_id, n.district_id,
				left(${round.line_name} || ' at ' || n.name, 150), ${actor.id}
			from (
				select nextval(pg_get_serial_sequence('capital_application', 'id'))::int as id, chosen.setting_id, chosen.district_id, chosen.name
				from unnest(${sql.val(schools.map((s) => s.id))}::int[], ${sql.val(schools.map((s) => s.districtId))}::int[], ${sql.val(schools.map((s) => s.name))}::text[])
					as chosen(setting_id, district_id, name)
			) n
			returning id, reference, setting_id as "settingId"`.execute(work.trx);
		if (round.process === 'rollout') {
			// The register shows each school has applied (every secondary is on it from the start).
			await sql`insert into capital_rollout (setting_id, line_id, status, application_id, updated_by)
				select a.setting_id, a.line_id, 'application', a.id, ${actor.id} from capital_application a where a.id = any(${sql.val(created.map((c) => c.id))}::int[])
				on conflict (setting_id) do update set status = 'application', application_id = excluded.application_id, updated_by = excluded.updated_by, updated_at = now(), version = capital_rollout.version + 1`.execute(work.trx);
		}
		// Each draft's own timeline starts with how it began, in one statement.
		await sql`insert into audit_log (actor_id, action, subject_type, subject_id, reason, detail)
			select ${actor.id}, 'capital.application_started', 'capital_application', a.id, null,
				jsonb_build_object('summary', 'Started ' || a.reference || ' for ' || s.name || ' with ' || ${trust.name}::text || '’s other schools (' || ${round.line_name}::text || ', ' || ${round.name}::text || ')',
					'lineId', a.line_id, 'roundId', a.round_id, 'settingIds', jsonb_build_array(a.setting_id), 'trustId', ${trust.id}::int)
			from capital_application a join setting s on s.id = a.setting_id where a.id = any(${sql.val(created.map((c) => c.id))}::int[])`.execute(work.trx);
		const names = schools.map((s) => s.name).join(', ');
		await work.record({
			action: 'capital.trust_applications_started',
			subject: { type: 'academy_trust', id: trust.id },
			summary: `Started ${created.length} draft application${created.length === 1 ? '' : 's'} to ${round.line_name} (${round.name}) for ${names}: ${created.map((c) => c.reference).join(', ')}`,
			detail: { roundId: round.id, lineId: round.line_id, applicationIds: created.map((c) => c.id) },
			events: [{ room: programmeRoom, kind: 'capital.changed', payload: { subject: 'application', id: created[0].id, version: 1 } }]
		});
		return { applications: created };
	});
}
