import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { can } from '../policy';
import { idAmong } from '../paging';
import { formatDate } from '$lib/format';
import type { DisputeCaseRef } from '../disputes/policy';
import type { TodoItem, TodoProvider } from './types';

// Dispute work waiting for someone: the agreed actions they (or their setting) own, and, for the
// district's SENDIASS officers, the cases the daily job flagged as approaching or past a target or
// a statutory deadline. Items name the case by reference only.

const SCAN_LIMIT = 200;

const officerDistricts = (actor: Actor) => actor.clusterRoles.filter((r) => r.role === 'sendiass_officer').map((r) => r.clusterId);
const staffSettings = (actor: Actor) => [...new Set(actor.settingRoles.filter((r) => r.role === 'headteacher' || r.role === 'senco').map((r) => r.settingId))];

interface RefRow {
	case_id: number;
	reference: string;
	district_id: number;
	district_name: string;
	setting_id: number | null;
}
const refOf = (row: RefRow): DisputeCaseRef => ({
	id: row.case_id,
	reference: row.reference,
	district: { id: row.district_id, name: row.district_name },
	settingId: row.setting_id,
	bookedMemberIds: [],
	conflictedMemberIds: [],
	panelWindowOpen: false
});

const casesWithDistrict = (db: Database) => db.selectFrom('dispute_case as c').innerJoin('cluster as d', 'd.id', 'c.district_id');
const REF_COLUMNS = ['c.id as case_id', 'c.reference', 'c.district_id', 'd.name as district_name', 'c.setting_id'] as const;

export const disputeTodoProviders: TodoProvider[] = [
	{
		name: 'disputes.actions',
		heading: 'Actions agreed at a dispute-resolution panel',
		appliesTo: (actor) => staffSettings(actor).length > 0 || officerDistricts(actor).length > 0,
		async find(db, actor, limit) {
			const settings = staffSettings(actor);
			const rows = await casesWithDistrict(db)
				.innerJoin('dispute_action as a', 'a.case_id', 'c.id')
				.select([...REF_COLUMNS, 'a.id', 'a.description', 'a.due_on'])
				.where('c.status', '=', 'outcome')
				.where('a.done_at', 'is', null)
				// The person's own open actions and their settings' (from the settings' cases), each found
				// on its own index, instead of an OR across two tables that walked every open action.
				.where(
					idAmong('a.id', [
						db.selectFrom('dispute_action as mine').select('mine.id').where('mine.owner_user_id', '=', actor.id).where('mine.done_at', 'is', null),
						...(settings.length
							? [
									db
										.selectFrom('dispute_action as ours')
										.select('ours.id')
										.where(idAmong('ours.case_id', [db.selectFrom('dispute_case as k').select('k.id').where('k.setting_id', 'in', settings)]))
										.where('ours.owner_kind', '=', 'setting')
										.where('ours.done_at', 'is', null)
								]
							: [])
					])
				)
				.orderBy('a.due_on')
				.orderBy('a.id')
				.limit(SCAN_LIMIT)
				.execute();
			const items: TodoItem[] = rows
				.filter((row) => can(actor, { action: 'disputes.actions.view', case: refOf(row) }).allowed)
				.map((row) => ({ key: `dispute.action:${row.id}`, title: row.description, detail: `Agreed on case ${row.reference}, due ${formatDate(row.due_on)}`, link: `/disputes/${row.case_id}/outcome`, dueAt: row.due_on }));
			return { items: items.slice(0, limit), total: items.length };
		}
	},
	{
		name: 'disputes.flags',
		heading: 'Dispute cases near or past a target or deadline',
		appliesTo: (actor) => officerDistricts(actor).length > 0,
		async find(db, actor, limit) {
			const rows = await casesWithDistrict(db)
				.innerJoin('dispute_flag as f', 'f.case_id', 'c.id')
				.select([...REF_COLUMNS, 'f.key', 'f.what', 'f.level', 'f.due_on'])
				// The flags' own district: read from their index, not by walking the districts' cases.
				.where('f.district_id', 'in', officerDistricts(actor))
				.orderBy('f.due_on')
				.orderBy('c.id')
				.limit(SCAN_LIMIT)
				.execute();
			const items: TodoItem[] = rows
				.filter((row) => can(actor, { action: 'disputes.case.manage', case: refOf(row) }).allowed)
				.map((row) => ({
					key: `dispute.flag:${row.case_id}:${row.key}`,
					title: `${row.reference}: ${row.what}`,
					detail: `${row.level === 'past' ? 'Passed' : 'Due'} ${formatDate(row.due_on)}`,
					link: `/disputes/${row.case_id}`,
					dueAt: row.due_on
				}));
			return { items: items.slice(0, limit), total: items.length };
		}
	}
];
