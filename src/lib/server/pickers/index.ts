import { z } from 'zod';
import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan } from '../policy';
import { parseInput } from '../input';
import { loadBidRef, writingSettings } from '../bids/access';
import { clusterSearchSchema, settingSearchSchema, type ClusterPick } from '$lib/schemas/pickers';
import type { PickerResult, PickerState } from '$lib/picker';
import { idFromText } from '$lib/schemas/common';
import { searchClusters, searchSettings, type ClusterScope, type SettingScope } from './queries';

// Search pickers for a setting or a cluster, limited to what the person may pick: an officer
// giving a role may pick any setting in an active locality and any active cluster; the lead's
// staff adding a partner to a bid may pick the other settings of the bid's cluster; an officer
// moving a setting in county set-up may pick any active locality, and one creating a locality any
// active district; an officer linking an academy
// to a trust may pick any setting (the command refuses one that is not an academy). The policy decides, as for the
// command the pick is for (`people.manage`, `bid.managePartners`, `clusters.manage`, `capital.manage`), so a
// person is never shown choices the command would refuse them.

export { PICKER_LIMIT } from './queries';

const NOTHING: PickerResult = { options: [], more: false };

async function settingScope(db: Database, actor: Actor, bidId: number | undefined, purpose: 'role' | 'trust' = 'role'): Promise<SettingScope> {
	if (purpose === 'trust') {
		assertCan(actor, { action: 'capital.manage' });
		return { kind: 'county' };
	}
	if (bidId === undefined) {
		assertCan(actor, { action: 'people.manage' });
		return { kind: 'county' };
	}
	const bid = await loadBidRef(db, bidId);
	assertCan(actor, { action: 'bid.managePartners', bid });
	return { kind: 'cluster', clusterId: bid.clusterId, excluding: writingSettings(bid) };
}

/** Settings matching a search. A county-wide picker shows nothing until something is typed; a bid's shows its cluster's first few. */
export async function settingPicker(db: Database, actor: Actor, raw: unknown): Promise<PickerResult> {
	const input = parseInput(settingSearchSchema, raw);
	const scope = await settingScope(db, actor, input.bidId, input.for);
	if (!input.query && scope.kind === 'county') return NOTHING;
	return searchSettings(db, scope, { query: input.query });
}

/** What a cluster pick is for decides who may search and what is offered (see the schema). */
function clusterScope(actor: Actor, purpose: ClusterPick): ClusterScope {
	if (purpose === 'district') {
		assertCan(actor, { action: 'districts.search' });
		return 'district';
	}
	if (purpose === 'moveSetting' || purpose === 'createLocality') {
		assertCan(actor, { action: 'clusters.manage' });
		return purpose === 'moveSetting' ? 'locality' : 'district';
	}
	assertCan(actor, { action: 'people.manage' });
	return 'any';
}

/** Active clusters matching a search (for a cluster role, localities to move a setting to, or districts to create a locality in), for officers. */
export async function clusterPicker(db: Database, actor: Actor, raw: unknown): Promise<PickerResult> {
	const input = parseInput(clusterSearchSchema, raw);
	const scope = clusterScope(actor, input.for);
	return input.query ? searchClusters(db, { query: input.query, scope }) : NOTHING;
}

/**
 * A picker as a page renders it without JavaScript: the search from the address (`?settingQuery=`)
 * and its matches, and the choice already made (an id from the address or the refused post), so it
 * stays in view. Hand-edited junk searches for nothing rather than failing the page.
 */
export async function pickerState(
	db: Database,
	actor: Actor,
	kind: 'setting' | 'cluster',
	asked: { query: string | null; chosen: string | null; bidId?: number; for?: ClusterPick | 'trust' }
): Promise<PickerState> {
	const parsed = (kind === 'setting' ? settingSearchSchema : clusterSearchSchema).safeParse({ query: asked.query ?? '', bidId: asked.bidId });
	const query = parsed.success ? parsed.data.query : '';
	// What the pick is for, in each kind's own words.
	const settingFor = asked.for === 'trust' ? 'trust' : 'role';
	const clusterFor: ClusterPick = asked.for === 'moveSetting' || asked.for === 'createLocality' || asked.for === 'district' ? asked.for : 'role';
	const raw = { query, bidId: asked.bidId, for: kind === 'setting' ? settingFor : clusterFor };
	const chosenId = idFromText(asked.chosen);
	const [found, chosen] = await Promise.all([
		kind === 'setting' ? settingPicker(db, actor, raw) : clusterPicker(db, actor, raw),
		chosenId === null
			? null
			: kind === 'setting'
				? searchSettings(db, await settingScope(db, actor, asked.bidId, settingFor), { ids: [chosenId] })
				: searchClusters(db, { ids: [chosenId], scope: clusterScope(actor, clusterFor) })
	]);
	return { query, ...found, chosen: chosen?.options[0] ?? null };
}

/** Form data or an address's parameters: where a picker's search and choice are read from. */
interface Fields {
	get(name: string): FormDataEntryValue | null;
}
const text = (fields: Fields, name: string) => {
	const value = fields.get(name);
	return typeof value === 'string' ? value : null;
};

/** One picker as posted or searched (`queryName`, `chosenName` read from a form or an address), for what the pick is for. */
export const pickerFrom = (
	db: Database,
	actor: Actor,
	kind: 'setting' | 'cluster',
	fields: Fields,
	names: { query: string; chosen: string; for?: ClusterPick | 'trust' }
): Promise<PickerState> => pickerState(db, actor, kind, { query: text(fields, names.query), chosen: text(fields, names.chosen), for: names.for });

/**
 * A report's district filter: the district the report is showing (chosen in the address, or the
 * person's own by default; null for all of them) and the search typed without JavaScript
 * (`?districtQuery=…`, the filter form's other fields riding along).
 */
export const districtFilterPicker = (db: Database, actor: Actor, params: URLSearchParams, shown: number | null): Promise<PickerState> =>
	pickerState(db, actor, 'cluster', { query: params.get('districtQuery'), chosen: shown === null ? null : String(shown), for: 'district' });

/**
 * The public pages' district filter (families have no accounts): active districts by name, which
 * every public page already shows, so no policy is asked; nothing else about a cluster is offered.
 * `query` is what was typed (junk searches for nothing), `chosen` the district in the address.
 */
export async function publicDistrictPicker(db: Database, asked: { query: string | null; chosen: number | null }): Promise<PickerState> {
	const query = publicDistrictQuery(asked.query);
	const [found, chosen] = await Promise.all([
		query ? searchClusters(db, { query, scope: 'district', plain: true }) : NOTHING,
		asked.chosen === null ? null : searchClusters(db, { ids: [asked.chosen], scope: 'district', plain: true })
	]);
	return { query, ...found, chosen: chosen?.options[0] ?? null };
}

/** What the public district search answers (the live search on public pages): a checked search, refused with the field's words when too long. */
export async function publicDistrictSearch(db: Database, raw: string | null): Promise<PickerResult> {
	const query = parseInput(z.object({ query: clusterSearchSchema.shape.query }), { query: raw ?? '' }).query;
	return query ? searchClusters(db, { query, scope: 'district', plain: true }) : NOTHING;
}

/** A search typed into a page's address: junk searches for nothing rather than failing the page. */
const publicDistrictQuery = (raw: string | null) => {
	const parsed = clusterSearchSchema.shape.query.safeParse(raw ?? '');
	return parsed.success ? parsed.data : '';
};

/** The invite and add-role forms' setting and cluster pickers (`settingQuery`/`settingId`, `clusterQuery`/`clusterId`). */
export async function grantPickers(db: Database, actor: Actor, fields: Fields) {
	const [settings, clusters] = await Promise.all([
		pickerState(db, actor, 'setting', { query: text(fields, 'settingQuery'), chosen: text(fields, 'settingId') }),
		pickerState(db, actor, 'cluster', { query: text(fields, 'clusterQuery'), chosen: text(fields, 'clusterId') })
	]);
	return { settings, clusters };
}
export type GrantPickers = Awaited<ReturnType<typeof grantPickers>>;
