// tRPC 10 over plain HTTP, as the browser's client sends it (no transformer): a batched GET
// `/api/trpc/a,b?batch=1&input={"0":...,"1":...}` for queries, a POST with the input as the
// JSON body for a mutation.
import { cookieFor } from './sessions.js';

export const TRPC_PATH = '/api/trpc';

export class TrpcError extends Error {
	/** @param {string} path @param {number} status @param {unknown} body */
	constructor(path, status, body) {
		const message = /** @type {any} */ (body)?.error?.message ?? /** @type {any} */ (body)?.[0]?.error?.message ?? '';
		super(`${path}: HTTP ${status} ${message}`.trim());
		this.status = status;
		this.body = body;
	}
}

/**
 * @param {string} origin
 * @param {string[]} paths procedure paths, e.g. ['workspace.get', 'workspace.members']
 * @param {unknown[]} inputs one per path
 */
export function batchQueryUrl(origin, paths, inputs) {
	/** @type {Record<string, unknown>} */
	const input = {};
	inputs.forEach((value, index) => (input[index] = value));
	return `${origin}${TRPC_PATH}/${paths.join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
}

/**
 * Runs a batch of queries; resolves to their data in order, or throws on any error.
 * @param {string} url from batchQueryUrl
 * @param {string} token
 */
export async function batchQuery(url, token) {
	const response = await fetch(url, { headers: { cookie: cookieFor(token) } });
	const body = await response.json();
	if (!response.ok || !Array.isArray(body) || body.some((entry) => entry.error)) {
		throw new TrpcError(url.slice(url.indexOf(TRPC_PATH)), response.status, body);
	}
	return body.map((entry) => entry.result.data);
}

/**
 * @param {string} origin
 * @param {string} token
 * @param {string} path
 * @param {unknown} input
 */
export async function mutate(origin, token, path, input) {
	const response = await fetch(`${origin}${TRPC_PATH}/${path}`, {
		method: 'POST',
		headers: { cookie: cookieFor(token), 'content-type': 'application/json', origin },
		body: JSON.stringify(input)
	});
	const body = await response.json().catch(() => null);
	if (!response.ok || body?.error) throw new TrpcError(path, response.status, body);
	return body.result.data;
}
