import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import type { TodoGroup, TodoProvider } from './types';
import { bidTodoProviders } from './bids';
import { disputeTodoProviders } from './disputes';

export type { TodoGroup, TodoItem, TodoProvider } from './types';

/** Every feature's providers; a new feature (EOIs to score, polls to answer, PCF points) adds its list here. */
const PROVIDERS: readonly TodoProvider[] = [...bidTodoProviders, ...disputeTodoProviders];

/** How many items each group shows on the home page; the group says how many more there are. */
export const TODO_GROUP_LIMIT = 10;

/** The person's to-do list: one group per provider that has anything for them, in provider order. */
export async function todoFor(db: Database, actor: Actor, limit = TODO_GROUP_LIMIT): Promise<TodoGroup[]> {
	const applicable = PROVIDERS.filter((provider) => provider.appliesTo(actor));
	const found = await Promise.all(applicable.map((provider) => provider.find(db, actor, limit)));
	return applicable
		.map((provider, index) => ({ provider: provider.name, heading: provider.heading, ...found[index] }))
		.filter((group) => group.total > 0);
}
