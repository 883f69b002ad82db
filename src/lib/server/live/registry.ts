import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import type { Decision } from '../decision';
import type { LiveEventKind, LiveEventOf, RoomKind } from '$lib/live/events';
import { splitRoom } from '$lib/live/rooms';

// What a feature tells the live layer, in its own `server/<feature>/live.ts`: its kinds of room
// (who may join, whether members see each other) and its kinds of event (which cached reads each
// makes stale). `live-features.ts` lists the features; nothing under `live/` names one.

export interface RoomKindRegistration {
	/** The rooms' name prefix (`bid` for `bid:12`), declared for both ends in `$lib/<feature>/live.ts`. */
	kind: RoomKind;
	/**
	 * May this person be in the room with this id right now? Asked fresh on every join; asks
	 * `can()`. A row that does not exist is a refusal, in words for people.
	 */
	authorize(db: Database, actor: Actor | null, id: number): Promise<Decision>;
	/**
	 * Members are shown to each other. `sections`: the parts of the page a person can be "in",
	 * by id with the label others see; a section not listed is ignored, never relayed.
	 */
	presence?: { sections: Readonly<Record<string, string>> };
}

/** What a committed event makes stale on every instance (here after commit, elsewhere on relay). */
export interface Staleness {
	/** Workspaces (cluster ids) whose remembered read model must be read again, or all of them. */
	workspaces?: readonly number[] | 'all';
	/**
	 * Only some parts of some workspaces' read model (`{ rounds: [12] }` forgets `rounds:12` and
	 * nothing else of workspace 12): for a change that a single part shows.
	 */
	workspaceParts?: Readonly<Record<string, readonly number[]>>;
	/** People whose remembered sessions (and the roles read with them) must be checked again, or everyone's. */
	sessionsOf?: readonly number[] | 'all';
}

/** Nothing remembered on the server depends on this event (pages refetch what they show). */
export const NOTHING_STALE: Staleness = Object.freeze({});

/** One part of the workspace whose room is `room` (`cluster:12` for rounds, say), if the room is of that kind; else nothing. */
export function partOfRoom(room: string, roomKind: RoomKind, part: string): Staleness {
	const named = splitRoom(room);
	return named && named.kind === roomKind ? { workspaceParts: { [part]: [named.id] } } : NOTHING_STALE;
}

export type StaleAfter<K extends LiveEventKind> = (event: LiveEventOf<K>) => Staleness;
export type EventDeclarations = { [K in LiveEventKind]?: StaleAfter<K> };

export interface LiveFeature<E extends EventDeclarations = EventDeclarations> {
	rooms?: readonly RoomKindRegistration[];
	/** Every event kind the feature publishes, with what it makes stale. */
	events: E;
}

/** Declares a feature's rooms and events, keeping the exact event kinds for the list's completeness check. */
export function liveFeature<const E extends EventDeclarations>(feature: LiveFeature<E>): LiveFeature<E> {
	return feature;
}
