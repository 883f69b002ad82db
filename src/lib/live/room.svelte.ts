import { untrack } from 'svelte';
import { useLive, type LiveHolder } from './client.svelte';
import { LiveReloader } from './refresh.svelte';
import { gathered } from './gather';
import type { LiveEnvelope, RoomName } from './events';

export interface LiveRoomOptions {
	/** The room (or rooms) to follow; read reactively, so another bid or workspace re-joins. `null`: none. */
	rooms: () => RoomName | readonly RoomName[] | null;
	/**
	 * The room's event number when the page's data was loaded (`currentSeq` in the load, before the
	 * data): anything committed in between is replayed. Read once per join, not followed. A page
	 * following several rooms gives each room's number (`currentSeqs`).
	 */
	since?: () => number | Readonly<Partial<Record<RoomName, number>>> | undefined;
	/** Follow the rooms' events without appearing in their presence lists. */
	quiet?: boolean;
	/** Each committed event, in the room's order, after any it had missed. Refetch what it says changed. */
	onEvent: (event: LiveEnvelope) => void;
	/** Events were lost beyond what can be replayed; by default the page reloads all its data. */
	onResync?: () => void;
	/** Someone arrived, left or moved section: fetch the presence list. Also called once on joining. */
	onPresence?: () => void;
	/** The connection, when the component that provides it follows a room itself (the root layout). */
	live?: LiveHolder;
}

/**
 * A page's live room: joins it from the sequence number the page was loaded at, hands the page
 * each committed event in order (the connection holds back early ones, asks for gaps, catches up
 * after a reconnect and says when to reload everything), and leaves when the page goes. Create
 * while the component initialises; the page's handler refetches only what the event says changed.
 */
export class LiveRoom {
	/** Set when the server refused the room, in its words. */
	refusal = $state<string | null>(null);
	readonly #holder: LiveHolder;
	readonly #reloader = new LiveReloader();
	#rooms: readonly RoomName[] = [];

	constructor(options: LiveRoomOptions) {
		this.#holder = options.live ?? useLive();
		// As one string, so reloaded page data naming the same rooms does not leave and re-join them.
		const wanted = $derived(roomsIn(options.rooms()).join(' '));
		$effect(() => {
			const connection = this.#holder.current;
			// The names themselves, read again (untracked: `wanted` is what the effect follows).
			const rooms = wanted === '' ? [] : untrack(() => roomsIn(options.rooms()));
			if (!connection || rooms.length === 0) return;
			this.#rooms = rooms;
			// One room's number, or each room's own.
			const given = untrack(() => options.since?.());
			const onResync = options.onResync ?? (() => this.reload());
			const stops = rooms.flatMap((room) => {
				const stopEvents = connection.subscribe(room, (event) => options.onEvent(event), {
					since: typeof given === 'object' ? given[room] : rooms.length === 1 ? given : undefined,
					quiet: options.quiet,
					resync: onResync,
					onDenied: (reason) => (this.refusal = reason)
				});
				if (!options.onPresence) return [stopEvents];
				const onPresence = options.onPresence;
				return [stopEvents, connection.onPresence(room, onPresence)];
			});
			untrack(() => options.onPresence?.());
			return () => {
				for (const stop of stops) stop();
				this.#rooms = [];
			};
		});
	}

	/** The browser's live connection is up (pages say when changes are not shown live). */
	get connected(): boolean {
		return this.#holder.current?.connected ?? false;
	}

	/** Reload the page data that `depends()` on `key`, or all of it, once any navigation in progress is done. */
	reload(key?: string): void {
		this.#reloader.reload(key);
	}

	/** Tell others which section of the page this person is working in (rooms with sections). */
	focus(section: string | null): void {
		const connection = this.#holder.current;
		for (const room of this.#rooms) connection?.focus(room, section);
	}
}

/** The rooms an option names: none, one, or several. */
function roomsIn(rooms: RoomName | readonly RoomName[] | null): readonly RoomName[] {
	return rooms === null ? [] : typeof rooms === 'string' ? [rooms] : rooms;
}

export interface AnnouncedRoomOptions extends Omit<LiveRoomOptions, 'onEvent' | 'onResync'> {
	/** The `depends()` key of the page's load that the room's changes make stale. */
	reloads: () => string;
	/** The words a screen reader hears for an event that changes this page, or null for one that does not. */
	announce: (event: LiveEnvelope) => string | null;
}

/**
 * A live room for a page that simply shows the latest state: an event that changes the page
 * reloads its data (one `depends()` key) and says so in `announcement`, which the page shows in
 * a polite status region (LiveAnnouncement.svelte), so a screen reader user knows the page
 * changed under them (WCAG 4.1.3). Lost events reload the same data, silently.
 */
export class AnnouncedRoom extends LiveRoom {
	announcement = $state('');

	constructor({ reloads, announce, ...options }: AnnouncedRoomOptions) {
		// A commit announcing several kinds at once reloads the page once.
		const reloadSoon = gathered<true>(() => this.reload(reloads()));
		super({
			...options,
			// Called only once the room is joined, after this constructor has finished.
			onEvent: (event) => {
				const words = announce(event);
				if (words === null) return;
				this.announcement = words;
				reloadSoon(true);
			},
			onResync: () => this.reload(reloads())
		});
	}
}
