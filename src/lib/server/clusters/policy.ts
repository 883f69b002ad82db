import { allow, deny, isCountyStaff, type ClusterRef, type RuleMap } from '../decision';

// Who may see a workspace, the whole county, and change the cluster tree. Merged into `can()`.

export type ClusterCheck =
	| { action: 'workspace.view'; cluster: ClusterRef }
	| { action: 'county.view' }
	| { action: 'clusters.manage' };

export const clusterRules: RuleMap<ClusterCheck> = {
	'workspace.view': (actor, { cluster }) => {
		if (isCountyStaff(actor) || actor.clusterIds.includes(cluster.id)) return allow;
		return deny(
			`You are not a member of the ${cluster.name} ${cluster.kind} cluster. ` +
				'Workspaces are open to the people in that cluster and to council officers.'
		);
	},
	'county.view': (actor) => (isCountyStaff(actor) ? allow : deny('Only council officers can see the whole county.')),
	'clusters.manage': (actor) =>
		isCountyStaff(actor) ? allow : deny('Only council officers can create, rename, merge or retire clusters, or move settings between them.')
};
