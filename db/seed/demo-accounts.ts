// The demo county's sign-in accounts, one (or more) per role, shown on the demo sign-in page and
// used by tests. Every name, email and setting here is invented. No server code is imported, so
// a page can list these accounts.

/** Every demo account shares this password; the demo county is public test data, not a secret. */
export const DEMO_PASSWORD = 'Oxfordshire-demo-2026';

/** The fictional settings the demo accounts belong to; the seed creates them under these names. */
export const DEMO_SETTINGS = {
	banburyPrimary: 'Banbury Meadowside Primary School',
	banburySecondary: 'Banbury Castlebrook Academy',
	banburyLeadPrimary: 'Banbury Orchard Fields Primary School',
	banburyPathways: 'Banbury Pathways Learning Centre',
	oxfordPrimary: 'Summertown Foxglove Primary School',
	kidlingtonNursery: 'Kidlington Little Owls Day Nursery'
} as const;

export interface DemoAccount {
	key: string;
	email: string;
	name: string;
	/** Short role name for the account picker ("SENCO"). */
	roleLabel: string;
	/** Where the account sits and what it is for, in a sentence. */
	description: string;
}

export const DEMO_ACCOUNTS = [
	{
		key: 'officer',
		email: 'officer@portal.example',
		name: 'Priya Shah',
		roleLabel: 'Council officer',
		description:
			'SEND reform officer at Oxfordshire County Council: configures clusters, funds and programmes, scores bids and records decisions.'
	},
	{
		key: 'admin',
		email: 'admin@portal.example',
		name: 'Tom Whitaker',
		roleLabel: 'Administrator',
		description: 'Portal administrator at the county council: manages accounts, invitations and access.'
	},
	{
		key: 'headteacher',
		email: 'headteacher@portal.example',
		name: 'Helen Okafor',
		roleLabel: 'Headteacher',
		description: `Headteacher of ${DEMO_SETTINGS.banburyPrimary}, Banbury locality cluster (Cherwell).`
	},
	{
		key: 'senco',
		email: 'senco@portal.example',
		name: 'Daniel Price',
		roleLabel: 'SENCO',
		description: `SENCO at ${DEMO_SETTINGS.banburyPrimary}, Banbury locality cluster (Cherwell).`
	},
	{
		key: 'partnerHeadteacher',
		email: 'partner.headteacher@portal.example',
		name: 'Marcus Bennett',
		roleLabel: 'Headteacher (partner setting)',
		description: `Headteacher of ${DEMO_SETTINGS.banburySecondary}, a secondary in the Banbury locality cluster that pools bids with Meadowside.`
	},
	{
		key: 'partnerSenco',
		email: 'partner.senco@portal.example',
		name: 'Aisha Rahman',
		roleLabel: 'SENCO (partner setting)',
		description: `SENCO at ${DEMO_SETTINGS.banburySecondary}, Banbury locality cluster (Cherwell).`
	},
	{
		key: 'otherHeadteacher',
		email: 'other.headteacher@portal.example',
		name: 'Kwame Asante',
		roleLabel: 'Headteacher (another Banbury setting)',
		description: `Headteacher of ${DEMO_SETTINGS.banburyPathways}, Banbury locality cluster: not in Meadowside’s bid, so can endorse or object to it.`
	},
	{
		key: 'clusterLead',
		email: 'cluster.lead@portal.example',
		name: 'Ruth Adeyemi',
		roleLabel: 'Cluster lead',
		description: `Chairs the Banbury locality cluster; also headteacher of ${DEMO_SETTINGS.banburyLeadPrimary}.`
	},
	{
		key: 'pcfRep',
		email: 'pcf@portal.example',
		name: 'Claire Donnelly',
		roleLabel: 'PCF representative',
		description: 'Oxfordshire Parent Carer Forum representative on the Cherwell district cluster.'
	},
	{
		key: 'pcfLead',
		email: 'pcf.lead@portal.example',
		name: 'Nadia Brooks',
		roleLabel: 'PCF representative (group lead)',
		description: 'Leads the Cherwell PCF advisory group: approves its positions and makes the PCF check before anything is published.'
	},
	{
		key: 'sendiass',
		email: 'sendiass@portal.example',
		name: 'Mark Ellison',
		roleLabel: 'SENDIASS officer',
		description: 'Runs the Cherwell district dispute-resolution panels for SENDIASS.'
	},
	{
		key: 'panelMember',
		email: 'panel@portal.example',
		name: 'Sunita Patel',
		roleLabel: 'Panel member',
		description: 'Sits on the Cherwell district dispute-resolution panel.'
	},
	{
		key: 'oxfordSenco',
		email: 'oxford.senco@portal.example',
		name: 'Gareth Lloyd',
		roleLabel: 'SENCO (another cluster)',
		description: `SENCO at ${DEMO_SETTINGS.oxfordPrimary}, North & Central Oxford locality cluster: not a member of Banbury.`
	},
	{
		key: 'nurseryManager',
		email: 'nursery.manager@portal.example',
		name: 'Niamh Kellaway',
		roleLabel: 'Nursery manager',
		description: `Owner and manager of ${DEMO_SETTINGS.kidlingtonNursery} (a private day nursery, Cherwell): accepts and claims an early years grant.`
	}
] as const satisfies readonly DemoAccount[];

export type DemoAccountKey = (typeof DEMO_ACCOUNTS)[number]['key'];

export function demoAccount(key: DemoAccountKey): (typeof DEMO_ACCOUNTS)[number] {
	const account = DEMO_ACCOUNTS.find((candidate) => candidate.key === key);
	if (!account) throw new Error(`no demo account ${key}`);
	return account;
}
