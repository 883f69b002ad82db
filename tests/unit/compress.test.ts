import { describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chooseEncoding, compressWholeJson } from '../../src/lib/server/compress';

describe('choosing a response encoding from Accept-Encoding', () => {
	it('prefers brotli, then gzip, and honours a refusal (q=0) and a wildcard', () => {
		expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
		expect(chooseEncoding('gzip')).toBe('gzip');
		expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
		expect(chooseEncoding('BR')).toBe('br');
		expect(chooseEncoding('*')).toBe('br');
		expect(chooseEncoding('*, br;q=0')).toBe('gzip');
		expect(chooseEncoding('identity')).toBeNull();
		expect(chooseEncoding('gzip;q=0')).toBeNull();
		expect(chooseEncoding('')).toBeNull();
		expect(chooseEncoding(null)).toBeNull();
		expect(chooseEncoding('gzip;q=abc')).toBeNull();
	});
});

describe('compressing a whole JSON answer', () => {
	const json = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, summary: `Staff updated bid ${i}` })) });
	const answer = (body: string, type = 'application/json') => new Response(body, { status: 200, headers: { 'content-type': type, 'x-kept': 'yes' } });
	const asking = (encoding?: string) => new Request('http://portal.test/clusters/1/__data.json', { headers: encoding ? { 'accept-encoding': encoding } : {} });

	it('compresses it in one go with its length, as asked, keeping its other headers', async () => {
		for (const [encoding, decode] of [
			['br', brotliDecompressSync],
			['gzip', gunzipSync]
		] as const) {
			const sent = await compressWholeJson(asking(encoding), answer(json));
			const raw = Buffer.from(await sent.arrayBuffer());
			expect(sent.headers.get('content-encoding')).toBe(encoding);
			expect(sent.headers.get('content-length')).toBe(String(raw.byteLength));
			expect(sent.headers.get('vary')).toContain('Accept-Encoding');
			expect(sent.headers.get('x-kept')).toBe('yes');
			expect(raw.byteLength).toBeLessThan(json.length / 4);
			expect(decode(raw).toString('utf8')).toBe(json);
		}
	});

	it('leaves it alone when not asked, when small, when not JSON, or when already encoded', async () => {
		const plain = await compressWholeJson(asking(), answer(json));
		expect(plain.headers.get('content-encoding')).toBeNull();
		expect(await plain.text()).toBe(json);
		const small = await compressWholeJson(asking('br'), answer('{"ok":true}'));
		expect(small.headers.get('content-encoding')).toBeNull();
		expect(await small.text()).toBe('{"ok":true}');
		const page = await compressWholeJson(asking('br'), answer(json, 'text/html'));
		expect(page.headers.get('content-encoding')).toBeNull();
		const done = new Response('x'.repeat(5000), { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
		expect(await compressWholeJson(asking('br'), done)).toBe(done);
	});
});
