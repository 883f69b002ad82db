import type { Actor } from '../../auth/actor';
import { allow, deny, isCountyStaff, type RuleMap } from '../../decision';

// Who may see and move the capital programme's money, and see the sufficiency dashboard. Merged
// into `can()`. Money is the council's to commit: only its officers do, and nobody decides on
// what they wrote (an application they started, a transfer they proposed).

/** An application as the money rules read it, under the command's lock. */
export interface FundedApplication {
	createdBy: number;
}

/** A proposed move of money between lines, as the approval reads it under its lock. */
export interface TransferRef {
	proposedBy: number;
	proposerName: string;
}

export type MoneyCheck =
	| { action: 'capital.money.view' }
	| { action: 'capital.money.commit'; application: FundedApplication }
	| { action: 'capital.money.record'; application: FundedApplication }
	| { action: 'capital.money.transfer.propose' }
	| { action: 'capital.money.transfer.decide'; transfer: TransferRef }
	| { action: 'capital.dashboard.view' }
	| { action: 'capital.dashboard.edit_public' };

const OFFICERS_MONEY = 'Only council officers can see and move the capital programme’s money.';
const OFFICERS_DASHBOARD = 'The sufficiency dashboard is for council officers. The published summary is open to everyone.';
const officers = (reason: string) => (actor: Actor) => (isCountyStaff(actor) ? allow : deny(reason));

export const moneyRules: RuleMap<MoneyCheck> = {
	'capital.money.view': officers(OFFICERS_MONEY),
	'capital.money.commit': (actor, { application }) => {
		if (!isCountyStaff(actor)) return deny(OFFICERS_MONEY);
		if (application.createdBy === actor.id) return deny('You started this application, so another officer must commit money to it.');
		return allow;
	},
	'capital.money.record': (actor, { application }) => {
		if (!isCountyStaff(actor)) return deny('Only council officers can record spending and occupied places.');
		if (application.createdBy === actor.id) return deny('You started this application, so another officer must record its spending and places.');
		return allow;
	},
	'capital.money.transfer.propose': officers(OFFICERS_MONEY),
	'capital.money.transfer.decide': (actor, { transfer }) => {
		if (!isCountyStaff(actor)) return deny(OFFICERS_MONEY);
		if (transfer.proposedBy === actor.id) return deny('You proposed this move, so another officer must approve or turn it down.');
		return allow;
	},
	'capital.dashboard.view': officers(OFFICERS_DASHBOARD),
	'capital.dashboard.edit_public': officers('Only council officers can change what the published summary says.')
};
