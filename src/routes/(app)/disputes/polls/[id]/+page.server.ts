import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { formAction } from '$lib/server/forms';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { currentSeq } from '$lib/server/live/server';
import { answerPoll, answersFromForm, bookSlot, cancelMeeting, declareConflict, openPollView } from '$lib/server/disputes';
import { pollRoom } from '$lib/disputes/live';

// A case's meeting poll: for the district's SENDIASS officers the ranking (live as members
// answer), booking, rescheduling and cancelling; for a member asked, their own answers and the
// conflict button. Names the case by reference only.
export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const id = parseId(params.id);
	depends(`dpoll:${id}`);
	// The room's event number before the data: an answer committed while the view is read is
	// replayed when the page joins the room, never lost between the two reads.
	const seq = await currentSeq(db, pollRoom(id));
	const view = await forPage(openPollView(db, actor, id));
	return { view, seq: view.officer ? seq : 0, done: url.searchParams.get('done') };
};

const back = (pollId: string, done: string) => `/disputes/polls/${pollId}?done=${done}`;

export const actions: Actions = {
	answer: formAction({
		form: 'answer',
		fields: ['pollId', 'memberId'],
		visible: [],
		run: ({ db, actor, values, data }) => answerPoll(db, actor, answersFromForm(data, values)),
		done: (_, { values }) => back(values.pollId, 'answered')
	}),
	conflict: formAction({
		form: 'answer',
		fields: ['pollId', 'memberId'],
		visible: [],
		run: ({ db, actor, values }) => declareConflict(db, actor, values),
		done: (_, { values }) => back(values.pollId, 'conflict')
	}),
	book: formAction({
		form: 'book',
		fields: ['pollId', 'slotId', 'version'],
		visible: [],
		run: ({ db, actor, values }) => bookSlot(db, actor, values),
		done: (_, { values }) => back(values.pollId, 'booked')
	}),
	cancel: formAction({
		form: 'cancel',
		fields: ['pollId', 'version', 'reason'],
		visible: ['reason'],
		run: ({ db, actor, values }) => cancelMeeting(db, actor, values),
		done: (_, { values }) => back(values.pollId, 'cancelled')
	})
};
