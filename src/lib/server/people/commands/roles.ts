import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { conflict, notFound } from '../../errors';
import { transact } from '../../work';
import { publishAccessChanged } from '../../live/access';
import type { CountyRole } from '$lib/roles';
import { grantRoleSchema, revokeRoleSchema, setCountyRoleSchema, type Grant } from '$lib/schemas/people';
import { describeGrant, grantChecks } from '../rules';
import { applyGrant, assertChange, bumpVersion, grantedNotice, lockPerson, membershipChanged, placeGrant, type PlacedGrant, type Trx } from './shared';

// Roles: setting and cluster roles, and the county roles (officer, administrator).

export async function grantRole(db: Database, actor: Actor, raw: unknown): Promise<void> {
	assertCan(actor, { action: 'people.manage' });
	const input = parseInput(grantRoleSchema, raw);
	for (const check of grantChecks(input.grant)) assertCan(actor, check);
	await transact(db, actor.id, async (work) => {
		const person = await lockPerson(work.trx, input.userId);
		assertChange(actor, person, input.grant.kind === 'county' ? 'countyRole' : 'roles');
		if (!person.is_active) {
			throw conflict(`${person.name}'s account is deactivated. Reactivate it before giving them a role.`);
		}
		const placed = await placeGrant(work.trx, input.grant);
		const from = person.county_role;
		if (!(await applyGrant(work.trx, person.id, input.grant))) {
			throw conflict(`${person.name} is already ${placed.description}.`);
		}
		await bumpVersion(work.trx, person.id);
		const county = input.grant.kind === 'county';
		await work.record({
			action: county ? 'countyRole.changed' : 'role.granted',
			subject: { type: 'person', id: person.id },
			summary: `${county ? 'County role changed' : 'Role added'}: ${placed.description}`,
			reason: input.reason ?? null,
			detail: county ? { grant: placed.grant, from, to: input.grant.role } : { grant: placed.grant },
			activity: placed.clusterId === null ? undefined : { clusterId: placed.clusterId, verb: 'role.granted', summary: `${person.name} is now ${placed.description}` },
			notify: grantedNotice(actor, placed, person.id)
		});
		await membershipChanged(work, [placed.clusterId], [person.id]);
	});
}

/** The role being removed, deleted; undefined when this person does not hold it. */
async function removeMembership(trx: Trx, userId: number, membership: { kind: 'setting' | 'cluster'; id: number }): Promise<PlacedGrant | undefined> {
	const grant: Grant | undefined =
		membership.kind === 'setting'
			? await trx
					.deleteFrom('setting_membership')
					.where('id', '=', membership.id)
					.where('user_id', '=', userId)
					.returning(['setting_id', 'role'])
					.executeTakeFirst()
					.then((row) => row && { kind: 'setting', settingId: row.setting_id, role: row.role })
			: await trx
					.deleteFrom('cluster_role')
					.where('id', '=', membership.id)
					.where('user_id', '=', userId)
					.returning(['cluster_id', 'role'])
					.executeTakeFirst()
					.then((row) => row && { kind: 'cluster', clusterId: row.cluster_id, role: row.role });
	return grant && placeGrant(trx, grant, true);
}

export async function revokeRole(db: Database, actor: Actor, raw: unknown): Promise<void> {
	assertCan(actor, { action: 'people.manage' });
	const input = parseInput(revokeRoleSchema, raw);
	await transact(db, actor.id, async (work) => {
		const person = await lockPerson(work.trx, input.userId);
		assertChange(actor, person, 'roles');
		const placed = await removeMembership(work.trx, person.id, input.membership);
		if (!placed) throw notFound('That role');
		await bumpVersion(work.trx, person.id);
		await work.record({
			action: 'role.revoked',
			subject: { type: 'person', id: person.id },
			summary: `Role removed: ${placed.description}`,
			reason: input.reason ?? null,
			detail: { grant: placed.grant },
			activity: placed.clusterId === null ? undefined : { clusterId: placed.clusterId, verb: 'role.revoked', summary: `${person.name} is no longer ${placed.description}` },
			notify: {
				userIds: [person.id],
				kind: 'role.revoked',
				title: `You are no longer ${placed.description}`,
				body: `${actor.name} removed this role. If you think this is a mistake, contact the council’s SEND team.`,
				link: null
			}
		});
		await membershipChanged(work, [placed.clusterId], [person.id]);
	});
}

const describeCountyRole = (role: CountyRole | null) => (role ? describeGrant({ kind: 'county', role }, {}) : 'no county role');

/** Makes someone a council officer or administrator, or removes that role (`role: null`). Administrators only. */
export async function setCountyRole(db: Database, actor: Actor, raw: unknown): Promise<void> {
	assertCan(actor, { action: 'people.manage' });
	const input = parseInput(setCountyRoleSchema, raw);
	assertCan(actor, { action: 'people.grantCountyRole', role: input.role ?? 'officer' });
	await transact(db, actor.id, async (work) => {
		const person = await lockPerson(work.trx, input.userId);
		assertChange(actor, person, 'countyRole');
		const from = person.county_role;
		if (from === input.role) {
			throw conflict(input.role ? `${person.name} is already ${describeCountyRole(input.role)}.` : `${person.name} has no county role.`);
		}
		await work.trx
			.updateTable('app_user')
			.set((eb) => ({ county_role: input.role, version: eb('version', '+', 1) }))
			.where('id', '=', person.id)
			.execute();
		await work.record({
			action: 'countyRole.changed',
			subject: { type: 'person', id: person.id },
			summary: `County role changed: From ${describeCountyRole(from)} to ${describeCountyRole(input.role)}`,
			reason: input.reason,
			detail: { from, to: input.role },
			notify: {
				userIds: [person.id],
				kind: 'role.changed',
				title: input.role ? `You are now ${describeCountyRole(input.role)}` : `You are no longer ${describeCountyRole(from)}`,
				body: `${actor.name} changed your county role.`,
				link: '/',
				email: true
			}
		});
		await publishAccessChanged(work, [person.id]);
	});
}
