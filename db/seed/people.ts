import { sql } from 'kysely';
import type { ClusterRoleName, CountyRole, SettingRoleName } from '../../src/lib/roles';
import { hashPassword } from '../../src/lib/server/auth/password';
import type { SeededCounty } from './county';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SETTINGS, type DemoAccountKey } from './demo-accounts';
import { lookup, type Trx } from './support';

// The demo county's people: every demo account with the roles its sign-in page describes, and more
// staff in Cherwell so workspaces and pickers are not empty. Every name is invented.

/** Where a person works: settings by name, clusters as "District" or "District/Locality". */
interface PersonPlan {
	email: string;
	name: string;
	countyRole?: CountyRole;
	settings?: readonly (readonly [setting: string, role: SettingRoleName])[];
	clusters?: readonly (readonly [cluster: string, role: ClusterRoleName])[];
}

const DEMO_GRANTS: Record<DemoAccountKey, Omit<PersonPlan, 'email' | 'name'>> = {
	officer: { countyRole: 'officer' },
	admin: { countyRole: 'admin' },
	headteacher: { settings: [[DEMO_SETTINGS.banburyPrimary, 'headteacher']] },
	senco: { settings: [[DEMO_SETTINGS.banburyPrimary, 'senco']] },
	partnerHeadteacher: { settings: [[DEMO_SETTINGS.banburySecondary, 'headteacher']] },
	partnerSenco: { settings: [[DEMO_SETTINGS.banburySecondary, 'senco']] },
	otherHeadteacher: { settings: [[DEMO_SETTINGS.banburyPathways, 'headteacher']] },
	clusterLead: {
		settings: [[DEMO_SETTINGS.banburyLeadPrimary, 'headteacher']],
		clusters: [['Cherwell/Banbury', 'cluster_lead']]
	},
	pcfRep: { clusters: [['Cherwell', 'pcf_rep']] },
	pcfLead: { clusters: [['Cherwell', 'pcf_rep']] },
	sendiass: { clusters: [['Cherwell', 'sendiass_officer']] },
	panelMember: { clusters: [['Cherwell', 'panel_member']] },
	oxfordSenco: { settings: [[DEMO_SETTINGS.oxfordPrimary, 'senco']] },
	nurseryManager: { settings: [[DEMO_SETTINGS.kidlingtonNursery, 'headteacher']] }
};

// More people in Cherwell, so workspaces and pickers are not empty.
const CHERWELL_STAFF: readonly (readonly [name: string, setting: string, role: SettingRoleName])[] = [
	['Grace Mensah', DEMO_SETTINGS.banburyLeadPrimary, 'senco'],
	['Joanne Fletcher', 'Banbury Brightwater School', 'headteacher'],
	['Samuel Osei', 'Banbury Brightwater School', 'senco'],
	['Rebecca Hughes', 'Bicester Willowbrook Primary School', 'headteacher'],
	['Imran Hussain', 'Bicester Willowbrook Primary School', 'senco'],
	['Laura Kemp', 'Bicester Stonebridge Academy', 'headteacher'],
	['Owen Griffiths', 'Bicester Stonebridge Academy', 'senco'],
	['Fiona McAllister', 'Kidlington Larkspur Primary School', 'headteacher'],
	['Nadia Ivanova', 'Kidlington Larkspur Primary School', 'senco'],
	['Peter Walsh', 'Kidlington Little Acorns Nursery', 'headteacher']
];

export function demoCountyPeople(): PersonPlan[] {
	return [
		...DEMO_ACCOUNTS.map((account) => ({ email: account.email, name: account.name, ...DEMO_GRANTS[account.key] })),
		...CHERWELL_STAFF.map(([name, setting, role]) => ({
			email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@portal.example`,
			name,
			settings: [[setting, role] as const]
		}))
	];
}

/** What the people step made, for the steps after it. */
export interface SeededPeople {
	userId(email: string): number;
	demoUserId(key: DemoAccountKey): number;
	users: number;
}

export async function seedPeople(trx: Trx, county: SeededCounty): Promise<SeededPeople> {
	const people = demoCountyPeople();
	const emails = people.map((person) => person.email.toLowerCase());
	const existingUsers = async () =>
		trx
			.selectFrom('app_user')
			.select(['id', sql<string>`lower(email)`.as('email')])
			.where((eb) => eb(eb.fn('lower', ['email']), 'in', emails))
			.execute();
	const known = new Set((await existingUsers()).map((row) => row.email));
	const missing = people.filter((person) => !known.has(person.email.toLowerCase()));
	if (missing.length > 0) {
		// argon2id costs ~100 ms a hash, so one hash serves every demo account.
		const passwordHash = await hashPassword(DEMO_PASSWORD);
		await trx
			.insertInto('app_user')
			.values(
				missing.map((person) => ({
					email: person.email,
					name: person.name,
					password_hash: passwordHash,
					county_role: person.countyRole ?? null
				}))
			)
			.onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
			.execute();
	}
	const userIdByEmail = new Map((await existingUsers()).map((row) => [row.email, row.id]));
	const userId = (email: string) => lookup(userIdByEmail, email.toLowerCase(), 'user');

	const memberships = people.flatMap((person) =>
		(person.settings ?? []).map(([setting, role]) => ({ user_id: userId(person.email), setting_id: county.settingId(setting), role }))
	);
	if (memberships.length > 0) {
		await trx
			.insertInto('setting_membership')
			.values(memberships)
			.onConflict((oc) => oc.columns(['user_id', 'setting_id', 'role']).doNothing())
			.execute();
	}
	const clusterRoles = people.flatMap((person) =>
		(person.clusters ?? []).map(([cluster, role]) => ({ user_id: userId(person.email), cluster_id: county.clusterId(cluster), role }))
	);
	if (clusterRoles.length > 0) {
		await trx
			.insertInto('cluster_role')
			.values(clusterRoles)
			.onConflict((oc) => oc.columns(['user_id', 'cluster_id', 'role']).doNothing())
			.execute();
	}

	const accountEmail = new Map<string, string>(DEMO_ACCOUNTS.map((account) => [account.key, account.email]));
	return {
		userId,
		demoUserId: (key) => userId(lookup(accountEmail, key, 'demo account')),
		users: people.length
	};
}
