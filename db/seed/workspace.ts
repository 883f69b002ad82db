import type { SeededCounty } from './county';
import { DEMO_SETTINGS, type DemoAccountKey } from './demo-accounts';
import type { SeededPeople } from './people';
import type { Trx } from './support';

// The opening entries of two workspace feeds, so the demo's Cherwell and Banbury workspaces show
// what a running cluster looks like.

/** The opening entries of two workspace feeds; people by demo key, age in days. */
const OPENING_ACTIVITY: readonly (readonly [cluster: string, actor: DemoAccountKey, daysAgo: number, verb: string, summary: string])[] = [
	['Cherwell', 'officer', 42, 'cluster.created', 'Cherwell district cluster set up for the 2026/27 SEND reform'],
	['Cherwell', 'officer', 41, 'cluster.role_granted', 'Claire Donnelly joined as the Parent Carer Forum representative for Cherwell'],
	['Cherwell', 'officer', 40, 'cluster.role_granted', "Mark Ellison will run Cherwell's district dispute-resolution panels for SENDIASS"],
	['Cherwell', 'sendiass', 33, 'cluster.role_granted', 'Sunita Patel joined the Cherwell dispute-resolution panel'],
	['Cherwell/Banbury', 'officer', 38, 'cluster.created', 'Banbury locality cluster set up for the 2026/27 reform'],
	['Cherwell/Banbury', 'officer', 37, 'cluster.role_granted', 'Ruth Adeyemi is now the Banbury cluster lead'],
	['Cherwell/Banbury', 'clusterLead', 30, 'cluster.settings_joined', `${DEMO_SETTINGS.banburyPrimary} and ${DEMO_SETTINGS.banburySecondary} joined the cluster workspace`],
	['Cherwell/Banbury', 'clusterLead', 16, 'cluster.meeting_held', 'First Banbury steering group met and agreed to explore a pooled bid for speech and language support']
];

/** A feed is seeded only while empty, so a rerun never repeats entries among real ones. */
export async function seedWorkspaceFeeds(trx: Trx, county: SeededCounty, people: SeededPeople): Promise<void> {
	for (const clusterKey of new Set(OPENING_ACTIVITY.map(([cluster]) => cluster))) {
		const clusterId = county.clusterId(clusterKey);
		const hasActivity = await trx.selectFrom('activity').select('id').where('cluster_id', '=', clusterId).limit(1).executeTakeFirst();
		if (hasActivity) continue;
		const now = Date.now();
		await trx
			.insertInto('activity')
			.values(
				OPENING_ACTIVITY.filter(([cluster]) => cluster === clusterKey).map(([, actor, daysAgo, verb, summary]) => ({
					cluster_id: clusterId,
					actor_id: people.demoUserId(actor),
					verb,
					summary,
					link: null,
					created_at: new Date(now - daysAgo * 86_400_000)
				}))
			)
			.execute();
	}
}
