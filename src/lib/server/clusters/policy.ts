import { allow, deny, isCountyStaff, type ClusterRef, type RuleMap } from '../decision';

// Who may see a workspace, the whole county, and change the cluster tree. Merged into `can()`.

export type ClusterCheck =
	| { action: 'workspace.view'; cluster: ClusterRef }
	| { action: 'county.view' }
	| { action: 'clusters.manage' }
	| { action: 'districts.search' };

export const clusterRules: RuleMap<ClusterCheck> = {
	'workspace.view': (actor, { cluster }) => {
		if (isCountyStaff(actor) || actor.clusterIds.includes(cluster.id)) return allow;
		return deny(
			`You are not a member of the ${cluster.name} ${cluster.kind} cluster. ` +
				'Workspaces are open to the people in that cluster and to council officers.'
		);
	},
	// District names are public (the "you said, we did" pages list them for anyone), so anyone signed
	// in may search them to filter a report; what the report then shows is asked of its own rule.
	'districts.search': () => allow,
	'county.view': (actor) => (isCountyStaff(actor) ? allow : deny('Only council officers can see the whole county.')),
	'clusters.manage': (actor) =>
		isCountyStaff(actor) ? allow : deny('Only council officers can create, rename, merge or retire clusters, or move settings between them.')
};
