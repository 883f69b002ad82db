import { allow, deny, sameEmail, type RuleMap } from '../decision';

// What a person may do with their own account and with an invitation sent to them. Merged into `can()`.

export type AccountCheck =
	| { action: 'invitation.accept'; invitation: { email: string; invitedBy: number } }
	| { action: 'account.changePassword'; userId: number }
	| { action: 'account.signOut'; userId: number };

// Only for oneself: officers never set someone's password (they send a reset link instead).
const ownAccount = (actorId: number, userId: number) =>
	userId === actorId ? allow : deny('You can only change your own password or end your own session.');

export const accountRules: RuleMap<AccountCheck> = {
	'invitation.accept': (actor, { invitation }) => {
		// Whoever is signed in, an invitation sent by this person cannot be used to give themself (or a second account of theirs) a role.
		if (invitation.invitedBy === actor.id) {
			return deny('You sent this invitation, so you cannot accept it. The person it was sent to must accept it.');
		}
		return sameEmail(invitation.email, actor.email)
			? allow
			: deny(`This invitation is for ${invitation.email}. Sign out, then open the link again to accept it as that person.`);
	},
	'account.changePassword': (actor, { userId }) => ownAccount(actor.id, userId),
	'account.signOut': (actor, { userId }) => ownAccount(actor.id, userId)
};
