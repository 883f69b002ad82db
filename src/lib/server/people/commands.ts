import { sql, type Transaction } from 'kysely';
import type { Database, DB } from '../db';
import type { Actor } from '../auth/actor';
import { createSession, generateToken, hashToken, type Session } from '../auth/session';
import { hashPassword } from '../auth/password';
import { can, type AccountChange, type PolicyCheck } from '../policy';
import { conflict, DomainError, forbidden, invalid, notFound } from '../errors';
import { absoluteUrl, transact, Work } from '../work';
import { clusterRoom } from '$lib/live/events';
import { formatDate } from '$lib/format';
import type { ClusterKind, CountyRole } from '$lib/roles';
import {
	accountStatusSchema,
	peopleFieldErrors,
	type Grant,
	type GrantKind,
	type GrantRoleInput,
	type InviteInput,
	type RevokeRoleInput,
	type SetCountyRoleInput
} from '$lib/schemas/people';
import { passwordProblem } from '../auth/password-rule';
import {
	clusterRoleProblem,
	describeGrant,
	grantChecks,
	invitationEmail,
	invitationExpiry,
	invitationProblem,
	InvitationUnusable
} from './rules';

// Commands for people administration. Each is one user action = one transaction: it asks the
// policy, checks the rows it depends on (locked), writes, and records who did it and why.
// Mail, live events and socket disconnects leave only after commit (see work.ts).

type Trx = Transaction<DB>;

function authorize(actor: Actor, ...checks: PolicyCheck[]): void {
	for (const check of checks) {
		const decision = can(actor, check);
		if (!decision.allowed) throw forbidden(decision.reason);
	}
}

interface AccountRow {
	id: number;
	name: string;
	email: string;
	county_role: string | null;
	is_active: boolean;
	password_hash: string | null;
}

/** The person's row, locked so two officers changing one account do not interleave. */
async function lockPerson(trx: Trx, userId: number): Promise<AccountRow> {
	const person = await trx
		.selectFrom('app_user')
		.select(['id', 'name', 'email', 'county_role', 'is_active', 'password_hash'])
		.where('id', '=', userId)
		.forUpdate()
		.executeTakeFirst();
	if (!person) throw notFound('That person');
	return person;
}

function authorizeChange(actor: Actor, person: AccountRow, change: AccountChange): void {
	authorize(actor, {
		action: 'people.changeAccount',
		person: { id: person.id, countyRole: person.county_role as CountyRole | null },
		change
	});
}

/** A grant checked against the database: the setting or cluster exists and fits the role. */
interface PlacedGrant {
	grant: Grant;
	/** "SENCO at Cherwell Valley School" */
	description: string;
	/** The workspace whose feed and member list this grant changes (none for county roles). */
	clusterId: number | null;
}

async function placeGrant(trx: Trx, grant: Grant): Promise<PlacedGrant> {
	if (grant.kind === 'setting') {
		const setting = await trx
			.selectFrom('setting')
			.select(['id', 'name', 'cluster_id'])
			.where('id', '=', grant.settingId)
			.executeTakeFirst();
		if (!setting) {
			throw invalid('That setting could not be found.', { settingId: ['Select a setting from the list'] });
		}
		return { grant, description: describeGrant(grant, { settingName: setting.name }), clusterId: setting.cluster_id };
	}
	if (grant.kind === 'cluster') {
		const cluster = await trx
			.selectFrom('cluster')
			.select(['id', 'name', 'kind', 'status'])
			.where('id', '=', grant.clusterId)
			.executeTakeFirst();
		if (!cluster) throw invalid('That cluster could not be found.', { clusterId: ['Select a cluster from the list'] });
		const problem = clusterRoleProblem(grant.role, { ...cluster, kind: cluster.kind as ClusterKind });
		if (problem) throw invalid(problem, { clusterId: [problem] });
		return {
			grant,
			description: describeGrant(grant, { clusterName: cluster.name, clusterKind: cluster.kind }),
			clusterId: cluster.id
		};
	}
	return { grant, description: describeGrant(grant, {}), clusterId: null };
}

/** Gives the role; false when they already hold it. */
async function applyGrant(trx: Trx, userId: number, grant: Grant): Promise<boolean> {
	if (grant.kind === 'setting') {
		const added = await trx
			.insertInto('setting_membership')
			.values({ user_id: userId, setting_id: grant.settingId, role: grant.role })
			.onConflict((oc) => oc.constraint('setting_membership_unique').doNothing())
			.returning('id')
			.executeTakeFirst();
		return added !== undefined;
	}
	if (grant.kind === 'cluster') {
		const added = await trx
			.insertInto('cluster_role')
			.values({ user_id: userId, cluster_id: grant.clusterId, role: grant.role })
			.onConflict((oc) => oc.constraint('cluster_role_unique').doNothing())
			.returning('id')
			.executeTakeFirst();
		return added !== undefined;
	}
	const changed = await trx
		.updateTable('app_user')
		.set((eb) => ({ county_role: grant.role, version: eb('version', '+', 1) }))
		.where('id', '=', userId)
		.where((eb) => eb.or([eb('county_role', 'is', null), eb('county_role', '!=', grant.role)]))
		.executeTakeFirst();
	return Number(changed.numUpdatedRows) > 0;
}

async function bumpVersion(trx: Trx, userId: number): Promise<void> {
	await trx
		.updateTable('app_user')
		.set((eb) => ({ version: eb('version', '+', 1) }))
		.where('id', '=', userId)
		.execute();
}

/** Tells open workspaces (the cluster and its district) that their member list changed. */
async function membershipChanged(work: Work, clusterIds: (number | null)[]): Promise<void> {
	const direct = [...new Set(clusterIds.filter((id): id is number => id !== null))];
	if (direct.length === 0) return;
	const parents = await work.trx.selectFrom('cluster').select('parent_id').where('id', 'in', direct).execute();
	const rooms = new Set([...direct, ...parents.map((p) => p.parent_id).filter((id): id is number => id !== null)]);
	for (const clusterId of [...rooms].sort((a, b) => a - b)) {
		await work.publish(clusterRoom(clusterId), 'membership.changed', { clusterId });
	}
}

/** Every workspace a person's roles place them in. */
async function clustersOfPerson(trx: Trx, userId: number): Promise<number[]> {
	const [settings, roles] = await Promise.all([
		trx
			.selectFrom('setting_membership as m')
			.innerJoin('setting as s', 's.id', 'm.setting_id')
			.select('s.cluster_id')
			.where('m.user_id', '=', userId)
			.execute(),
		trx.selectFrom('cluster_role').select('cluster_id').where('user_id', '=', userId).execute()
	]);
	return [...settings, ...roles].map((row) => row.cluster_id);
}

function grantDetail(placed: PlacedGrant) {
	return { summary: placed.description, grant: placed.grant };
}

/** Email addresses match whatever their capitals (app_user has a unique index on lower(email)). */
function sameEmail(email: string) {
	return sql<boolean>`lower(email) = ${email.toLowerCase()}`;
}

// ——— Invitations ———

export type InviteResult =
	| { kind: 'invited'; invitationId: number; expiresAt: Date }
	| { kind: 'granted'; userId: number; name: string };

/**
 * Invites someone by email to a role. Someone who already has an active account gets the role
 * straight away (and is told); anyone else gets a single-use link, valid for 7 days, to choose a
 * password. Only the link's hash is stored, so the invitation table cannot be used to accept.
 */
export async function invitePerson(db: Database, actor: Actor, input: InviteInput): Promise<InviteResult> {
	authorize(actor, { action: 'people.invite', email: input.email }, ...grantChecks(input.grant));
	return transact(db, actor.id, async (work) => {
		const placed = await placeGrant(work.trx, input.grant);
		const existing = await work.trx
			.selectFrom('app_user')
			.select(['id', 'name', 'email', 'county_role', 'is_active', 'password_hash'])
			.where(sameEmail(input.email))
			.forUpdate()
			.executeTakeFirst();

		if (existing && !existing.is_active) {
			throw conflict(
				`${existing.name} (${existing.email}) has a deactivated account. Reactivate it on their page before giving them a role.`
			);
		}
		if (existing) {
			authorizeChange(actor, existing, input.grant.kind === 'county' ? 'countyRole' : 'roles');
			if (!(await applyGrant(work.trx, existing.id, input.grant))) {
				throw conflict(`${existing.name} is already ${placed.description}.`);
			}
			await bumpVersion(work.trx, existing.id);
			await work.audit({
				action: 'role.granted',
				subjectType: 'person',
				subjectId: existing.id,
				detail: { ...grantDetail(placed), via: 'invitation form' }
			});
			if (placed.clusterId !== null) {
				await work.activity({
					clusterId: placed.clusterId,
					verb: 'person.joined',
					summary: `${existing.name} was added as ${placed.description}`
				});
			}
			await membershipChanged(work, [placed.clusterId]);
			await work.notify([existing.id], {
				kind: 'role.granted',
				title: `You are now ${placed.description}`,
				body: `${actor.name} gave you this role in the Oxfordshire SEND cluster portal.`,
				link: '/',
				email: true
			});
			work.disconnectUser(existing.id);
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
		await work.audit({
			action: 'person.invited',
			subjectType: 'invitation',
			subjectId: invitation.id,
			detail: { ...grantDetail(placed), email: input.email, name: input.name, replaced: Number(replaced.numUpdatedRows) }
		});
		if (placed.clusterId !== null) {
			await work.activity({
				clusterId: placed.clusterId,
				verb: 'person.invited',
				summary: `${input.name} was invited as ${placed.description}`
			});
		}
		return { kind: 'invited', invitationId: invitation.id, expiresAt };
	});
}

function grantOfInvitation(row: {
	grant_kind: string;
	role: string;
	setting_id: number | null;
	cluster_id: number | null;
}): Grant {
	const kind = row.grant_kind as GrantKind;
	if (kind === 'setting') return { kind, settingId: row.setting_id ?? 0, role: row.role as 'senco' };
	if (kind === 'cluster') return { kind, clusterId: row.cluster_id ?? 0, role: row.role as 'pcf_rep' };
	return { kind, role: row.role as CountyRole };
}

/**
 * Accepting is done by the invitee, whose account may not exist until this transaction creates
 * it, so their audit entry and activity are recorded through a Work acting as them (same
 * transaction); its live events are stored, and they and its mail handed to the outer Work to
 * send after commit.
 */
function actingAs(work: Work, userId: number): { as: Work; handBack: () => Promise<void> } {
	const as = new Work(work.trx, userId);
	return {
		as,
		async handBack() {
			await as.flush();
			work.events.push(...as.events);
			work.mailIds.push(...as.mailIds);
			work.disconnectUserIds.push(...as.disconnectUserIds);
			work.endedSessionIds.push(...as.endedSessionIds);
		}
	};
}

export type AcceptResult =
	| { kind: 'signedIn'; userId: number; token: string; session: Session }
	/** They already had a password: the role is added, and they sign in as usual. */
	| { kind: 'signInRequired'; userId: number };

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

	// A quick look without locks, so a dead link does not cost an argon2 hash.
	const glance = await db
		.selectFrom('invitation')
		.select(['used_at', 'revoked_at', 'expires_at'])
		.where('token_hash', '=', tokenHash)
		.executeTakeFirst();
	if (!glance) throw new InvitationUnusable('unknown');
	const early = invitationProblem(glance, new Date());
	if (early) throw new InvitationUnusable(early);
	// Hashed before the transaction: argon2 is slow and should not hold row locks.
	const passwordHash = await hashPassword(password);

	try {
		return await transact(db, null, async (work) => {
			const invitation = await work.trx
				.selectFrom('invitation')
				.selectAll()
				.where('token_hash', '=', tokenHash)
				.forUpdate()
				.executeTakeFirst();
			if (!invitation) throw new InvitationUnusable('unknown');
			// Checked again under the lock: two tabs submitting at once must not both succeed.
			const problem = invitationProblem(invitation, new Date());
			if (problem) throw new InvitationUnusable(problem);
			if (signedIn) authorize(signedIn, { action: 'invitation.accept', invitation: { email: invitation.email, invitedBy: invitation.invited_by } });

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

			const existing = await work.trx
				.selectFrom('app_user')
				.select(['id', 'name', 'is_active', 'password_hash'])
				.where(sameEmail(invitation.email))
				.forUpdate()
				.executeTakeFirst();
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
			await work.trx
				.updateTable('invitation')
				.set({ used_at: new Date(), user_id: userId })
				.where('id', '=', invitation.id)
				.execute();

			const invitee = actingAs(work, userId);
			await invitee.as.audit({
				action: 'invitation.accepted',
				subjectType: 'person',
				subjectId: userId,
				detail: { ...grantDetail(placed), invitationId: invitation.id, invitedBy: invitation.invited_by }
			});
			if (placed.clusterId !== null) {
				await invitee.as.activity({ clusterId: placed.clusterId, verb: 'person.joined', summary: `${name} joined as ${placed.description}` });
			}
			await membershipChanged(invitee.as, [placed.clusterId]);
			await invitee.as.notify([invitation.invited_by], {
				kind: 'invitation.accepted',
				title: `${name} accepted your invitation`,
				body: `${name} is now ${placed.description}.`,
				link: `/admin/people/${userId}`
			});
			await invitee.handBack();

			if (hadPassword) return { kind: 'signInRequired', userId };
			const sessionToken = generateToken();
			const session = await createSession(work.trx, sessionToken, userId);
			return { kind: 'signedIn', userId, token: sessionToken, session };
		});
	} catch (error) {
		// Two different invitations for one new address accepted at the same moment: one wins.
		if ((error as { code?: string }).code === '23505') {
			throw conflict('An account for this email address was created a moment ago. Sign in instead.');
		}
		throw error;
	}
}

// ——— Roles ———

export async function grantRole(db: Database, actor: Actor, input: GrantRoleInput): Promise<void> {
	authorize(actor, ...grantChecks(input.grant));
	await transact(db, actor.id, async (work) => {
		const person = await lockPerson(work.trx, input.userId);
		authorizeChange(actor, person, input.grant.kind === 'county' ? 'countyRole' : 'roles');
		if (!person.is_active) {
			throw conflict(`${person.name}'s account is deactivated. Reactivate it before giving them a role.`);
		}
		const placed = await placeGrant(work.trx, input.grant);
		const from = person.county_role;
		if (!(await applyGrant(work.trx, person.id, input.grant))) {
			throw conflict(`${person.name} is already ${placed.description}.`);
		}
		await bumpVersion(work.trx, person.id);
		await work.audit({
			action: input.grant.kind === 'county' ? 'countyRole.changed' : 'role.granted',
			subjectType: 'person',
			subjectId: person.id,
			reason: input.reason ?? null,
			detail: input.grant.kind === 'county' ? { ...grantDetail(placed), from, to: input.grant.role } : grantDetail(placed)
		});
		if (placed.clusterId !== null) {
			await work.activity({ clusterId: placed.clusterId, verb: 'role.granted', summary: `${person.name} is now ${placed.description}` });
		}
		await membershipChanged(work, [placed.clusterId]);
		await work.notify([person.id], {
			kind: 'role.granted',
			title: `You are now ${placed.description}`,
			body: `${actor.name} gave you this role in the Oxfordshire SEND cluster portal.`,
			link: '/',
			email: true
		});
		// Their open connections were authorised with the old roles; make them reconnect.
		work.disconnectUser(person.id);
	});
}

export async function revokeRole(db: Database, actor: Actor, input: RevokeRoleInput): Promise<void> {
	authorize(actor, { action: 'people.manage' });
	await transact(db, actor.id, async (work) => {
		const person = await lockPerson(work.trx, input.userId);
		authorizeChange(actor, person, 'roles');
		let placed: PlacedGrant;
		if (input.membership.kind === 'setting') {
			const membership = await work.trx
				.selectFrom('setting_membership as m')
				.innerJoin('setting as s', 's.id', 'm.setting_id')
				.select(['m.id', 'm.role', 'm.setting_id', 's.name', 's.cluster_id'])
				.where('m.id', '=', input.membership.id)
				.where('m.user_id', '=', person.id)
				.executeTakeFirst();
			if (!membership) throw notFound('That role');
			await work.trx.deleteFrom('setting_membership').where('id', '=', membership.id).execute();
			const grant: Grant = { kind: 'setting', settingId: membership.setting_id, role: membership.role as 'senco' };
			placed = { grant, description: describeGrant(grant, { settingName: membership.name }), clusterId: membership.cluster_id };
		} else {
			const role = await work.trx
				.selectFrom('cluster_role as r')
				.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
				.select(['r.id', 'r.role', 'r.cluster_id', 'c.name', 'c.kind'])
				.where('r.id', '=', input.membership.id)
				.where('r.user_id', '=', person.id)
				.executeTakeFirst();
			if (!role) throw notFound('That role');
			await work.trx.deleteFrom('cluster_role').where('id', '=', role.id).execute();
			const grant: Grant = { kind: 'cluster', clusterId: role.cluster_id, role: role.role as 'pcf_rep' };
			placed = {
				grant,
				description: describeGrant(grant, { clusterName: role.name, clusterKind: role.kind }),
				clusterId: role.cluster_id
			};
		}
		await bumpVersion(work.trx, person.id);
		await work.audit({
			action: 'role.revoked',
			subjectType: 'person',
			subjectId: person.id,
			reason: input.reason ?? null,
			detail: grantDetail(placed)
		});
		if (placed.clusterId !== null) {
			await work.activity({ clusterId: placed.clusterId, verb: 'role.revoked', summary: `${person.name} is no longer ${placed.description}` });
		}
		await membershipChanged(work, [placed.clusterId]);
		await work.notify([person.id], {
			kind: 'role.revoked',
			title: `You are no longer ${placed.description}`,
			body: `${actor.name} removed this role. If you think this is a mistake, contact the council’s SEND team.`
		});
		work.disconnectUser(person.id);
	});
}

/** Makes someone a council officer or administrator, or removes that role (`role: null`). Administrators only. */
export async function setCountyRole(db: Database, actor: Actor, input: SetCountyRoleInput): Promise<void> {
	authorize(actor, { action: 'people.manage' }, { action: 'people.grantCountyRole', role: input.role ?? 'officer' });
	await transact(db, actor.id, async (work) => {
		const person = await lockPerson(work.trx, input.userId);
		authorizeChange(actor, person, 'countyRole');
		const from = person.county_role as CountyRole | null;
		if (from === input.role) {
			throw conflict(input.role ? `${person.name} is already ${describeGrant({ kind: 'county', role: input.role }, {})}.` : `${person.name} has no county role.`);
		}
		await work.trx
			.updateTable('app_user')
			.set((eb) => ({ county_role: input.role, version: eb('version', '+', 1) }))
			.where('id', '=', person.id)
			.execute();
		const describe = (role: CountyRole | null) => (role ? describeGrant({ kind: 'county', role }, {}) : 'no county role');
		await work.audit({
			action: 'countyRole.changed',
			subjectType: 'person',
			subjectId: person.id,
			reason: input.reason,
			detail: { summary: `From ${describe(from)} to ${describe(input.role)}`, from, to: input.role }
		});
		await work.notify([person.id], {
			kind: 'role.changed',
			title: input.role ? `You are now ${describe(input.role)}` : `You are no longer ${describe(from)}`,
			body: `${actor.name} changed your county role.`,
			link: '/',
			email: true
		});
		work.disconnectUser(person.id);
	});
}

// ——— Account status ———

function statusInput(userId: number, reason: string) {
	const parsed = accountStatusSchema.safeParse({ userId, reason });
	if (!parsed.success) throw invalid('Check the reason and try again.', peopleFieldErrors(parsed.error));
	return parsed.data;
}

/** Closes an account at once: no sign-in, every session ended, live connections dropped. */
export async function deactivate(
	db: Database,
	actor: Actor,
	userId: number,
	reason: string
): Promise<{ sessionsEnded: number }> {
	authorize(actor, { action: 'people.manage' });
	const input = statusInput(userId, reason);
	return transact(db, actor.id, async (work) => {
		const person = await lockPerson(work.trx, input.userId);
		authorizeChange(actor, person, 'status');
		if (!person.is_active) throw conflict(`${person.name}'s account is already deactivated.`);
		await work.trx
			.updateTable('app_user')
			.set((eb) => ({ is_active: false, deactivated_at: new Date(), version: eb('version', '+', 1) }))
			.where('id', '=', person.id)
			.execute();
		const ended = await work.trx.deleteFrom('user_session').where('user_id', '=', person.id).executeTakeFirst();
		// Their unused invitations die with the account, so a link cannot bring it back.
		await work.trx
			.updateTable('invitation')
			.set({ revoked_at: new Date() })
			.where(sameEmail(person.email))
			.where('used_at', 'is', null)
			.where('revoked_at', 'is', null)
			.execute();
		const sessionsEnded = Number(ended.numDeletedRows);
		await work.audit({
			action: 'person.deactivated',
			subjectType: 'person',
			subjectId: person.id,
			reason: input.reason,
			detail: { summary: `${sessionsEnded} session${sessionsEnded === 1 ? '' : 's'} ended`, sessionsEnded }
		});
		await membershipChanged(work, await clustersOfPerson(work.trx, person.id));
		work.disconnectUser(person.id);
		return { sessionsEnded };
	});
}

export async function reactivate(db: Database, actor: Actor, userId: number, reason: string): Promise<void> {
	authorize(actor, { action: 'people.manage' });
	const input = statusInput(userId, reason);
	await transact(db, actor.id, async (work) => {
		const person = await lockPerson(work.trx, input.userId);
		authorizeChange(actor, person, 'status');
		if (person.is_active) throw conflict(`${person.name}'s account is already active.`);
		await work.trx
			.updateTable('app_user')
			.set((eb) => ({ is_active: true, deactivated_at: null, version: eb('version', '+', 1) }))
			.where('id', '=', person.id)
			.execute();
		await work.audit({ action: 'person.reactivated', subjectType: 'person', subjectId: person.id, reason: input.reason });
		await membershipChanged(work, await clustersOfPerson(work.trx, person.id));
	});
}
