import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { createSession, generateToken, hashToken, type Session } from '../../auth/session';
import { hashPassword } from '../../auth/password';
import { passwordProblem } from '../../auth/password-rule';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { conflict, DomainError, forbidden, invalid, codesOf } from '../../errors';
import { absoluteUrl, transact } from '../../work';
import { formatDate } from '$lib/format';
import { CLUSTER_ROLES, COUNTY_ROLES, SETTING_ROLES, isOneOf, type GrantKind, type RoleName } from '$lib/roles';
import { inviteSchema, type Grant } from '$lib/schemas/people';
import { grantChecks, invitationEmail, invitationExpiry, invitationProblem, InvitationUnusable } from '../rules';
import {
	applyGrant,
	assertChange,
	bumpVersion,
	grantedNotice,
	lockPersonByEmail,
	membershipChanged,
	placeGrant,
	sameEmail,
	type PlacedGrant
} from './shared';

// Invitations: an officer invites someone by email to a role; the invitee accepts with the link.

export type InviteResult =
	| { kind: 'invited'; invitationId: number; expiresAt: Date; name: string; email: string }
	| { kind: 'granted'; userId: number; name: string };

/**
 * Invites someone by email to a role. Someone who already has an active account gets the role
 * straight away (and is told); anyone else gets a single-use link, valid for 7 days, to choose a
 * password. Only the link's hash is stored, so the invitation table cannot be used to accept.
 */
export async function invitePerson(db: Database, actor: Actor, raw: unknown): Promise<InviteResult> {
	assertCan(actor, { action: 'people.manage' });
	const input = parseInput(inviteSchema, raw);
	assertCan(actor, { action: 'people.invite', email: input.email });
	for (const check of grantChecks(input.grant)) assertCan(actor, check);
	return transact(db, actor.id, async (work) => {
		const placed = await placeGrant(work.trx, input.grant);
		const existing = await lockPersonByEmail(work.trx, input.email);

		if (existing && !existing.is_active) {
			throw conflict(
				`${existing.name} (${existing.email}) has a deactivated account. Reactivate it on their page before giving them a role.`
			);
		}
		if (existing) {
			assertChange(actor, existing, input.grant.kind === 'county' ? 'countyRole' : 'roles');
			if (!(await applyGrant(work.trx, existing.id, input.grant))) {
				throw conflict(`${existing.name} is already ${placed.description}.`);
			}
			await bumpVersion(work.trx, existing.id);
			await work.record({
				action: 'role.granted',
				subject: { type: 'person', id: existing.id },
				summary: `Role added: ${placed.description}`,
				detail: { grant: placed.grant, via: 'invitation form' },
				activity: placed.clusterId === null ? undefined : { clusterId: placed.clusterId, verb: 'person.joined', summary: `${existing.name} was added as ${placed.description}` },
				notify: grantedNotice(actor, placed, existing.id)
			});
			await membershipChanged(work, [placed.clusterId], [existing.id]);
			return { kind: 'granted', userId: existing.id, name: existing.name };
		}

		// A newer invitation for the same role replaces older unused ones, so only the latest link works.
		const grant = input.grant;
		const replaced = await work.trx
			.updateTable('invitation')
			.set({ revoked_at: new Date() })
			.where(sameEmail(input.email))
			.where('grant_kind', '=', grant.kind)
			.where('role', '=', grant.role)
			.where('setting_id', grant.kind === 'setting' ? '=' : 'is', grant.kind === 'setting' ? grant.settingId : null)
			.where('cluster_id', grant.kind === 'cluster' ? '=' : 'is', grant.kind === 'cluster' ? grant.clusterId : null)
			.where('used_at', 'is', null)
			.where('revoked_at', 'is', null)
			.executeTakeFirst();

		const token = generateToken();
		const expiresAt = invitationExpiry(new Date());
		const invitation = await work.trx
			.insertInto('invitation')
			.values({
				token_hash: hashToken(token),
				email: input.email,
				name: input.name,
				grant_kind: grant.kind,
				role: grant.role,
				setting_id: grant.kind === 'setting' ? grant.settingId : null,
				cluster_id: grant.kind === 'cluster' ? grant.clusterId : null,
				invited_by: actor.id,
				expires_at: expiresAt
			})
			.returning('id')
			.executeTakeFirstOrThrow();

		await work.mail({
			to: input.email,
			...invitationEmail({
				name: input.name,
				role: placed.description,
				invitedBy: actor.name,
				link: absoluteUrl(`/invite/${token}`),
				expiresAt: formatDate(expiresAt)
			})
		});
		await work.record({
			action: 'person.invited',
			subject: { type: 'invitation', id: invitation.id },
			summary: `Invited: ${placed.description}`,
			detail: { grant: placed.grant, email: input.email, name: input.name, replaced: Number(replaced.numUpdatedRows) },
			activity: placed.clusterId === null ? undefined : { clusterId: placed.clusterId, verb: 'person.invited', summary: `${input.name} was invited as ${placed.description}` }
		});
		return { kind: 'invited', invitationId: invitation.id, expiresAt, name: input.name, email: input.email };
	});
}

function grantOfInvitation(row: { grant_kind: GrantKind; role: RoleName; setting_id: number | null; cluster_id: number | null }): Grant {
	const { grant_kind: kind, role } = row;
	// The database keeps the role with its kind (a check constraint); said again here so the types follow.
	if (kind === 'setting' && isOneOf(SETTING_ROLES, role)) return { kind, settingId: row.setting_id ?? 0, role };
	if (kind === 'cluster' && isOneOf(CLUSTER_ROLES, role)) return { kind, clusterId: row.cluster_id ?? 0, role };
	if (kind === 'county' && isOneOf(COUNTY_ROLES, role)) return { kind, role };
	throw new Error(`An invitation holds the role ${role} for a ${kind} grant.`);
}

export type AcceptResult =
	| { kind: 'signedIn'; userId: number; token: string; session: Session }
	/** They already had a password: the role is added, and they sign in as usual. */
	| { kind: 'signInRequired'; userId: number };

/** Whether the link is ours and still usable, without locks: a dead link should not cost an argon2 hash. */
async function glanceAtLink(db: Database, tokenHash: string): Promise<void> {
	const glance = await db.selectFrom('invitation').select(['used_at', 'revoked_at', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
	if (!glance) throw new InvitationUnusable('unknown');
	const early = invitationProblem(glance, new Date());
	if (early) throw new InvitationUnusable(early);
}

export async function acceptInvitation(
	db: Database,
	token: string,
	password: string,
	/** Whoever is signed in on this browser, if anyone: the policy decides whether they may accept. */
	signedIn: Actor | null = null
): Promise<AcceptResult> {
	// The same rule as every new password, whatever called this (form or API).
	const problem = passwordProblem(password);
	if (problem) throw invalid(problem, { password: [problem] });
	if (!/^[a-z2-7]{32}$/.test(token)) throw new InvitationUnusable('unknown');
	const tokenHash = hashToken(token);
	await glanceAtLink(db, tokenHash);
	// Hashed before the transaction: argon2 is slow and should not hold row locks.
	const passwordHash = await hashPassword(password);

	try {
		return await transact(db, null, async (work) => {
			const invitation = await work.trx.selectFrom('invitation').selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
			if (!invitation) throw new InvitationUnusable('unknown');
			// Checked again under the lock: two tabs submitting at once must not both succeed.
			const problem = invitationProblem(invitation, new Date());
			if (problem) throw new InvitationUnusable(problem);
			if (signedIn) assertCan(signedIn, { action: 'invitation.accept', invitation: { email: invitation.email, invitedBy: invitation.invited_by } });

			const grant = grantOfInvitation(invitation);
			let placed: PlacedGrant;
			try {
				placed = await placeGrant(work.trx, grant);
			} catch (error) {
				if (!(error instanceof DomainError)) throw error;
				throw conflict(
					'The role in this invitation is no longer available (its setting or cluster has changed). Ask the officer who invited you to send a new one.'
				);
			}

			const existing = await lockPersonByEmail(work.trx, invitation.email);
			if (existing && !existing.is_active) {
				throw conflict('The account for this email address has been closed. Ask the officer who invited you to reopen it.');
			}
			// Separation of duties, even signed out: an invitation cannot give a role to the officer who sent it.
			if (existing && existing.id === invitation.invited_by) {
				throw forbidden('You sent this invitation, so you cannot accept it. Ask another officer to give you a role.');
			}

			let userId: number;
			let name: string;
			let hadPassword = false;
			if (existing) {
				userId = existing.id;
				name = existing.name;
				hadPassword = existing.password_hash !== null;
				// Never replace a password someone already chose: holding a link is not proof enough for that.
				if (!hadPassword) {
					await work.trx
						.updateTable('app_user')
						.set((eb) => ({ password_hash: passwordHash, version: eb('version', '+', 1) }))
						.where('id', '=', userId)
						.execute();
				}
			} else {
				const created = await work.trx
					.insertInto('app_user')
					.values({ email: invitation.email, name: invitation.name, password_hash: passwordHash })
					.returning('id')
					.executeTakeFirstOrThrow();
				userId = created.id;
				name = invitation.name;
			}

			await applyGrant(work.trx, userId, grant);
			await work.trx.updateTable('invitation').set({ used_at: new Date(), user_id: userId }).where('id', '=', invitation.id).execute();

			// The invitee, whose account may have been created just now, is who accepted it.
			work.actAs(userId);
			await work.record({
				action: 'invitation.accepted',
				subject: { type: 'person', id: userId },
				summary: `Accepted invitation: ${placed.description}`,
				detail: { grant: placed.grant, invitationId: invitation.id, invitedBy: invitation.invited_by },
				activity: placed.clusterId === null ? undefined : { clusterId: placed.clusterId, verb: 'person.joined', summary: `${name} joined as ${placed.description}` },
				notify: {
					userIds: [invitation.invited_by],
					kind: 'invitation.accepted',
					title: `${name} accepted your invitation`,
					body: `${name} is now ${placed.description}.`,
					link: `/admin/people/${userId}`
				}
			});
			await membershipChanged(work, [placed.clusterId], [userId]);

			if (hadPassword) return { kind: 'signInRequired', userId };
			const sessionToken = generateToken();
			const session = await createSession(work.trx, sessionToken, userId);
			return { kind: 'signedIn', userId, token: sessionToken, session };
		});
	} catch (error) {
		// Two different invitations for one new address accepted at the same moment: one wins.
		if (codesOf(error).code === '23505') {
			throw conflict('An account for this email address was created a moment ago. Sign in instead.');
		}
		throw error;
	}
}
