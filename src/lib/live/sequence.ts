import type { LiveEnvelope } from './events';

/**
 * Puts one room's events in order. The server numbers each room's events 1, 2, 3… in commit
 * order; events can still arrive out of order (across instances) or go missing (a dropped
 * connection). This hands on events strictly in sequence, holds early ones back, and says when
 * something is missing so the connection can ask the server for exactly that.
 */
export class RoomSequence {
	#last: number | undefined;
	#early = new Map<number, LiveEnvelope>();

	/** The number of the last event handed on, once counting has started. */
	get last(): number | undefined {
		return this.#last;
	}

	/** Events are being held back, waiting for an earlier one. */
	get waiting(): boolean {
		return this.#early.size > 0;
	}

	/** On first joining a room: count on from the room's current number. */
	start(seq: number): void {
		this.#last = seq;
		this.#early.clear();
	}

	/** An event as it arrives; returns the events that can be handed on now, in order. */
	receive(event: LiveEnvelope): LiveEnvelope[] {
		if (this.#last === undefined || event.seq <= this.#last) return [];
		this.#early.set(event.seq, event);
		return this.#drain();
	}

	/** The server's answer to "what did I miss since `last`": fills the gap. */
	catchUp(missed: LiveEnvelope[]): LiveEnvelope[] {
		for (const event of missed) if (this.#last !== undefined && event.seq > this.#last) this.#early.set(event.seq, event);
		return this.#drain();
	}

	/** Too much was missed to replay: jump to the room's current number (the page reloads instead). */
	skipTo(seq: number): void {
		this.#last = Math.max(seq, this.#last ?? 0);
		this.#drain();
		for (const held of this.#early.keys()) if (held <= this.#last) this.#early.delete(held);
	}

	#drain(): LiveEnvelope[] {
		const ready: LiveEnvelope[] = [];
		if (this.#last === undefined) return ready;
		let next = this.#early.get(this.#last + 1);
		while (next) {
			this.#early.delete(next.seq);
			this.#last = next.seq;
			ready.push(next);
			next = this.#early.get(this.#last + 1);
		}
		for (const held of this.#early.keys()) if (held <= this.#last) this.#early.delete(held);
		return ready;
	}
}
