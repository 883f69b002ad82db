import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { refuseForm, prefixedIds, textOf } from '$lib/server/forms';
import { deadLink, openLink } from '$lib/server/secret-link';
import { answerByLink, answersFromForm, declareConflict, openPollView, pollLinkHolder } from '$lib/server/disputes';
import { redirect } from '@sveltejs/kit';

// Open to visitors: the link in a panel member's poll email answers as that member, for that poll
// only (see secret-link.ts). A link that is not ours (tampered, never sent) gets the dead-link page.

const PROBLEMS = { unknown: { title: 'This link does not work', message: 'Open the meeting poll from your page on the portal instead.' } };

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	const { db } = await portal();
	const holder = await openLink(pollLinkHolder(db, params.token), PROBLEMS, setHeaders);
	const view = await openPollView(db, holder.actor, holder.pollId);
	return { view: { id: view.id, reference: view.reference, closesAt: view.closesAt, open: view.open && !view.member?.conflicted, slots: view.slots, member: view.member } };
};

export const actions: Actions = {
	answer: async ({ params, request, url }) => {
		const data = await request.formData();
		const values = { pollId: textOf(data, 'pollId'), memberId: textOf(data, 'memberId') };
		const { db } = await portal();
		try {
			await answerByLink(db, params.token, answersFromForm(data, values));
		} catch (caught) {
			return refuseForm(caught, 'answer', values, prefixedIds('answer', []));
		}
		redirect(303, `${url.pathname}?done=answered`);
	},
	conflict: async ({ params, request, url }) => {
		const data = await request.formData();
		const values = { pollId: textOf(data, 'pollId'), memberId: textOf(data, 'memberId') };
		const { db } = await portal();
		const holder = await pollLinkHolder(db, params.token);
		if (!holder.ok) deadLink(PROBLEMS, holder.problem);
		try {
			await declareConflict(db, holder.actor, values);
		} catch (caught) {
			return refuseForm(caught, 'answer', values, prefixedIds('answer', []));
		}
		redirect(303, `${url.pathname}?done=conflict`);
	}
};
