import type { Action } from '@sveltejs/kit';
import { portal } from '../boot';
import { currentSeq } from '../live/server';
import { forPage, parseId, requireActor } from '../pages';
import { ownValue } from '$lib/schemas/common';
import type { RoomName } from '$lib/live/events';
import type { SubjectKind } from '$lib/discussions/model';
import { adviceFor, themeList } from './queries';
import { ADVICE_DONE, adviceActions } from './advice-actions';
import { discussionActions, discussionOnPage } from '../discussions';
import type { ProposalKey } from './proposals';

// The page of the forum's advice on one proposal (a bid, a whole funding round, an inclusion-base
// application): the same load and forms for each, told which proposal, which live room, which
// dependency its live events reload, and which discussion sits below the advice.

export interface AdvicePage {
	key: ProposalKey;
	/** Its live room, whose number is read before the data so anything committed after is replayed. */
	room: RoomName;
	/** What the page's load depends on, reloaded when the room says the advice changed. */
	reloads: `${string}:${string}`;
	discussion: { kind: SubjectKind; id: number };
}

interface LoadEvent {
	locals: App.Locals;
	url: URL;
	depends: (...deps: `${string}:${string}`[]) => void;
}

export async function advicePageData(event: LoadEvent, page: AdvicePage) {
	const actor = requireActor(event.locals, event.url);
	const { db } = await portal();
	event.depends(page.reloads);
	const liveSeq = await currentSeq(db, page.room);
	const advice = await forPage(adviceFor(db, actor, page.key));
	return {
		...advice,
		liveSeq,
		...(await discussionOnPage(db, actor, page.discussion.kind, page.discussion.id, event.url, (key) => event.depends(key as `${string}:${string}`))),
		themes: await themeList(db),
		done: ownValue(ADVICE_DONE, event.url.searchParams.get('done')) ?? null
	};
}

/** The page's actions: the discussion's, and the advice forms, each naming the proposal from the route's `param`. */
export function advicePageActions(discussion: SubjectKind, param: string, keyOf: (id: number) => { bidId: number } | { roundId: number } | { applicationId: number }, path: string): Record<string, Action> {
	return {
		...discussionActions(discussion, param),
		...adviceActions<Record<string, string>>(
			(params) => keyOf(parseId(params[param] ?? '')),
			(params) => `/pcf/${path}/${params[param]}`
		)
	};
}
