import type { SeededCounty } from './county';
import type { SeededPeople } from './people';
import type { Trx } from './support';

// Pooled funding in the demo county: one open round, so the Banbury workspace has somewhere to bid.

const DAY_MS = 86_400_000;

/** The round is added only while Banbury has none, so a rerun (or a round closed since) adds nothing. */
export async function seedBids(trx: Trx, county: SeededCounty, people: SeededPeople): Promise<void> {
	const banburyId = county.clusterId('Cherwell/Banbury');
	const hasRound = await trx.selectFrom('funding_round').select('id').where('cluster_id', '=', banburyId).limit(1).executeTakeFirst();
	if (hasRound) return;
	await trx
		.insertInto('funding_round')
		.values({
			cluster_id: banburyId,
			name: 'Banbury pooled fund 2026/27',
			pot_pence: 6_000_000,
			max_request_pence: 2_500_000,
			opens_at: new Date(Date.now() - 7 * DAY_MS),
			closes_at: new Date(Date.now() + 120 * DAY_MS),
			guidance:
				'Bids should show how settings will meet needs earlier (IM4) and locally (IM3), with pledges from every partner. ' +
				'Two settings in the cluster must endorse a bid before it goes to the council.',
			endorsement_rule: 'count',
			endorsement_value: 2,
			created_by: people.demoUserId('officer')
		})
		.execute();
}
