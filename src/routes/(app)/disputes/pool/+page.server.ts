import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { formAction } from '$lib/server/forms';
import { forPage, requireActor } from '$lib/server/pages';
import { readCursor } from '$lib/server/paging';
import { idFromText } from '$lib/schemas/common';
import { notFound } from '$lib/server/errors';
import { districtPool, POOL_KEY, saveMember, setQuorum } from '$lib/server/disputes';

// A district's panel pool and quorum rule, kept by its SENDIASS officers.
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const districtId = idFromText(url.searchParams.get('district'));
	if (districtId === null) return forPage(Promise.reject(notFound('That district')));
	const { db } = await portal();
	const view = await forPage(districtPool(db, actor, districtId, readCursor(url.searchParams.get('page'), POOL_KEY)));
	return { view, done: url.searchParams.get('done') };
};

const MEMBER_FIELDS = ['districtId', 'email', 'employer', 'councilEmployee', 'trustNames', 'version'];

export const actions: Actions = {
	member: formAction({
		form: 'member',
		fields: MEMBER_FIELDS,
		visible: ['email', 'roles', 'employer', 'councilEmployee', 'trustNames'],
		run: ({ db, actor, values, data }) => saveMember(db, actor, { ...values, roles: data.getAll('roles').map(String) }),
		done: (_, { values }) => `/disputes/pool?district=${values.districtId}&done=member`
	}),
	quorum: formAction({
		form: 'quorum',
		fields: ['districtId', 'chairRequired', 'minimumMembers', 'reason', 'version'],
		visible: ['chairRequired', 'minimumMembers', 'requiredRoles', 'reason'],
		run: ({ db, actor, values, data }) => setQuorum(db, actor, { ...values, requiredRoles: data.getAll('requiredRoles').map(String) }),
		done: (_, { values }) => `/disputes/pool?district=${values.districtId}&done=quorum`
	})
};
