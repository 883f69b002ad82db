import type { SeededPeople } from './people';
import type { Trx } from './support';

// A short discussion on the Cherwell (Banbury) bid the PCF group advises on: the SENCO asks the
// PCF lead a question with a mention, a representative replies, and the SENCO's comment was edited
// once (so its history page has something to show). Added only while the bid has no discussion.

const BID_TITLE = 'Speech and language therapy shared across Banbury';
const HOUR_MS = 3_600_000;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR_MS);

export async function seedDiscussions(trx: Trx, people: SeededPeople): Promise<void> {
	const bid = await trx.selectFrom('bid').select('id').where('title', '=', BID_TITLE).orderBy('id').executeTakeFirst();
	if (!bid) return;
	const existing = await trx.selectFrom('discussion').select('id').where('subject_kind', '=', 'bid').where('subject_id', '=', bid.id).executeTakeFirst();
	if (existing) return;
	const senco = people.demoUserId('senco');
	const rep = people.demoUserId('pcfRep');
	const lead = people.demoUserId('pcfLead');
	const nameOf = async (id: number) => (await trx.selectFrom('app_user').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
	const leadName = await nameOf(lead);

	const { id: discussionId } = await trx
		.insertInto('discussion')
		.values({ subject_kind: 'bid', subject_id: bid.id, created_at: hoursAgo(50), last_comment_at: hoursAgo(20) })
		.returning('id')
		.executeTakeFirstOrThrow();
	const first = await trx
		.insertInto('discussion_comment')
		.values({
			discussion_id: discussionId,
			author_id: senco,
			body: `@[${leadName}] would the forum like the therapist to run **drop-in sessions for parents** as well as staff training?\n\nWe could offer one a month at each setting.`,
			created_at: hoursAgo(50),
			edited_at: hoursAgo(48),
			version: 1
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await trx
		.insertInto('discussion_revision')
		.values({ comment_id: first.id, body: `@[${leadName}] would the forum like the therapist to run drop-in sessions for parents?`, written_at: hoursAgo(50), replaced_at: hoursAgo(48) })
		.execute();
	await trx
		.insertInto('discussion_comment')
		.values({
			discussion_id: discussionId,
			parent_id: first.id,
			author_id: rep,
			body: 'Yes — families at the last SEND Connect session asked for exactly this. After school works best for most; see the [SENDIASS page](https://www.oxfordshire.gov.uk/residents/children-education-and-families/education-and-learning/special-educational-needs-and-disability-local-offer) for how families are told today.',
			created_at: hoursAgo(20)
		})
		.execute();
	await trx
		.insertInto('notification')
		.values({ user_id: lead, kind: 'discussion.mention', title: `${await nameOf(senco)} mentioned you in the discussion on “${BID_TITLE}”`, link: `/bids/${bid.id}#comment-${first.id}`, created_at: hoursAgo(50) })
		.execute();
}
