import { ROLE_CLUSTER_KINDS, ROLE_LABELS, type ClusterKind, type ClusterRoleName } from '$lib/roles';
import type { Grant } from '$lib/schemas/people';
import { DomainError } from '../errors';
import type { PolicyCheck } from '../policy';

// Pure rules for people administration: no database, no clock of their own (callers pass `now`).

const DAY_MS = 24 * 60 * 60 * 1000;
export const INVITATION_LIFETIME_MS = 7 * DAY_MS;

export function invitationExpiry(now: Date): Date {
	return new Date(now.getTime() + INVITATION_LIFETIME_MS);
}

export type InvitationProblem = 'unknown' | 'expired' | 'used' | 'revoked';

export const INVITATION_PROBLEMS: Record<InvitationProblem, { title: string; message: string }> = {
	unknown: {
		title: 'This invitation link is not recognised',
		message:
			'Check you copied the whole link from the email. If it still does not work, ask the officer who invited you to send a new invitation.'
	},
	used: {
		title: 'This invitation link has already been used',
		message: 'This invitation link has already been used. Sign in instead.'
	},
	expired: {
		title: 'This invitation link has expired',
		message: 'This invitation link has expired. Ask the officer who invited you to send a new one.'
	},
	revoked: {
		title: 'This invitation has been withdrawn',
		message:
			'This invitation has been replaced or withdrawn. Use the link in the most recent invitation email, or ask the officer who invited you to send a new one.'
	}
};

/** Why an invitation link cannot be used; the accept page and the accept command both rely on this. */
export class InvitationUnusable extends DomainError {
	constructor(readonly problem: InvitationProblem) {
		super(problem === 'unknown' ? 'NOT_FOUND' : 'CONFLICT', INVITATION_PROBLEMS[problem].message);
		this.name = 'InvitationUnusable';
	}
}

/** Used beats revoked beats expired: the most useful thing to tell the person holding the link. */
export function invitationProblem(
	invitation: { used_at: Date | null; revoked_at: Date | null; expires_at: Date },
	now: Date
): Exclude<InvitationProblem, 'unknown'> | null {
	if (invitation.used_at) return 'used';
	if (invitation.revoked_at) return 'revoked';
	if (now.getTime() >= invitation.expires_at.getTime()) return 'expired';
	return null;
}

/** Why a cluster cannot take this role, in the officer's words, or null when it can. */
export function clusterRoleProblem(
	role: ClusterRoleName,
	cluster: { name: string; kind: ClusterKind; status: string }
): string | null {
	if (cluster.status !== 'active') return `The ${cluster.name} cluster has been retired. Choose an active cluster.`;
	const kinds = ROLE_CLUSTER_KINDS[role];
	if (kinds.includes(cluster.kind)) return null;
	const where = kinds.map((k) => `a ${k}`).join(' or ') + ' cluster';
	return `A ${roleWords(role)} sits on ${where}. ${cluster.name} is a ${cluster.kind} cluster.`;
}

/** What the policy must allow before this grant is made. */
export function grantChecks(grant: Grant): PolicyCheck[] {
	return grant.kind === 'county'
		? [{ action: 'people.manage' }, { action: 'people.grantCountyRole', role: grant.role }]
		: [{ action: 'people.manage' }];
}

/** Where a granted role applies, named for people. */
export interface GrantPlace {
	settingName?: string | null;
	clusterName?: string | null;
	clusterKind?: string | null;
}

/** A role's name inside a sentence: "headteacher", but "SENCO" and "PCF representative" keep their capitals. */
export function roleWords(role: keyof typeof ROLE_LABELS): string {
	const label = ROLE_LABELS[role];
	return /^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

/** "SENCO at Cherwell Valley School", "PCF representative for the Cherwell district cluster", "council officer". */
export function describeGrant(grant: Pick<Grant, 'kind' | 'role'>, place: GrantPlace): string {
	const label = roleWords(grant.role);
	if (grant.kind === 'setting') return `${label} at ${place.settingName ?? 'a setting'}`;
	if (grant.kind === 'cluster') {
		return `${label} for the ${place.clusterName ?? 'a'} ${place.clusterKind ?? ''} cluster`.replace(/\s+/g, ' ');
	}
	return label;
}

/** The text of the invitation email. Plain text, so it reads the same in any mail client. */
export function invitationEmail(input: {
	name: string;
	role: string;
	invitedBy: string;
	link: string;
	expiresAt: string;
}): { subject: string; text: string } {
	return {
		subject: 'You have been invited to the Oxfordshire SEND cluster portal',
		text: [
			`Dear ${input.name},`,
			'',
			`${input.invitedBy} has invited you to the Oxfordshire SEND cluster portal as ${input.role}.`,
			'',
			'To accept, open this link and choose a password:',
			input.link,
			'',
			`The link works once and expires on ${input.expiresAt}. If it has expired, ask ${input.invitedBy} to send a new one.`,
			'',
			'If you were not expecting this email, you can ignore it.'
		].join('\n')
	};
}
