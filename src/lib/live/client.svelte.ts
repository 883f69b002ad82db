import type { Socket } from 'socket.io-client';
import { getContext, setContext } from 'svelte';
import { RoomSequence } from './sequence';
import { MAX_CATCH_UP, type ClientToServerEvents, type LiveEnvelope, type ServerToClientEvents } from './events';

type Handler = (event: LiveEnvelope) => void;

const GAP_WAIT_MS = 1000;
const PRESENCE_SETTLE_MS = 150;
const PRESENCE_SPREAD_MS = 450;
interface Subscription {
	room: string;
	handler: Handler;
	/** Called when events may have been lost beyond what catch-up can replay: reload everything. */
	resync?: () => void;
	onDenied?: (reason: string) => void;
	/** Follow the room's events without appearing in its presence list. */
	quiet?: boolean;
}

/**
 * The browser's one socket.io connection, made once a person is signed in. It numbers what each
 * room has delivered; after a gap or a reconnect it asks the server for exactly what it missed,
 * so nobody silently works from stale data.
 */
export class LiveConnection {
	connected = $state(false);
	/** Set when the server refused a room, in its words. */
	lastRefusal = $state<string | null>(null);

	#socket: Socket<ServerToClientEvents, ClientToServerEvents>;
	#subscriptions = new Set<Subscription>();
	#sequences = new Map<string, RoomSequence>();
	#presence = new Map<string, Set<() => void>>();
	/** Per room with a gap: how long we wait for a late event before asking the server. */
	#gapTimers = new Map<string, ReturnType<typeof setTimeout>>();
	#presenceTimers = new Map<string, ReturnType<typeof setTimeout>>();

	constructor(socket: Socket<ServerToClientEvents, ClientToServerEvents>) {
		this.#socket = socket;
		this.#socket.on('connect', () => {
			this.connected = true;
			// First connect and every reconnect: (re)join each room, asking for what was missed.
			for (const room of new Set([...this.#subscriptions].map((s) => s.room))) this.#join(room);
		});
		this.#socket.on('disconnect', () => (this.connected = false));
		this.#socket.on('live', (event) => this.#receive(event));
		// Many people may arrive at once: wait a moment (spread across browsers) and ask once.
		this.#socket.on('presence', ({ room }) => {
			if (this.#presenceTimers.has(room)) return;
			const delay = PRESENCE_SETTLE_MS + Math.random() * PRESENCE_SPREAD_MS;
			this.#presenceTimers.set(
				room,
				setTimeout(() => {
					this.#presenceTimers.delete(room);
					this.#presence.get(room)?.forEach((listener) => listener());
				}, delay)
			);
		});
	}

	#join(room: string) {
		const sequence = this.#sequences.get(room) ?? new RoomSequence();
		this.#sequences.set(room, sequence);
		const since = sequence.last;
		const subscribers = [...this.#subscriptions].filter((s) => s.room === room);
		const quiet = subscribers.length > 0 && subscribers.every((s) => s.quiet);
		this.#socket.emit('join', { room, since, quiet }, (reply) => {
			const subs = [...this.#subscriptions].filter((s) => s.room === room);
			if (!reply.ok) {
				this.lastRefusal = reply.reason ?? 'The portal refused that workspace.';
				for (const sub of subs) sub.onDenied?.(this.lastRefusal);
				return;
			}
			if (since === undefined) {
				sequence.start(reply.seq ?? 0);
				return;
			}
			const missed = reply.missed ?? [];
			if (reply.resync || missed.length >= MAX_CATCH_UP) {
				sequence.skipTo(reply.seq ?? since);
				for (const sub of subs) sub.resync?.();
				return;
			}
			this.#handOn(room, sequence.catchUp(missed));
		});
	}

	#receive(event: LiveEnvelope) {
		const sequence = this.#sequences.get(event.room);
		if (!sequence) return; // not following this room
		this.#handOn(event.room, sequence.receive(event));
		if (!sequence.waiting) {
			clearTimeout(this.#gapTimers.get(event.room));
			this.#gapTimers.delete(event.room);
		} else if (!this.#gapTimers.has(event.room)) {
			// The missing event is usually a moment behind; if it is still missing shortly,
			// ask the server for everything after the last one handed on.
			this.#gapTimers.set(
				event.room,
				setTimeout(() => {
					this.#gapTimers.delete(event.room);
					if (this.#sequences.get(event.room)?.waiting) this.#join(event.room);
				}, GAP_WAIT_MS)
			);
		}
	}

	#handOn(room: string, events: LiveEnvelope[]) {
		for (const event of events) {
			for (const sub of this.#subscriptions) if (sub.room === room) sub.handler(event);
		}
	}

	/**
	 * Follow a room's committed changes. Give `since` (the room's number when the page's data was
	 * loaded) and anything committed between loading and connecting is replayed too.
	 * Returns an unsubscribe function for `$effect` cleanup.
	 */
	subscribe(
		room: string,
		handler: Handler,
		options: { since?: number; resync?: () => void; onDenied?: (reason: string) => void; quiet?: boolean } = {}
	) {
		const subscription: Subscription = { room, handler, ...options };
		const first = ![...this.#subscriptions].some((s) => s.room === room);
		this.#subscriptions.add(subscription);
		if (first && options.since !== undefined && !this.#sequences.get(room)?.last) {
			const sequence = new RoomSequence();
			sequence.start(options.since);
			this.#sequences.set(room, sequence);
		}
		if (first && this.#socket.connected) this.#join(room);
		return () => {
			this.#subscriptions.delete(subscription);
			if (![...this.#subscriptions].some((s) => s.room === room)) {
				this.#sequences.delete(room);
				// The server leaves rooms with presence (so others see this person go) and ignores the rest.
				this.#socket.emit('leave', { room });
			}
		};
	}

	/** Be told when the set of people in a room changes. */
	onPresence(room: string, listener: () => void) {
		const listeners = this.#presence.get(room) ?? new Set();
		listeners.add(listener);
		this.#presence.set(room, listeners);
		return () => listeners.delete(listener);
	}

	/** Tell others which section of the page this person is working in. */
	focus(room: string, section: string | null) {
		this.#socket.emit('focus', { room, section });
	}

	close() {
		for (const timer of [...this.#gapTimers.values(), ...this.#presenceTimers.values()]) clearTimeout(timer);
		this.#socket.close();
	}
}

/**
 * Connects, loading socket.io's client (about 14 KB gzipped) only now: visitors never fetch it,
 * and a signed-in page's first load does not wait for it (see tests/budget/client-js.js).
 */
export async function openLive(): Promise<LiveConnection> {
	const { io } = await import('socket.io-client');
	return new LiveConnection(io({ withCredentials: true, transports: ['websocket', 'polling'] }));
}

/** Holds the page's connection: empty during server rendering and until the browser connects. */
export class LiveHolder {
	current = $state<LiveConnection | null>(null);
}

const KEY = Symbol('live-connection');
export function provideLive(holder: LiveHolder) {
	setContext(KEY, holder);
}
export function useLive(): LiveHolder {
	return getContext<LiveHolder | undefined>(KEY) ?? new LiveHolder();
}
