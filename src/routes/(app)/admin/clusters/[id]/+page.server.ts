import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor, requirePermission } from '$lib/server/pages';
import {
	clusterForSetUp,
	clusterHistory,
	HISTORY_KEY,
	mergeLocalities,
	moveSetting,
	renameCluster,
	retireLocality,
	setLeadRounds
} from '$lib/server/clusters';
import { formAction, postedForm, refusalKeeping, textOf } from '$lib/server/forms';
import { numberOf } from '../../forms.server';
import { ownValue } from '$lib/schemas/common';
import { readCursor } from '$lib/server/paging';
import { pickerFrom } from '$lib/server/pickers';
import { idFromText } from '$lib/schemas/common';
import type { Database } from '$lib/server/db';
import type { Actor } from '$lib/server/auth/actor';

/**
 * The locality picker of one setting's move form: searched without JavaScript by a GET to this page
 * (`?settingId=…&moveQuery=…`), or kept from a refused post, so what was typed and chosen stays in view.
 */
const moveSettingPicker = (db: Database, actor: Actor, fields: { get(name: string): FormDataEntryValue | null }) =>
	pickerFrom(db, actor, 'cluster', fields, { query: 'moveQuery', chosen: 'toClusterId', for: 'moveSetting' });

// After a change the page redirects here with what was done, so a refresh never repeats it.
const DONE: Record<string, string> = {
	created: 'Locality cluster created.',
	renamed: 'Cluster renamed.',
	merged: 'Locality clusters merged. The settings and roles of the merged cluster are now in this one.',
	retired: 'Locality cluster retired. Its history is kept below.',
	moved: 'Setting moved.',
	leadRounds: 'Saved who may run funding rounds.'
};

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'clusters.manage' });
	const id = parseId(params.id);
	const { db } = await portal();
	const setUp = await forPage(clusterForSetUp(db, id));
	const history = await clusterHistory(db, id, readCursor(url.searchParams.get('history'), HISTORY_KEY));
	// Only the setting whose move form was searched has matches; the others start with an empty search box.
	const movingId = idFromText(url.searchParams.get('settingId'));
	const moving =
		movingId === null ? null : { settingId: movingId, picker: await moveSettingPicker(db, actor, url.searchParams), reason: url.searchParams.get('reason') ?? '' };
	return { ...setUp, history, moving, done: ownValue(DONE, url.searchParams.get('done')) ?? null };
};

/** Which cluster the page is about; every action redirects back to it with what was done. */
const clusterOf = (params: { id: string }) => parseId(params.id);
const doneHere = (params: { id: string }, done: string) => `/admin/clusters/${clusterOf(params)}?done=${done}`;

export const actions: Actions = {
	leadRounds: formAction<unknown, { id: string }>({
		form: 'leadRounds',
		fields: ['allowed', 'reason', 'version'],
		visible: ['allowed', 'reason'],
		run: ({ db, actor, values, params }) =>
			setLeadRounds(db, actor, {
				clusterId: clusterOf(params),
				allowed: values.allowed === 'yes' ? true : values.allowed === 'no' ? false : undefined,
				reason: values.reason,
				version: numberOf(values.version)
			}),
		done: (_, { params }) => doneHere(params, 'leadRounds')
	}),

	rename: formAction<unknown, { id: string }>({
		form: 'rename',
		fields: ['name', 'reason', 'version'],
		visible: ['name', 'reason'],
		run: ({ db, actor, values, params }) => renameCluster(db, actor, { ...values, clusterId: clusterOf(params), version: numberOf(values.version) }),
		done: (_, { params }) => doneHere(params, 'renamed')
	}),

	merge: formAction<{ targetId: number }, { id: string }>({
		form: 'merge',
		fields: ['targetId', 'reason', 'sourceVersion'],
		visible: ['targetId', 'reason'],
		confirm: 'merge these locality clusters',
		run: ({ db, actor, values, data, params }) =>
			mergeLocalities(db, actor, {
				sourceId: clusterOf(params),
				targetId: numberOf(values.targetId),
				sourceVersion: numberOf(values.sourceVersion),
				// Each locality on offer carries the version the officer saw, so a change to the chosen one is caught.
				targetVersion: /^\d+$/.test(values.targetId) ? numberOf(textOf(data, `targetVersion.${values.targetId}`)) : undefined,
				reason: values.reason
			}),
		done: (merged) => `/admin/clusters/${merged.targetId}?done=merged`
	}),

	retire: formAction<unknown, { id: string }>({
		form: 'retire',
		fields: ['reason', 'version'],
		visible: ['reason'],
		confirm: 'retire this locality cluster',
		run: ({ db, actor, values, params }) => retireLocality(db, actor, { clusterId: clusterOf(params), reason: values.reason, version: numberOf(values.version) }),
		done: (_, { params }) => doneHere(params, 'retired')
	}),

	// Each setting's row has its own move form (`move-<settingId>`), so it is named by what was posted.
	move: refusalKeeping(
		async (event) => {
			const settingId = textOf((await postedForm(event.request)) ?? new FormData(), 'settingId');
			return formAction<unknown, { id: string }>({
				form: /^\d+$/.test(settingId) ? `move-${settingId}` : 'move',
				fields: ['settingId', 'toClusterId', 'reason', 'version'],
				visible: ['toClusterId', 'reason'],
				run: ({ db, actor, values }) =>
					moveSetting(db, actor, {
						settingId: numberOf(values.settingId),
						toClusterId: numberOf(values.toClusterId),
						reason: values.reason,
						version: numberOf(values.version)
					}),
				done: (_, { params }) => doneHere(params, 'moved')
			})(event);
		},
		async (event, posted) => {
			const { db } = await portal();
			return { movePicker: await moveSettingPicker(db, requireActor(event.locals, event.url), posted) };
		}
	)
};
