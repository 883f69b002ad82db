import { sql } from 'kysely';
import { statutoryStepsFor } from '../../src/lib/capital/scheme/rules';
import type { SeededPeople } from './people';
import type { Trx } from './support';

// A specialist scheme after approval in principle, on the pipeline seed's CAP-DEMO-SP2 (the SEMH
// unit in Cherwell): feasibility done (space released by falling rolls, so a conversion rather
// than a new build, costed below the approval), that change approved by a second officer (Grace
// Okafor) after the officer (Priya Shah) recorded it, the equalities impact assessment, and the
// scheme at its statutory steps, the first of them in progress. Its money is unchanged (a fall
// needs none), so the dashboard's figures are the pipeline seed's. Found by reference, so a rerun
// adds nothing.

export async function seedCapitalScheme(trx: Trx, people: SeededPeople): Promise<void> {
	const officerId = people.demoUserId('officer');
	const secondOfficer = await trx.selectFrom('app_user').select('id').where('email', '=', 'assessor.one@portal.example').executeTakeFirst();
	const row = await trx
		.selectFrom('capital_application as a')
		.innerJoin('setting as s', 's.id', 'a.setting_id')
		.leftJoin('setting_type as t', 't.setting_type', 's.setting_type')
		.select(['a.id', 'a.stage', 'a.requested_pence', 't.governance'])
		.where('a.reference', '=', 'CAP-DEMO-SP2')
		.executeTakeFirst();
	if (!row || !secondOfficer || row.requested_pence === null || row.stage !== 'approved_in_principle') return;
	const has = await trx.selectFrom('capital_scheme').select('application_id').where('application_id', '=', row.id).executeTakeFirst();
	if (has) return;
	const approved = row.requested_pence;
	const costed = Math.round((approved * 0.92) / 100) * 100;
	const reason = 'Falling rolls released two classrooms, so the unit is a conversion rather than an extension.';
	await trx
		.insertInto('capital_scheme')
		.values({
			application_id: row.id,
			survey_done_on: sql<string>`(now() - interval '40 days')::date`,
			costed_total_pence: costed,
			contingency_pence: Math.round(costed / 10 / 100) * 100,
			planning_needed: false,
			approved_pence: costed,
			eia_on: sql<string>`(now() - interval '20 days')::date`,
			eia_summary: 'Positive for disabled pupils and pupils with SEMH needs: step-free access, a quiet room and a sensory garden. Transport to the site checked for pupils from the villages.',
			eia_by: officerId,
			updated_by: officerId
		})
		.execute();
	await trx
		.insertInto('capital_scheme_change')
		.values({
			application_id: row.id,
			from_pence: approved,
			to_pence: costed,
			reason,
			requested_by: officerId,
			requested_at: sql<Date>`now() - interval '38 days'`,
			status: 'approved',
			decided_by: secondOfficer.id,
			decided_at: sql<Date>`now() - interval '35 days'`,
			decision_reason: 'A lower cost for the same places; no new money needed.'
		})
		.execute();
	const [first] = statutoryStepsFor(row.governance ?? 'other', false);
	if (first) {
		await trx
			.insertInto('capital_statutory_step')
			.values({ application_id: row.id, step: first, status: 'in_progress', status_on: sql<string>`(now() - interval '14 days')::date`, note: 'Consultation open for four weeks.', updated_by: officerId })
			.execute();
	}
	await trx
		.updateTable('capital_application')
		.set((eb) => ({ stage: first ? 'statutory' : 'feasibility', version: eb('version', '+', 1) }))
		.where('id', '=', row.id)
		.execute();
	const summary = (words: string) => JSON.stringify({ summary: words });
	await trx
		.insertInto('audit_log')
		.values([
			{ actor_id: officerId, action: 'capital.scheme_start_feasibility', subject_type: 'capital_application', subject_id: row.id, reason: null, detail: summary('Start feasibility: CAP-DEMO-SP2') },
			{ actor_id: officerId, action: 'capital.scheme_feasibility_recorded', subject_type: 'capital_application', subject_id: row.id, reason, detail: summary('Recorded the feasibility of CAP-DEMO-SP2 (demo)') },
			{ actor_id: secondOfficer.id, action: 'capital.scheme_change_approved', subject_type: 'capital_application', subject_id: row.id, reason: 'A lower cost for the same places; no new money needed.', detail: summary('Approved the change to the cost of CAP-DEMO-SP2 (demo)') },
			{ actor_id: officerId, action: 'capital.scheme_eia_recorded', subject_type: 'capital_application', subject_id: row.id, reason: null, detail: summary('Recorded the equalities impact assessment of CAP-DEMO-SP2') },
			...(first ? [{ actor_id: officerId, action: 'capital.scheme_start_statutory', subject_type: 'capital_application', subject_id: row.id, reason: null, detail: summary('Start statutory steps: CAP-DEMO-SP2') }] : [])
		])
		.execute();
}
