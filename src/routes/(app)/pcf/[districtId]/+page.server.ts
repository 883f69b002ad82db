import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { formAction } from '$lib/server/forms';
import { GROUP_APPLICATIONS_KEY, GROUP_BIDS_KEY, GROUP_ROUNDS_KEY, groupPage } from '$lib/server/pcf/queries';
import { setGroup, setWatch } from '$lib/server/pcf/commands';
import { CONSULTATIONS_KEY, districtConsultations } from '$lib/server/pcf/consultations';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const cursors = {
		bids: readCursor(url.searchParams.get('page'), GROUP_BIDS_KEY),
		rounds: readCursor(url.searchParams.get('rounds'), GROUP_ROUNDS_KEY),
		applications: readCursor(url.searchParams.get('applications'), GROUP_APPLICATIONS_KEY)
	};
	const districtId = parseId(params.districtId);
	const page = await forPage(groupPage(db, actor, districtId, cursors));
	// The district's consultations and steering group decision items, paged on their own parameter.
	const consultations = await forPage(districtConsultations(db, actor, districtId, readCursor(url.searchParams.get('consultations'), CONSULTATIONS_KEY)));
	return { ...page, consultations, done: url.searchParams.get('done') === 'saved' };
};

const districtOf = (params: { districtId: string }) => parseId(params.districtId);

export const actions: Actions = {
	group: formAction({
		form: 'group',
		fields: ['version', 'leadUserId', 'answerWithinDays'],
		visible: ['leadUserId', 'answerWithinDays'],
		run: ({ db, actor, values, params }) =>
			setGroup(db, actor, { ...values, districtId: districtOf(params), leadUserId: values.leadUserId ? values.leadUserId : null }),
		done: (_, { params }) => `/pcf/${params.districtId}?done=saved`
	}),
	watch: formAction({
		form: 'watch',
		fields: ['bidId', 'applicationId', 'watch'],
		visible: [],
		run: ({ db, actor, values, params }) =>
			setWatch(db, actor, { districtId: districtOf(params), bidId: values.bidId || undefined, applicationId: values.applicationId || undefined, watch: values.watch === 'yes' }),
		done: (_, { params, url }) => `/pcf/${params.districtId}${url.search}`
	})
};
