import type { Actor } from './auth/actor';
import type { CountyRole } from '$lib/roles';

/**
 * The one place that says who may see and do what. Every tRPC procedure, page load, form action
 * and socket.io event asks here, so a rule changes in one place and is tested in one place.
 * A refusal carries a reason a headteacher would understand.
 */
export type Decision = { allowed: true } | { allowed: false; reason: string };

export interface ClusterRef {
	id: number;
	name: string;
	kind: string;
	status?: string;
}

export type PolicyCheck =
	| { action: 'workspace.view'; cluster: ClusterRef }
	| { action: 'county.view' }
	| { action: 'clusters.manage' }
	| { action: 'people.view' }
	| { action: 'people.manage' }
	| { action: 'people.grantCountyRole'; role: CountyRole }
	| { action: 'mail.viewOutbox' }
	| { action: 'notification.update'; notification: { user_id: number } }
	| { action: 'live.joinUserRoom'; userId: number };

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

export function isCountyStaff(actor: Actor | null): boolean {
	return actor?.countyRole === 'officer' || actor?.countyRole === 'admin';
}

export function can(actor: Actor | null, check: PolicyCheck): Decision {
	if (!actor) return deny('You need to sign in first.');
	switch (check.action) {
		case 'workspace.view':
			if (isCountyStaff(actor)) return allow;
			if (actor.clusterIds.includes(check.cluster.id)) return allow;
			return deny(
				`You are not a member of the ${check.cluster.name} ${check.cluster.kind} cluster. ` +
					'Workspaces are open to the people in that cluster and to council officers.'
			);
		case 'county.view':
			return isCountyStaff(actor) ? allow : deny('Only council officers can see the whole county.');
		case 'clusters.manage':
			return isCountyStaff(actor)
				? allow
				: deny('Only council officers can create, rename, merge or retire clusters, or move settings between them.');
		case 'people.view':
		case 'people.manage':
			return isCountyStaff(actor)
				? allow
				: deny('Only council officers can invite people, change their roles or deactivate accounts.');
		case 'people.grantCountyRole':
			if (actor.countyRole === 'admin') return allow;
			return deny('Only an administrator can make someone a council officer or administrator, or remove that role.');
		case 'mail.viewOutbox':
			return isCountyStaff(actor) ? allow : deny('Only council officers can read the outgoing mail log.');
		case 'notification.update':
			return check.notification.user_id === actor.id ? allow : deny('That notification belongs to someone else.');
		case 'live.joinUserRoom':
			return check.userId === actor.id ? allow : deny('You can only receive your own notifications.');
	}
}
