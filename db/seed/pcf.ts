import type { SeededCounty } from './county';
import type { SeededPeople } from './people';
import type { Insertable } from 'kysely';
import type { DB } from '../../src/lib/server/db';
import type { Trx } from './support';
import { DEMO_SETTINGS } from './demo-accounts';
import { loadContent } from '../../src/lib/server/bids/queries';

// PCF advice in the demo county: the Cherwell group (Claire Donnelly, with Nadia Brooks as lead),
// the shared themes, and a submitted Banbury bid the group advises on: its approved position with
// two points, families' feedback from a SEND Connect session, one point answered and published
// (checked by an officer and the lead, so it is on the public page) and one waiting for an answer.
// Also an earlier, closed Banbury round with a bid led by Banbury Castlebrook Academy waiting for
// the council's decision, on which the group has said nothing yet (the end-to-end journey gives
// its advice there, so no other test's figures move). Added only while there are no themes, so a
// rerun adds nothing.

const DAY_MS = 86_400_000;
const isoDaysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

const THEMES: readonly [string, string][] = [
	['Communication with families', 'How families hear about support and decisions'],
	['Transport', 'Getting to and from a setting'],
	['Early help', 'Needs met earlier, before a plan'],
	['Inclusion in mainstream', 'Children supported in their local setting'],
	['Staff training', 'What staff know about SEND']
];

export async function seedPcf(trx: Trx, county: SeededCounty, people: SeededPeople): Promise<void> {
	const hasThemes = await trx.selectFrom('pcf_theme').select('id').limit(1).executeTakeFirst();
	if (hasThemes) return;
	const cherwell = county.clusterId('Cherwell');
	const banbury = county.clusterId('Cherwell/Banbury');
	const rep = people.demoUserId('pcfRep');
	const lead = people.demoUserId('pcfLead');
	const officer = people.demoUserId('officer');
	const senco = people.demoUserId('senco');
	const head = people.demoUserId('headteacher');

	await trx.insertInto('pcf_group').values({ district_id: cherwell, lead_user_id: lead, answer_within_days: 20 }).onConflict((oc) => oc.column('district_id').doNothing()).execute();
	const themes = await trx.insertInto('pcf_theme').values(THEMES.map(([name, description]) => ({ name, description }))).returning(['id', 'name']).execute();
	const theme = (name: string) => themes.find((t) => t.name === name)!.id;

	const round = await trx.selectFrom('funding_round').select('id').where('cluster_id', '=', banbury).orderBy('id').executeTakeFirst();
	if (!round) return;
	const bid = await submittedBid(trx, {
		round_id: round.id,
		cluster_id: banbury,
		lead_setting_id: county.settingId(DEMO_SETTINGS.banburyPrimary),
		title: 'Speech and language therapy shared across Banbury',
		summary: 'A speech and language therapist shared by three Banbury settings, working with staff and families.',
		requested_pence: 1_800_000,
		created_by: senco,
		lead_signed_by: head,
		lead_signed_at: new Date(Date.now() - 10 * DAY_MS)
	});
	await trx.insertInto('pcf_watch').values({ district_id: cherwell, bid_id: bid.id }).execute();
	await seedEarlierRound(trx, county, people);
	const position = await trx
		.insertInto('pcf_position')
		.values({
			district_id: cherwell,
			bid_id: bid.id,
			stance: 'support_with_conditions',
			summary: 'The group supports a shared therapist, provided families hear how to ask for it and sessions happen where children already are.',
			drafted_by: rep,
			approved_by: lead,
			approved_at: new Date(Date.now() - 6 * DAY_MS),
			agreed_on: isoDaysAgo(7),
			agreed_where: 'Cherwell PCF advisory group meeting',
			version: 2
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const now = new Date(Date.now() - 2 * DAY_MS);
	const points = await trx
		.insertInto('pcf_point')
		.values([
			{
				district_id: cherwell, bid_id: bid.id, position_id: position.id, source: 'forum', author_id: rep,
				body: 'Tell every family at the three settings how to ask for the therapist, in plain words.',
				answer: 'will_change', answer_text: 'A plain-English leaflet will go to every family, and the settings will add it to their SEND pages.',
				change_by: isoDaysAgo(-30), answered_by: senco, answered_at: now, answer_published_at: now,
				officer_checked_by: officer, officer_checked_at: now, lead_checked_by: lead, lead_checked_at: now, public_at: now, public_changed_at: now, version: 4
			},
			{
				district_id: cherwell, bid_id: bid.id, position_id: position.id, source: 'forum', author_id: rep,
				body: 'Sessions should not mean a longer journey for children.', version: 0
			},
			{
				district_id: cherwell, bid_id: bid.id, source: 'send_connect', heard_on: isoDaysAgo(12), raised_count: 14,
				body: 'Parents asked to meet the therapist before sessions start.', version: 0
			}
		])
		.returning('id')
		.execute();
	await trx
		.insertInto('pcf_point_theme')
		.values([
			{ point_id: points[0].id, theme_id: theme('Communication with families') },
			{ point_id: points[1].id, theme_id: theme('Transport') },
			{ point_id: points[2].id, theme_id: theme('Communication with families') },
			{ point_id: points[2].id, theme_id: theme('Early help') }
		])
		.execute();
}

/** A closed Banbury round whose one bid, led by Castlebrook, waits for the council's decision with no advice on it yet. */
async function seedEarlierRound(trx: Trx, county: SeededCounty, people: SeededPeople): Promise<void> {
	const banbury = county.clusterId('Cherwell/Banbury');
	const head = people.demoUserId('partnerHeadteacher');
	const round = await trx
		.insertInto('funding_round')
		.values({
			cluster_id: banbury,
			name: 'Banbury pooled fund 2025/26',
			pot_pence: 4_000_000,
			max_request_pence: 2_000_000,
			opens_at: new Date(Date.now() - 200 * DAY_MS),
			closes_at: new Date(Date.now() - 30 * DAY_MS),
			guidance: 'Bids should show how settings will meet needs earlier (IM4) and locally (IM3).',
			endorsement_rule: 'count',
			endorsement_value: 2,
			created_by: people.demoUserId('officer')
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await submittedBid(trx, {
		round_id: round.id,
		cluster_id: banbury,
		lead_setting_id: county.settingId(DEMO_SETTINGS.banburySecondary),
		title: 'Sensory circuits before lessons at Castlebrook',
		summary: 'A short sensory circuit each morning for pupils who find the start of the school day hard, run by trained teaching assistants.',
		requested_pence: 1_200_000,
		created_by: people.demoUserId('partnerSenco'),
		lead_signed_by: head,
		lead_signed_at: new Date(Date.now() - 40 * DAY_MS)
	});
}

type SubmittedBid = Omit<Insertable<DB['bid']>, 'status' | 'submission_no'> & { lead_signed_by: number };

/** A bid signed by its lead and submitted once, waiting in review, with the submission's frozen copy. */
async function submittedBid(trx: Trx, values: SubmittedBid): Promise<{ id: number }> {
	const bid = await trx.insertInto('bid').values({ ...values, status: 'review', submission_no: 1 }).returning('id').executeTakeFirstOrThrow();
	await trx
		.insertInto('bid_submission')
		.values({ bid_id: bid.id, submission_no: 1, snapshot: JSON.stringify(await loadContent(trx, bid.id)), submitted_by: values.lead_signed_by })
		.execute();
	return bid;
}
