import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor, requirePermission } from '$lib/server/pages';
import {
	clusterForSetUp,
	clusterHistory,
	mergeLocalities,
	moveSetting,
	renameCluster,
	retireLocality,
	setLeadRounds,
	type MergeOutcome
} from '$lib/server/clusters';
import { confirmedIn, textOf } from '$lib/server/forms';
import { numberOf, refuse, unconfirmed } from '../forms.server';
import { ownValue } from '$lib/schemas/common';

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
	const history = await clusterHistory(db, id);
	return { ...setUp, history, done: ownValue(DONE, url.searchParams.get('done')) ?? null };
};

async function signedInOfficer(locals: App.Locals, url: URL) {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'clusters.manage' });
	return actor;
}

export const actions: Actions = {
	leadRounds: async ({ locals, url, params, request }) => {
		const actor = await signedInOfficer(locals, url);
		const clusterId = parseId(params.id);
		const form = await request.formData();
		const values = { allowed: textOf(form, 'allowed'), reason: textOf(form, 'reason'), version: textOf(form, 'version') };
		const { db } = await portal();
		try {
			await setLeadRounds(db, actor, {
				clusterId,
				allowed: values.allowed === 'yes' ? true : values.allowed === 'no' ? false : undefined,
				reason: values.reason,
				version: numberOf(values.version)
			});
		} catch (caught) {
			return refuse(caught, 'leadRounds', values, ['allowed', 'reason']);
		}
		redirect(303, `/admin/clusters/${clusterId}?done=leadRounds`);
	},

	rename: async ({ locals, url, params, request }) => {
		const actor = await signedInOfficer(locals, url);
		const clusterId = parseId(params.id);
		const form = await request.formData();
		const values = { name: textOf(form, 'name'), reason: textOf(form, 'reason'), version: textOf(form, 'version') };
		const { db } = await portal();
		try {
			await renameCluster(db, actor, { clusterId, name: values.name, reason: values.reason, version: numberOf(values.version) });
		} catch (caught) {
			return refuse(caught, 'rename', values, ['name', 'reason']);
		}
		redirect(303, `/admin/clusters/${clusterId}?done=renamed`);
	},

	merge: async ({ locals, url, params, request }) => {
		const actor = await signedInOfficer(locals, url);
		const sourceId = parseId(params.id);
		const form = await request.formData();
		const targetId = textOf(form, 'targetId');
		const values = {
			targetId,
			reason: textOf(form, 'reason'),
			sourceVersion: textOf(form, 'sourceVersion'),
			// Each locality on offer carries the version the officer saw, so a change to the chosen one is caught.
			targetVersion: /^\d+$/.test(targetId) ? textOf(form, `targetVersion.${targetId}`) : ''
		};
		if (!confirmedIn(form)) return unconfirmed('merge', 'merge these locality clusters', values);
		const { db } = await portal();
		let merged: MergeOutcome;
		try {
			merged = await mergeLocalities(db, actor, {
				sourceId,
				targetId: numberOf(values.targetId),
				sourceVersion: numberOf(values.sourceVersion),
				targetVersion: numberOf(values.targetVersion),
				reason: values.reason
			});
		} catch (caught) {
			return refuse(caught, 'merge', values, ['targetId', 'reason']);
		}
		redirect(303, `/admin/clusters/${merged.targetId}?done=merged`);
	},

	retire: async ({ locals, url, params, request }) => {
		const actor = await signedInOfficer(locals, url);
		const clusterId = parseId(params.id);
		const form = await request.formData();
		const values = { reason: textOf(form, 'reason'), version: textOf(form, 'version') };
		if (!confirmedIn(form)) return unconfirmed('retire', 'retire this locality cluster', values);
		const { db } = await portal();
		try {
			await retireLocality(db, actor, { clusterId, reason: values.reason, version: numberOf(values.version) });
		} catch (caught) {
			return refuse(caught, 'retire', values, ['reason']);
		}
		redirect(303, `/admin/clusters/${clusterId}?done=retired`);
	},

	move: async ({ locals, url, params, request }) => {
		const actor = await signedInOfficer(locals, url);
		const clusterId = parseId(params.id);
		const form = await request.formData();
		const values = {
			settingId: textOf(form, 'settingId'),
			toClusterId: textOf(form, 'toClusterId'),
			reason: textOf(form, 'reason'),
			version: textOf(form, 'version')
		};
		const { db } = await portal();
		try {
			await moveSetting(db, actor, {
				settingId: numberOf(values.settingId),
				toClusterId: numberOf(values.toClusterId),
				reason: values.reason,
				version: numberOf(values.version)
			});
		} catch (caught) {
			return refuse(caught, /^\d+$/.test(values.settingId) ? `move-${values.settingId}` : 'move', values, ['toClusterId', 'reason']);
		}
		redirect(303, `/admin/clusters/${clusterId}?done=moved`);
	}
};
