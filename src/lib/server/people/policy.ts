import type { CountyRole } from '$lib/roles';
import { allow, deny, isCountyStaff, sameEmail, type RuleMap } from '../decision';

// Who may invite people, change their roles and accounts, and read the outgoing mail. Merged into `can()`.

/** The person whose account an officer is changing. */
export interface AccountRef {
	id: number;
	countyRole: CountyRole | null;
}
/** roles: setting and cluster roles; countyRole: officer/admin; status: deactivate or reactivate. */
export type AccountChange = 'roles' | 'countyRole' | 'status';

export type PeopleCheck =
	| { action: 'people.view' }
	| { action: 'people.manage' }
	| { action: 'people.grantCountyRole'; role: CountyRole }
	| { action: 'people.changeAccount'; person: AccountRef; change: AccountChange }
	| { action: 'people.invite'; email: string }
	| { action: 'mail.viewOutbox' };

const OFFICERS_ONLY = 'Only council officers can invite people, change their roles or deactivate accounts.';

export const peopleRules: RuleMap<PeopleCheck> = {
	'people.view': (actor) => (isCountyStaff(actor) ? allow : deny(OFFICERS_ONLY)),
	'people.manage': (actor) => (isCountyStaff(actor) ? allow : deny(OFFICERS_ONLY)),
	'people.grantCountyRole': (actor) =>
		actor.countyRole === 'admin'
			? allow
			: deny('Only an administrator can make someone a council officer or administrator, or remove that role.'),
	'people.changeAccount': (actor, { person, change }) => {
		if (!isCountyStaff(actor)) return deny(OFFICERS_ONLY);
		// Otherwise an officer could lock an administrator out, or strip their rights.
		if (person.countyRole === 'admin' && actor.countyRole !== 'admin') return deny('Only an administrator can change an administrator’s account.');
		if (person.id !== actor.id) return allow;
		// Nobody can lock themselves out or raise their own rights; another officer must do it.
		if (change === 'status') return deny('You cannot deactivate or reactivate your own account. Ask another officer.');
		if (change === 'countyRole') return deny('You cannot change your own county role. Ask another administrator.');
		// Separation of duties: an officer who gave themself a setting role could then endorse a bid and approve it.
		return deny('You cannot give yourself a role or remove one of your own. Ask another officer.');
	},
	'people.invite': (actor, { email }) => {
		if (!isCountyStaff(actor)) return deny(OFFICERS_ONLY);
		return sameEmail(email, actor.email) ? deny('You cannot invite yourself: that would give you a role. Ask another officer.') : allow;
	},
	'mail.viewOutbox': (actor) => (isCountyStaff(actor) ? allow : deny('Only council officers can read the outgoing mail log.'))
};
