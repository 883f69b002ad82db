import { randomUUID } from 'node:crypto';
import { withFormPost } from '../../src/lib/server/form-posts';

/**
 * One command posted twice with the same one-time form token, as a double click or a resent post
 * reaches the request hook: `together` sends both at once (the second waits on the token's key),
 * otherwise the second follows the first. Returns both answers.
 */
export async function postedTwice<T>(form: string, userId: number, command: () => Promise<T>, together = true): Promise<[T, T]> {
	const post = { token: randomUUID(), form, fingerprint: 'the same fields', userId };
	const send = () => withFormPost(post, command).result;
	if (together) return Promise.all([send(), send()]) as Promise<[T, T]>;
	const first = await send();
	return [first, await send()];
}
