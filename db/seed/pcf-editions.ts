import type { SeededCounty } from './county';
import type { SeededPeople } from './people';
import type { Trx } from './support';
import { currentEditionPoints } from '../../src/lib/server/pcf/editions';

// One published "you said, we did" edition for Cherwell in the demo county: the last two months,
// drafted by the PCF representative, approved by an officer and the Cherwell PCF lead, so it is on
// the public editions page with the seeded published points under their themes. No subscribers:
// families subscribe themselves. Added only while there is no edition, so a rerun adds nothing.

const DAY_MS = 86_400_000;
const isoDaysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
const ago = (days: number) => new Date(Date.now() - days * DAY_MS);

export async function seedPcfEditions(trx: Trx, county: SeededCounty, people: SeededPeople): Promise<void> {
	if (await trx.selectFrom('pcf_edition').select('id').limit(1).executeTakeFirst()) return;
	const period = { district_id: county.clusterId('Cherwell'), period_from: isoDaysAgo(60), period_to: isoDaysAgo(0) };
	await trx
		.insertInto('pcf_edition')
		.values({
			...period,
			title: 'You said, we did: Cherwell this term',
			introduction:
				'This is what families in Cherwell told us this term, and what we did about it.\n\n' +
				'You told us you did not always know how to ask for speech and language help, and that you wanted a say in how Banbury’s schools share their support. ' +
				'Below, under each theme, is what you said and what has changed, or why it has not changed yet.',
			created_by: people.demoUserId('pcfRep'),
			created_at: ago(3),
			officer_approved_by: people.demoUserId('officer'),
			officer_approved_at: ago(1),
			lead_approved_by: people.demoUserId('pcfLead'),
			lead_approved_at: ago(1),
			published_at: ago(1),
			// Frozen as publishing freezes it: the seeded points published in the period.
			points_snapshot: JSON.stringify(await currentEditionPoints(trx, period)),
			version: 3
		})
		.execute();
}
