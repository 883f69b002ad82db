import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// JSON answers (a page's __data.json, tRPC batches) are whole strings by the time SvelteKit hands
// them over, and most are a few kilobytes: compressing each in one call costs a fraction of a
// compression stream's set-up, buffers and hops to the thread pool (measured: 12 KB of JSON, 0.04 ms
// with brotli quality 4 in one call against 0.3-0.5 ms through a stream). Anything else, and JSON
// too big to hold, is left to the server's streaming compressor (src/node-server.js).

/** Bodies under this go out as they are (the streaming compressor's threshold too). */
export const COMPRESS_FROM = 1024;
/** JSON bigger than this is passed on for streaming. */
const WHOLE_UP_TO = 512 * 1024;

/** The encoding to use for a request's Accept-Encoding: brotli, else gzip, else none (q=0 refuses one). */
export function chooseEncoding(acceptEncoding: string | null): 'br' | 'gzip' | null {
	const weights = new Map<string, number>();
	for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
		const [name, ...params] = part.split(';').map((piece) => piece.trim());
		if (!name) continue;
		const q = params.find((param) => param.startsWith('q='));
		weights.set(name, q === undefined ? 1 : Number(q.slice(2)));
	}
	const accepts = (name: string) => (weights.get(name) ?? weights.get('*') ?? 0) > 0;
	return accepts('br') ? 'br' : accepts('gzip') ? 'gzip' : null;
}

/** A JSON response compressed in one call if the request accepts it; any other response as it was. */
export async function compressWholeJson(request: Request, response: Response): Promise<Response> {
	if (!response.body || response.headers.has('content-encoding')) return response;
	if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) return response;
	const encoding = chooseEncoding(request.headers.get('accept-encoding'));
	if (!encoding) return response;
	const body = new Uint8Array(await response.arrayBuffer());
	const headers = new Headers(response.headers);
	const init = { status: response.status, statusText: response.statusText, headers };
	if (body.byteLength < COMPRESS_FROM || body.byteLength > WHOLE_UP_TO) {
		headers.set('content-length', String(body.byteLength));
		return new Response(body, init);
	}
	const packed =
		encoding === 'br'
			? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
			: gzipSync(body);
	headers.set('content-encoding', encoding);
	headers.set('content-length', String(packed.byteLength));
	headers.append('vary', 'Accept-Encoding');
	return new Response(new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength), init);
}
