import { sql } from 'kysely';
import type { Database } from '../db';
import { auditEntries, auditEntryOf } from '../audit';
import { historySummary } from '../audit-labels';
import { notFound } from '../errors';
import { keysetPage, newestFirst, NEWEST_FIRST_KEY, timeKey, type Cursor, type KeysetPage } from '../paging';
import { districtPage, withSettingCounts } from '../workspace/queries';
import { CLUSTER_WITH_PARENT, clustersWithParent } from './tree';
import { canMerge, canRename, canRetire, roundsStillOpen, type ClusterFacts } from './rules';

// What county set-up shows. Callers ask the policy ('clusters.manage') first.

export interface LocalityNode {
	id: number;
	name: string;
	status: string;
	isRetired: boolean;
	version: number;
	settingCount: number;
	retiredAt: Date | null;
	mergedInto: { id: number; name: string } | null;
}

export interface DistrictNode {
	id: number;
	name: string;
	status: string;
	version: number;
	/** Settings in the district's active localities. */
	settingCount: number;
	activeLocalityCount: number;
	/** Active localities first, then retired ones (kept for their history), each by name. */
	localities: LocalityNode[];
}

export interface CountyPage extends Omit<KeysetPage<DistrictNode>, 'items'> {
	districts: DistrictNode[];
}

/**
 * County set-up, a page of districts at a time (by name), each with all its localities, retired
 * ones included and flagged. Setting counts come from one grouped query for the page.
 */
export async function countyTree(db: Database, cursor: Cursor | null = null): Promise<CountyPage> {
	const page = await districtPage(db, { activeOnly: false, cursor });
	const districtIds = page.items.map((district) => district.id);
	const localityRows =
		districtIds.length === 0
			? []
			: await db
					.selectFrom('cluster as c')
					.leftJoin('cluster as m', 'm.id', 'c.merged_into_id')
					.select(['c.id', 'c.name', 'c.status', 'c.parent_id', 'c.version', 'c.retired_at', 'm.id as merged_into_id', 'm.name as merged_into_name'])
					.where('c.parent_id', 'in', districtIds)
					.orderBy(sql`lower(c.name)`)
					.orderBy('c.id')
					.execute();
	const counted = await withSettingCounts(db, localityRows);

	const localityOf = (row: (typeof counted)[number]): LocalityNode => ({
		id: row.id,
		name: row.name,
		status: row.status,
		isRetired: row.status === 'retired',
		version: row.version,
		settingCount: row.setting_count,
		retiredAt: row.retired_at,
		mergedInto: row.merged_into_id !== null && row.merged_into_name !== null ? { id: row.merged_into_id, name: row.merged_into_name } : null
	});

	const districts = page.items.map((district) => {
		const localities = counted.filter((row) => row.parent_id === district.id).map(localityOf);
		const active = localities.filter((l) => !l.isRetired);
		return {
			id: district.id,
			name: district.name,
			status: district.status,
			version: district.version,
			settingCount: active.reduce((sum, l) => sum + l.settingCount, 0),
			activeLocalityCount: active.length,
			localities: [...active, ...localities.filter((l) => l.isRetired)]
		};
	});
	return { districts, next: page.next, previous: page.previous };
}

export interface ClusterSetting {
	id: number;
	name: string;
	urn: string;
	phase: string;
	town: string;
	version: number;
}

export interface ClusterForSetUp {
	cluster: ClusterFacts & {
		version: number;
		/** Whether an officer lets the cluster lead run pooled-funding rounds. */
		leadsMayOpenRounds: boolean;
		parentName: string | null;
		createdAt: Date;
		retiredAt: Date | null;
		mergedInto: { id: number; name: string } | null;
	};
	settings: ClusterSetting[];
	/** Localities of the same district this one could be merged into. */
	mergeTargets: { id: number; name: string; version: number; settingCount: number }[];
	/** Localities under a district (empty for a locality). */
	localities: { id: number; name: string; status: string; settingCount: number }[];
	/** Why the rename, merge and retire forms are not offered, if they are not. */
	renameRefusal: string[];
	mergeRefusal: string[];
	retireRefusal: string[];
	/** Funding rounds of this cluster not yet closed: they hold off a merge or retirement. */
	openRounds: { id: number; name: string }[];
}

/** A cluster's funding rounds that are not closed (open for bids, or with bids still to decide). */
export function roundsNotClosed(db: Pick<Database, 'selectFrom'>, clusterId: number) {
	return db
		.selectFrom('funding_round')
		.select(['id', 'name'])
		.where('cluster_id', '=', clusterId)
		.where('status', '!=', 'closed')
		.orderBy('id')
		.execute();
}

/** One cluster as county set-up shows it, with what can be done to it and why not. */
export async function clusterForSetUp(db: Database, clusterId: number): Promise<ClusterForSetUp> {
	const row = await clustersWithParent(db)
		.leftJoin('cluster as m', 'm.id', 'c.merged_into_id')
		.select([
			...CLUSTER_WITH_PARENT,
			'c.leads_may_open_rounds',
			'c.created_at',
			'c.retired_at',
			'm.id as merged_into_id',
			'm.name as merged_into_name'
		])
		.where('c.id', '=', clusterId)
		.executeTakeFirst();
	if (!row) throw notFound('That cluster');
	const facts: ClusterFacts = { id: row.id, name: row.name, kind: row.kind, status: row.status, parentId: row.parent_id };

	const [settings, siblings, localities] = await Promise.all([
		db
			.selectFrom('setting')
			.select(['id', 'name', 'urn', 'phase', 'town', 'version'])
			.where('cluster_id', '=', row.id)
			.orderBy('name')
			.execute(),
		row.parent_id === null
			? Promise.resolve([])
			: db
					.selectFrom('cluster as c')
					.select(['c.id', 'c.name', 'c.kind', 'c.status', 'c.parent_id', 'c.version'])
					.where('c.parent_id', '=', row.parent_id)
					.where('c.id', '!=', row.id)
					.where('c.status', '=', 'active')
					.orderBy('c.name')
					.execute()
					.then((rows) => withSettingCounts(db, rows)),
		db
			.selectFrom('cluster as c')
			.select(['c.id', 'c.name', 'c.status'])
			.where('c.parent_id', '=', row.id)
			.orderBy('c.status')
			.orderBy('c.name')
			.execute()
			.then((rows) => withSettingCounts(db, rows))
	]);

	const openRounds = await roundsNotClosed(db, row.id);
	const mergeTargets = siblings.filter((s) => canMerge(facts, { id: s.id, name: s.name, kind: s.kind, status: s.status, parentId: s.parent_id }).allowed);
	const rename = canRename(facts);
	const retire = canRetire(facts, settings.length);
	const retireRounds = roundsStillOpen(facts, openRounds, 'retired');
	let mergeRefusal: string[] = [];
	if (row.kind !== 'locality') {
		mergeRefusal = ['Only locality clusters can be merged. District clusters are fixed: one for each district.'];
	} else if (row.status !== 'active') {
		mergeRefusal = [`${row.name} has already been retired.`];
	} else if (mergeTargets.length === 0) {
		mergeRefusal = [`There is no other active locality cluster in ${row.parent_name ?? 'this district'} to merge ${row.name} into.`];
	} else {
		const rounds = roundsStillOpen(facts, openRounds, 'merged');
		if (!rounds.allowed) mergeRefusal = rounds.reasons;
	}

	return {
		cluster: {
			...facts,
			version: row.version,
			leadsMayOpenRounds: row.leads_may_open_rounds,
			parentName: row.parent_name,
			createdAt: row.created_at,
			retiredAt: row.retired_at,
			mergedInto: row.merged_into_id !== null && row.merged_into_name !== null ? { id: row.merged_into_id, name: row.merged_into_name } : null
		},
		settings,
		mergeTargets: mergeTargets.map((s) => ({ id: s.id, name: s.name, version: s.version, settingCount: s.setting_count })),
		localities: localities.map((l) => ({ id: l.id, name: l.name, status: l.status, settingCount: l.setting_count })),
		renameRefusal: rename.allowed ? [] : rename.reasons,
		mergeRefusal,
		retireRefusal: [...(retire.allowed ? [] : retire.reasons), ...(retireRounds.allowed ? [] : retireRounds.reasons)],
		openRounds
	};
}

export interface HistoryEntry {
	id: number;
	action: string;
	summary: string;
	reason: string | null;
	at: Date;
	actorName: string;
	subjectType: string;
	subjectId: number;
}

/** Cursor keys for pages of history: the time as exact text, then id. */
export const HISTORY_KEY = NEWEST_FIRST_KEY;

/**
 * The cluster's decisions, newest first, a page at a time: its own audit entries and every one
 * naming it (a merge into it, a setting moved in or out), each with who made it and why.
 */
export async function clusterHistory(db: Database, clusterId: number, cursor: Cursor | null = null, size?: number): Promise<KeysetPage<HistoryEntry>> {
	const about = { subjects: [{ type: 'cluster', ids: [clusterId] }], detailContains: { clusterIds: [clusterId] } };
	const page = await keysetPage(auditEntries(db, about).select(timeKey('a.created_at')), newestFirst('a', cursor, size));
	const items = page.items.map((row) => {
		const entry = auditEntryOf(row);
		return {
			id: entry.id,
			action: entry.action,
			summary: historySummary(entry),
			reason: entry.reason,
			at: entry.at,
			actorName: entry.actorName ?? 'The portal',
			subjectType: entry.subjectType,
			subjectId: entry.subjectId
		};
	});
	return { items, next: page.next, previous: page.previous };
}
