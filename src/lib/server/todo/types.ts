import type { Database } from '../db';
import type { Actor } from '../auth/actor';

/** One piece of work a person can do now, with the page where they do it. */
export interface TodoItem {
	/** Stable across reloads, e.g. `bid.endorse:12:4` (kind, bid, setting). */
	key: string;
	title: string;
	/** A second line: for whom, how many, or since when. */
	detail?: string;
	link: string;
	/** When it must be done by (a round's closing date, a milestone's due date), ISO 8601. */
	dueAt?: string;
}

/** What one provider found: the items it shows and how many there are in all. */
export interface TodoGroup {
	provider: string;
	heading: string;
	items: TodoItem[];
	total: number;
}

/**
 * A source of to-do items computed from the state of the work (never from notifications), so an
 * item disappears as soon as the work is done. A feature adds one provider and one line in
 * `index.ts`; providers know nothing of each other. Each asks the policy about every item it returns.
 */
export interface TodoProvider {
	name: string;
	heading: string;
	/** Cheap, from the actor alone: does this person ever get items of this kind? */
	appliesTo(actor: Actor): boolean;
	/** At most `limit` items (most urgent first) and the full count. */
	find(db: Database, actor: Actor, limit: number): Promise<{ items: TodoItem[]; total: number }>;
}
