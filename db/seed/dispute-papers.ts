import type { SeededPeople } from './people';
import type { Trx } from './support';

// The booked Cherwell case's positions: the family's and the school's statements, each as the party
// gave it and as redacted by the SENDIASS officer, both shared with the booked panel (both parties
// agreed to take part when the case was seeded). Each with its line in the case's history.

const STATEMENTS = [
	{
		party: 'family' as const,
		partyText:
			'Our son’s plan says he should have a teaching assistant for literacy every morning. Since September this has happened about twice a week. Mrs Allen, his class teacher, told us the assistant is shared with another child in the class. We would like the support delivered as the plan says, and to hear from the school when it cannot be.',
		redactedText:
			'Our son’s plan says he should have a teaching assistant for literacy every morning. Since September this has happened about twice a week. [A member of staff] told us the assistant is shared with [another child]. We would like the support delivered as the plan says, and to hear from the school when it cannot be.'
	},
	{
		party: 'setting' as const,
		partyText:
			'We agree the morning literacy support has not always happened. Two teaching assistants, Ms Brook and Mr Khan, were off sick for much of the autumn term, and cover was given to the pupils with the highest medical needs first. We have recruited a new assistant who starts next month and propose a weekly note home about the sessions.',
		redactedText:
			'We agree the morning literacy support has not always happened. Two teaching assistants were off sick for much of the autumn term, and cover was given to [other pupils] first. We have recruited a new assistant who starts next month and propose a weekly note home about the sessions.'
	}
];

export async function seedDisputePapers(trx: Trx, people: SeededPeople): Promise<void> {
	const cherwell = await trx.selectFrom('cluster').select('id').where('kind', '=', 'district').where('name', '=', 'Cherwell').executeTakeFirst();
	if (!cherwell) return;
	const booked = await trx.selectFrom('dispute_case').select(['id', 'reference']).where('district_id', '=', cherwell.id).where('status', '=', 'booked').orderBy('id').limit(1).executeTakeFirst();
	if (!booked) return;
	const seeded = await trx.selectFrom('dispute_statement').select('id').where('case_id', '=', booked.id).limit(1).executeTakeFirst();
	if (seeded) return;
	const officerId = people.demoUserId('sendiass');
	const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000);
	await trx
		.insertInto('dispute_statement')
		.values(STATEMENTS.map((s) => ({ case_id: booked.id, party: s.party, party_text: s.partyText, redacted_text: s.redactedText, recorded_by: officerId, updated_at: at(30), shared_at: at(26), shared_by: officerId })))
		.execute();
	const words = { family: 'the family’s', setting: 'the school’s' } as const;
	await trx
		.insertInto('audit_log')
		.values(
			STATEMENTS.flatMap((s) => [
				{ actor_id: officerId, action: 'disputes.statement_saved', subject_type: 'dispute_case', subject_id: booked.id, detail: JSON.stringify({ summary: `Recorded ${words[s.party]} position statement on ${booked.reference}` }), created_at: at(30) },
				{ actor_id: officerId, action: 'disputes.statement_shared', subject_type: 'dispute_case', subject_id: booked.id, detail: JSON.stringify({ summary: `Shared ${words[s.party]} position statement on ${booked.reference}, third parties redacted` }), created_at: at(26) }
			])
		)
		.execute();
}
