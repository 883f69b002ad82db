import { sql } from 'kysely';
import { DEFAULT_GRANT_CONDITIONS, SUBSIDY_DECLARATION } from '../../src/lib/capital/grant/model';
import { DEMO_SETTINGS } from './demo-accounts';
import type { SeededPeople } from './people';
import type { Trx } from './support';

// Early years grants after the decision, on the pipeline seed's CAP-DEMO rows: the grant offered
// (CAP-DEMO-EY4) and the grant paid and open (CAP-DEMO-EY1) get their offers (letter version 1),
// the paid one accepted, claimed and approved by a second officer (Grace Okafor, the assessment
// seed's first assessor) different from the one who offered (Priya Shah). And one application
// being assessed for the demo nursery (CAP-DEMO-EY5), whose manager (Niamh Kellaway) can accept
// an offer once an officer makes it. Found by reference, so a rerun adds nothing.

export async function seedCapitalGrants(trx: Trx, people: SeededPeople): Promise<void> {
	const officerId = people.demoUserId('officer');
	const secondOfficer = await trx.selectFrom('app_user').select('id').where('email', '=', 'assessor.one@portal.example').executeTakeFirst();
	const tranche1 = await trx.selectFrom('capital_source').select('id').where('name', '=', 'HNCPA tranche 1').executeTakeFirst();
	const line = await trx.selectFrom('capital_line').select('id').where('process', '=', 'grant').orderBy('id').limit(1).executeTakeFirst();
	if (!secondOfficer || !tranche1 || !line) return;
	const rows = await trx.selectFrom('capital_application').select(['id', 'reference', 'stage', 'requested_pence']).where('reference', 'in', ['CAP-DEMO-EY1', 'CAP-DEMO-EY4']).execute();
	const audit: { actor_id: number; action: string; subject_type: string; subject_id: number; reason: string | null; detail: string }[] = [];
	for (const row of rows) {
		const has = await trx.selectFrom('capital_grant_offer').select('id').where('application_id', '=', row.id).executeTakeFirst();
		if (has) continue;
		const commitment = await trx.selectFrom('capital_commitment').select(['id', 'amount_pence']).where('application_id', '=', row.id).where('kind', '=', 'committed').orderBy('id').limit(1).executeTakeFirst();
		const spend = await trx.selectFrom('capital_spend').select(['id', 'amount_pence']).where('application_id', '=', row.id).orderBy('id').limit(1).executeTakeFirst();
		const amount = commitment?.amount_pence ?? row.requested_pence ?? 10_000_00;
		const paid = row.stage === 'open' && spend !== undefined;
		const applicant = await trx.selectFrom('capital_application').select('created_by').where('id', '=', row.id).executeTakeFirstOrThrow();
		// The paid grant's claim needs evidence: a small PDF invoice in the evidence store.
		const file = paid
			? await trx
					.insertInto('capital_application_file')
					.values({ application_id: row.id, name: 'invoice.pdf', media_type: 'application/pdf', size_bytes: 40, sensitive: false, description: 'Evidence of spend for the grant claim', content: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'), uploaded_by: applicant.created_by })
					.returning('id')
					.executeTakeFirstOrThrow()
			: null;
		const { id } = await trx
			.insertInto('capital_grant_offer')
			.values({
				application_id: row.id,
				letter_version: 1,
				amount_pence: amount,
				source_id: tranche1.id,
				year: 2026,
				commitment_id: commitment?.id ?? null,
				conditions: DEFAULT_GRANT_CONDITIONS,
				status: paid ? 'paid' : 'offered',
				offered_by: officerId,
				offered_at: sql<Date>`now() - interval '30 days'`,
				...(paid
					? {
							accepted_by: applicant.created_by,
							accepted_at: sql<Date>`now() - interval '25 days'`,
							accepted_as: 'owner_manager',
							declaration: JSON.stringify({ text: SUBSIDY_DECLARATION, otherAssistancePence: 0, letterVersion: 1 }),
							claimed_by: applicant.created_by,
							claimed_at: sql<Date>`now() - interval '10 days'`,
							claim_amount_pence: spend.amount_pence,
							claim_note: 'Sensory corner, quiet room and adapted furniture',
							claim_file_id: file?.id ?? null,
							approved_by: secondOfficer.id,
							approved_at: sql<Date>`now() - interval '5 days'`,
							spend_id: spend.id
						}
					: {})
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const summary = (words: string) => JSON.stringify({ summary: words, offerId: id });
		audit.push({ actor_id: officerId, action: 'capital.grant_offered', subject_type: 'capital_application', subject_id: row.id, reason: 'Assessed by one officer: meets the early years criteria', detail: summary(`Offered a grant of £${(amount / 100).toLocaleString('en-GB')} on ${row.reference} (grant letter version 1)`) });
		if (paid) {
			audit.push({ actor_id: applicant.created_by, action: 'capital.grant_accepted', subject_type: 'capital_application', subject_id: row.id, reason: null, detail: summary('Accepted the grant (letter version 1), with the subsidy-control declaration') });
			audit.push({ actor_id: applicant.created_by, action: 'capital.grant_claimed', subject_type: 'capital_application', subject_id: row.id, reason: 'Sensory corner, quiet room and adapted furniture', detail: summary(`Claimed the grant on ${row.reference}, with evidence invoice.pdf`) });
			audit.push({ actor_id: secondOfficer.id, action: 'capital.grant_claim_approved', subject_type: 'capital_application', subject_id: row.id, reason: 'Invoices checked against the conditions', detail: summary(`Approved the grant claim on ${row.reference}; the base is open`) });
		}
	}
	// The demo nursery's application, being assessed, for an officer to offer and its manager to accept.
	const known = await trx.selectFrom('capital_application').select('id').where('reference', '=', 'CAP-DEMO-EY5').executeTakeFirst();
	const nursery = await trx
		.selectFrom('setting as s')
		.innerJoin('cluster as l', 'l.id', 's.cluster_id')
		.select(['s.id', 'l.parent_id as district_id'])
		.where('s.name', '=', DEMO_SETTINGS.kidlingtonNursery)
		.executeTakeFirst();
	const round = await trx.selectFrom('capital_round_line').select('round_id').where('line_id', '=', line.id).orderBy('round_id').limit(1).executeTakeFirst();
	if (!known && nursery?.district_id && round) {
		const managerId = people.demoUserId('nurseryManager');
		const { id } = await trx
			.insertInto('capital_application')
			.values({
				reference: 'CAP-DEMO-EY5',
				round_id: round.round_id,
				line_id: line.id,
				setting_id: nursery.id,
				district_id: nursery.district_id,
				stage: 'in_assessment',
				title: 'Little Owls early years support base',
				places: 6,
				requested_pence: 8_500_00,
				opening_year: 2027,
				submission_no: 1,
				submitted_at: sql<Date>`now() - interval '14 days'`,
				created_by: managerId
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.insertInto('capital_application_setting').values({ application_id: id, setting_id: nursery.id }).execute();
		audit.push({ actor_id: officerId, action: 'capital.application_assessment_started', subject_type: 'capital_application', subject_id: id, reason: null, detail: JSON.stringify({ summary: 'Started assessing CAP-DEMO-EY5' }) });
	}
	if (audit.length) await trx.insertInto('audit_log').values(audit).execute();
}
