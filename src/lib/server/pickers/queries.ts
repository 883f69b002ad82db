import type { Database } from '../db';
import { ANYWHERE_MIN_LENGTH, textMatches } from '../search';
import { clustersWithParent } from '../clusters/tree';
import type { PickerOption, PickerResult } from '$lib/picker';

// The pickers' searches. Matching a name or town (`search.ts`) uses the trigram and prefix indexes
// (`setting_name_trgm`, `setting_town_trgm`, `setting_name_prefix`, `cluster_name_trgm`, `cluster_name_prefix`), and a
// search that matches thousands walks `setting_name_order` and stops at a screenful, so a search costs the same
// for one county as for England; a page shows at most PICKER_LIMIT matches and says when there are more.

export const PICKER_LIMIT = 20;

/** Where a picked setting may come from: any setting in an active locality, or one cluster's settings less some. */
export type SettingScope = { kind: 'county' } | { kind: 'cluster'; clusterId: number; excluding: number[] };

/** The settings' search (exported for its query-plan test). `ids` picks exact settings instead (a choice already made). */
export function settingSearchQuery(db: Database, scope: SettingScope, search: { query?: string; ids?: number[] }, limit = PICKER_LIMIT + 1) {
	let query = db
		.selectFrom('setting as s')
		.innerJoin('cluster as l', 'l.id', 's.cluster_id')
		.leftJoin('cluster as d', 'd.id', 'l.parent_id')
		.select(['s.id', 's.name', 's.town', 's.urn', 'l.name as locality_name', 'd.name as district_name'])
		.where('l.status', '=', 'active')
		.orderBy('s.name')
		.orderBy('s.id')
		.limit(limit);
	if (scope.kind === 'cluster') {
		// The cluster and its localities first (by id and `cluster_by_parent`), then their settings (`setting_cluster`).
		const { clusterId } = scope;
		query = query.where('s.cluster_id', 'in', (eb) =>
			eb
				.selectFrom('cluster as own')
				.select('own.id')
				.where((w) => w.or([w('own.id', '=', clusterId), w('own.parent_id', '=', clusterId)]))
		);
		if (scope.excluding.length) query = query.where('s.id', 'not in', scope.excluding);
	}
	if (search.ids) query = query.where('s.id', 'in', search.ids.length ? search.ids : [0]);
	if (search.query) {
		const text = search.query;
		// A town is matched anywhere only: one or two letters find names starting with them, or a URN.
		const town = text.length >= ANYWHERE_MIN_LENGTH ? [textMatches('s.town', text)] : [];
		query = query.where((eb) => eb.or([textMatches('s.name', text), ...town, eb('s.urn', '=', text)]));
	}
	return query;
}

export async function searchSettings(db: Database, scope: SettingScope, search: { query?: string; ids?: number[] }): Promise<PickerResult> {
	const rows = await settingSearchQuery(db, scope, search).execute();
	return {
		options: rows.slice(0, PICKER_LIMIT).map(
			(s): PickerOption => ({
				value: String(s.id),
				label: `${s.name}, ${s.town}`,
				hint: s.district_name ? `${s.locality_name} locality, ${s.district_name}` : `${s.locality_name} cluster`
			})
		),
		more: rows.length > PICKER_LIMIT
	};
}

/** Which clusters a cluster picker offers: any active one, or active localities or districts only. */
export type ClusterScope = 'any' | 'locality' | 'district';

/** Active clusters by name (exported for its query-plan test); `ids` picks exact clusters instead. */
export function clusterSearchQuery(db: Database, search: { query?: string; ids?: number[]; scope?: ClusterScope }, limit = PICKER_LIMIT + 1) {
	let query = clustersWithParent(db)
		.select(['c.id', 'c.name', 'c.kind', 'p.name as parent_name'])
		.where('c.status', '=', 'active')
		.orderBy('c.name')
		.orderBy('c.id')
		.limit(limit);
	if (search.ids) query = query.where('c.id', 'in', search.ids.length ? search.ids : [0]);
	if (search.query) query = query.where(textMatches('c.name', search.query));
	if (search.scope === 'locality' || search.scope === 'district') query = query.where('c.kind', '=', search.scope);
	return query;
}

/** Clusters matching a search as picker options; `plain` labels them by name alone (a public district filter, where "(district)" says nothing). */
export async function searchClusters(db: Database, search: { query?: string; ids?: number[]; scope?: ClusterScope; plain?: boolean }): Promise<PickerResult> {
	const rows = await clusterSearchQuery(db, search).execute();
	return {
		options: rows.slice(0, PICKER_LIMIT).map(
			(c): PickerOption => search.plain ? { value: String(c.id), label: c.name } : ({
				value: String(c.id),
				label: c.kind === 'district' ? `${c.name} (district)` : `${c.name} (locality)`,
				hint: c.kind === 'district' ? 'District cluster' : `Locality in ${c.parent_name ?? 'a district'}`
			})
		),
		more: rows.length > PICKER_LIMIT
	};
}
