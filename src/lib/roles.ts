// Role names as stored, and the words people use for them. Shared by server and pages.
export const COUNTY_ROLES = ['officer', 'admin'] as const;
export const SETTING_ROLES = ['headteacher', 'senco'] as const;
export const CLUSTER_ROLES = ['pcf_rep', 'sendiass_officer', 'cluster_lead', 'panel_member'] as const;
export const CLUSTER_KINDS = ['district', 'locality'] as const;
export const CLUSTER_STATUSES = ['active', 'retired'] as const;
/** What an invitation grants: a role in a setting, in a cluster, or across the county. */
export const GRANT_KINDS = ['setting', 'cluster', 'county'] as const;

export type CountyRole = (typeof COUNTY_ROLES)[number];
export type SettingRoleName = (typeof SETTING_ROLES)[number];
export type ClusterRoleName = (typeof CLUSTER_ROLES)[number];
export type ClusterKind = (typeof CLUSTER_KINDS)[number];
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];
export type GrantKind = (typeof GRANT_KINDS)[number];
/** Any role a person can hold, as stored (an invitation's role is one of these). */
export type RoleName = CountyRole | SettingRoleName | ClusterRoleName;

/** Whether a name is one of these roles (or kinds), narrowing it to their union. */
export function isOneOf<T extends string>(names: readonly T[], name: string): name is T {
	return names.some((known) => known === name);
}

export const ROLE_LABELS: Record<RoleName, string> = {
	officer: 'Council officer',
	admin: 'Administrator',
	headteacher: 'Headteacher',
	senco: 'SENCO',
	pcf_rep: 'PCF representative',
	sendiass_officer: 'SENDIASS officer',
	cluster_lead: 'Cluster lead',
	panel_member: 'Panel member'
};

/** District-level roles sit on a district cluster; a cluster lead may lead either kind. */
export const ROLE_CLUSTER_KINDS: Record<ClusterRoleName, readonly ClusterKind[]> = {
	pcf_rep: ['district'],
	sendiass_officer: ['district'],
	panel_member: ['district'],
	cluster_lead: ['district', 'locality']
};

export const PHASE_LABELS: Record<string, string> = {
	early_years: 'Early years',
	primary: 'Primary',
	secondary: 'Secondary',
	all_through: 'All-through',
	special: 'Special',
	alternative_provision: 'Alternative provision',
	post16: 'Post-16'
};
