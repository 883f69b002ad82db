// Load shapes shared by the benchmarks: timed GETs with a session, closed loops that run for a set
// time (not a set count, so a phase is long enough whatever the speed), and the size of an answer
// as it travels (compressed) and as it is read.
import http from 'node:http';
import { cookieFor } from './sessions.js';

/**
 * One GET with the person's session, read to the end.
 * @param {string} url
 * @param {string | undefined} token
 * @returns {Promise<{ ok: boolean, status: number, ms: number, bytes: number }>}
 */
export async function timedGet(url, token) {
	const t0 = performance.now();
	try {
		const response = await fetch(url, { headers: token ? { cookie: cookieFor(token) } : undefined, redirect: 'manual' });
		const body = await response.arrayBuffer();
		return { ok: response.ok, status: response.status, ms: performance.now() - t0, bytes: body.byteLength };
	} catch {
		return { ok: false, status: 0, ms: performance.now() - t0, bytes: 0 };
	}
}

/**
 * `clients` loops side by side, each running `request` again as soon as it finishes, for `ms`.
 * @param {number} clients
 * @param {number} ms
 * @param {(client: number) => Promise<boolean>} request resolves false (or throws) on a failure
 */
export async function closedLoop(clients, ms, request) {
	/** @type {number[]} */
	const latencies = [];
	let failures = 0;
	/** @type {string | undefined} */
	let firstError;
	const started = performance.now();
	const until = started + ms;
	await Promise.all(
		Array.from({ length: clients }, async (_, client) => {
			while (performance.now() < until) {
				const t0 = performance.now();
				const ok = await request(client).catch((/** @type {unknown} */ error) => {
					firstError ??= error instanceof Error ? error.message : String(error);
					return false;
				});
				if (ok) latencies.push(performance.now() - t0);
				else failures++;
			}
		})
	);
	return { latencies, failures, firstError, seconds: (performance.now() - started) / 1000 };
}

/**
 * The answer's size on the wire (as a browser asking for gzip or brotli gets it) and read.
 * @param {string} url
 * @param {string} token
 * @returns {Promise<{ wire: number, encoding: string }>}
 */
export function wireSize(url, token) {
	return new Promise((resolve, reject) => {
		// No token: signed out (the public pages).
		const request = http.get(url, { headers: { ...(token ? { cookie: cookieFor(token) } : {}), 'accept-encoding': 'br, gzip' } }, (response) => {
			let wire = 0;
			response.on('data', (chunk) => (wire += chunk.length));
			response.on('end', () => resolve({ wire, encoding: String(response.headers['content-encoding'] ?? 'none') }));
			response.on('error', reject);
		});
		request.on('error', reject);
	});
}
