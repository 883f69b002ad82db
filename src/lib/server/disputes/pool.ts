import { sql } from 'kysely';
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan } from '../policy';
import { parseInput } from '../input';
import { transact, type Work } from '../work';
import { conflict, invalid, notFound } from '../errors';
import { keysetPage, type Cursor, type KeyKind, type KeysetPage } from '../paging';
import { adviserSchema, memberSchema, quorumSchema } from '$lib/schemas/disputes-panel';
import { DEFAULT_QUORUM, type PanelRole, type QuorumRule } from '$lib/disputes/model';
import { districtRef, districtSettings } from './cases';
import { lockSettings } from './settings';
import { eligibility, type CaseConflicts, type PoolMember } from './rules';
import type { DistrictRef } from './policy';

// Each district's pool of panel members, kept by its SENDIASS officers: portal users with their
// panel roles and affiliations (employer, settings, trusts, the council), which the independence
// and conflict rules read. Nobody employed by the council sits in any role; they may stay listed
// (so the record says why they are left out) but are never asked. The quorum rule is per
// district, and each change is kept with who made it and why.

type Trx = Work['trx'];

/** A district's active pool as the rules read it. */
export async function poolOf(db: Database | Trx, districtId: number): Promise<PoolMember[]> {
	const rows = await db
		.selectFrom('dispute_member as m')
		.innerJoin('app_user as u', 'u.id', 'm.user_id')
		.select(['m.user_id', 'u.name', 'm.roles', 'm.council_employee', 'm.setting_ids', 'm.trust_names'])
		.where('m.district_id', '=', districtId)
		.where('m.active', '=', true)
		.where('u.is_active', '=', true)
		.orderBy('m.id')
		.execute();
	return rows.map((r) => ({ userId: r.user_id, name: r.name, roles: r.roles, councilEmployee: r.council_employee, settingIds: r.setting_ids, trustNames: r.trust_names }));
}

/** What a case says about conflicts: its setting, the SENDIASS workers who advised the family, declared conflicts. */
export async function caseConflicts(db: Database | Trx, caseId: number, settingId: number | null): Promise<CaseConflicts> {
	const [advisers, declared] = await Promise.all([
		db.selectFrom('dispute_adviser').select('user_id').where('case_id', '=', caseId).execute(),
		db.selectFrom('dispute_conflict').select('user_id').where('case_id', '=', caseId).execute()
	]);
	return { settingId, trustName: null, advisedBy: advisers.map((a) => a.user_id), declared: declared.map((d) => d.user_id) };
}

export interface PoolRow {
	id: number;
	userId: number;
	name: string;
	email: string;
	roles: PanelRole[];
	employer: string;
	councilEmployee: boolean;
	settingNames: string[];
	trustNames: string[];
	active: boolean;
	version: number;
	/** Why they are never asked, whatever the case (council employee), or null. */
	leftOut: string | null;
}

export const POOL_PAGE_SIZE = 25;
export const POOL_KEY: KeyKind[] = ['int'];

export interface PoolView {
	district: DistrictRef;
	page: KeysetPage<PoolRow>;
	quorum: QuorumRule;
	quorumVersion: number;
	/** The most recent changes to the quorum rule, newest first. */
	quorumHistory: { quorum: QuorumRule; reason: string; changedBy: string | null; changedAt: Date }[];
}

export const QUORUM_HISTORY_SHOWN = 10;

/** The district's pool (a keyset page at a time) and quorum rule with its recent history, for its SENDIASS officers. */
export async function districtPool(db: Database, actor: Actor | null, districtId: number, cursor: Cursor | null): Promise<PoolView> {
	const district = await districtRef(db, districtId);
	assertCan(actor, { action: 'disputes.pool.manage', district });
	const query = db
		.selectFrom('dispute_member as m')
		.innerJoin('app_user as u', 'u.id', 'm.user_id')
		.select((eb) => [
			'm.id',
			'm.user_id as userId',
			'u.name',
			'u.email',
			'm.roles',
			'm.employer',
			'm.council_employee as councilEmployee',
			'm.trust_names as trustNames',
			'm.active',
			'm.version',
			eb
				.selectFrom('setting as s')
				.select(sql<string[]>`coalesce(array_agg(s.name order by s.name), '{}')`.as('names'))
				.where(sql<boolean>`s.id = any(m.setting_ids)`)
				.as('settingNames')
		])
		.where('m.district_id', '=', district.id);
	const page = await keysetPage(query, { order: [sql`m.id`], direction: 'asc', keyOf: (row) => [row.id], cursor, size: POOL_PAGE_SIZE });
	const [settings, version, history] = await Promise.all([
		districtSettings(db, district.id),
		db.selectFrom('dispute_district').select('version').where('cluster_id', '=', district.id).executeTakeFirst(),
		db
			.selectFrom('dispute_quorum_change as q')
			.leftJoin('app_user as u', 'u.id', 'q.changed_by')
			.select(['q.quorum', 'q.reason', 'u.name as changedBy', 'q.changed_at as changedAt'])
			.where('q.district_id', '=', district.id)
			.orderBy('q.id', 'desc')
			.limit(QUORUM_HISTORY_SHOWN)
			.execute()
	]);
	const noConflicts: CaseConflicts = { settingId: null, trustName: null, advisedBy: [], declared: [] };
	return {
		district,
		page: {
			...page,
			items: page.items.map((row) => {
				const check = eligibility({ userId: row.userId, name: row.name, roles: row.roles, councilEmployee: row.councilEmployee, settingIds: [], trustNames: [] }, noConflicts);
				return { ...row, settingNames: row.settingNames ?? [], leftOut: check.eligible ? null : check.reason };
			})
		},
		quorum: settings.quorum,
		quorumVersion: version?.version ?? 0,
		quorumHistory: history
	};
}

/** Settings must be the district's own (a member's conflicts are with settings the panel could hear about). */
async function settingsInDistrict(trx: Trx, settingIds: number[], districtId: number): Promise<boolean> {
	if (settingIds.length === 0) return true;
	const { n } = await trx
		.selectFrom('setting as s')
		.innerJoin('cluster as l', 'l.id', 's.cluster_id')
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.where('s.id', 'in', settingIds)
		.where((eb) => eb.or([eb('l.parent_id', '=', districtId), eb('l.id', '=', districtId)]))
		.executeTakeFirstOrThrow();
	return Number(n) === new Set(settingIds).size;
}

/**
 * Adds a portal user to the district's pool (version 0) or changes their entry (their current
 * version): roles and affiliations. A council employee is kept but flagged and never asked.
 */
export async function saveMember(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number; version: number }> {
	const input = parseInput(memberSchema, raw);
	const district = await districtRef(db, input.districtId);
	assertCan(actor, { action: 'disputes.pool.manage', district });
	return transact(db, actor.id, async (work) => {
		const user = await work.trx.selectFrom('app_user').select(['id', 'name']).where(sql`lower(email)`, '=', input.email).where('is_active', '=', true).executeTakeFirst();
		if (!user) throw invalid('No active portal account has that email address.', { email: ['Enter the email address of someone with a portal account'] });
		if (!(await settingsInDistrict(work.trx, input.settingIds, district.id))) throw invalid(`Choose settings in ${district.name}.`, { settingIds: [`Choose settings in ${district.name}`] });
		const existing = await work.trx.selectFrom('dispute_member').select(['id', 'version']).where('district_id', '=', district.id).where('user_id', '=', user.id).forUpdate().executeTakeFirst();
		const values = {
			roles: input.roles,
			employer: input.employer,
			council_employee: input.councilEmployee,
			setting_ids: input.settingIds,
			trust_names: input.trustNames,
			active: input.active,
			// Taken off the pool, their calendar feed link ends for good (the feed refuses it meanwhile too).
			...(input.active ? {} : { feed_token_hash: null })
		};
		let saved: { id: number; version: number };
		if (!existing) {
			if (input.version !== 0) throw notFound('That pool member');
			saved = await work.trx.insertInto('dispute_member').values({ ...values, district_id: district.id, user_id: user.id }).returning(['id', 'version']).executeTakeFirstOrThrow();
		} else {
			if (input.version === 0) throw invalid(`${user.name} is already in the pool. Change their entry instead.`, { email: ['This person is already in the pool'] });
			if (existing.version !== input.version) throw conflict('Someone else changed this member’s entry while you were looking at it. Check it and save again.');
			saved = await work.trx
				.updateTable('dispute_member')
				.set((eb) => ({ ...values, version: eb('version', '+', 1) }))
				.where('id', '=', existing.id)
				.returning(['id', 'version'])
				.executeTakeFirstOrThrow();
		}
		await work.record({
			action: existing ? 'disputes.pool_member_changed' : 'disputes.pool_member_added',
			subject: { type: 'dispute_member', id: saved.id },
			summary: `${existing ? 'Changed' : 'Added'} ${user.name} ${existing ? 'in' : 'to'} ${district.name}’s panel pool${input.councilEmployee ? ' (council employee: never asked to sit)' : ''}`,
			detail: { districtId: district.id, userId: user.id, roles: input.roles, councilEmployee: input.councilEmployee, active: input.active }
		});
		return saved;
	});
}

/** Changes the district's quorum rule against the version seen, keeping the change with who and why. */
export async function setQuorum(db: Database, actor: Actor | null, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(quorumSchema, raw);
	const quorum: QuorumRule = { chairRequired: input.chairRequired, minimumMembers: input.minimumMembers, requiredRoles: [...new Set(input.requiredRoles)] };
	const seats = (quorum.chairRequired ? 1 : 0) + quorum.requiredRoles.length;
	if (seats > quorum.minimumMembers) {
		throw invalid('The panel needs at least one person per required seat.', { minimumMembers: [`Enter at least ${seats}: one for each required seat`] });
	}
	return transact(db, actor?.id ?? null, async (work) => {
		const { actor: by, district, version } = await lockSettings(work.trx, actor, input.districtId, 'disputes.pool.manage');
		if (version !== input.version) throw conflict('Someone else changed the quorum rule while you were looking at it. Check it and save again.');
		const saved = await work.trx
			.updateTable('dispute_district')
			.set((eb) => ({ quorum: JSON.stringify(quorum), version: eb('version', '+', 1) }))
			.where('cluster_id', '=', district.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		await work.trx.insertInto('dispute_quorum_change').values({ district_id: district.id, quorum: JSON.stringify(quorum), reason: input.reason, changed_by: by.id }).execute();
		await work.record({
			action: 'disputes.quorum_changed',
			subject: { type: 'dispute_district', id: district.id },
			summary: `Changed ${district.name}’s panel quorum rule`,
			reason: input.reason,
			detail: { quorum, previousDefault: version === 0 ? DEFAULT_QUORUM : undefined }
		});
		return { version: saved.version };
	});
}

/** Records that a SENDIASS worker advised the family on a case: they are conflicted from its panel. */
export async function recordAdviser(db: Database, actor: Actor | null, raw: unknown): Promise<void> {
	const input = parseInput(adviserSchema, raw);
	const row = await db.selectFrom('dispute_case as c').innerJoin('cluster as d', 'd.id', 'c.district_id').select(['c.id', 'c.reference', 'c.district_id', 'd.name']).where('c.id', '=', input.caseId).executeTakeFirst();
	if (!row) throw notFound('That case');
	assertCan(actor, { action: 'disputes.poll.run', district: { id: row.district_id, name: row.name } });
	await transact(db, actor.id, async (work) => {
		const user = await work.trx.selectFrom('app_user').select(['id', 'name']).where(sql`lower(email)`, '=', input.email).executeTakeFirst();
		if (!user) throw invalid('No portal account has that email address.', { email: ['Enter the adviser’s portal email address'] });
		await work.trx.insertInto('dispute_adviser').values({ case_id: row.id, user_id: user.id }).onConflict((oc) => oc.doNothing()).execute();
		await work.record({
			action: 'disputes.adviser_recorded',
			subject: { type: 'dispute_case', id: row.id },
			summary: `Recorded ${user.name} as having advised the family in ${row.reference}: conflicted from its panel`,
			detail: { userId: user.id }
		});
	});
}
