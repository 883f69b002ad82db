import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { SESSION_COOKIE, generateToken, hashToken, tokenFromCookieHeader } from '../../src/lib/server/auth/session';

const BASE32_LOWER = 'abcdefghijklmnopqrstuvwxyz234567';

describe('session tokens', () => {
	it('are 32 lower-case base32 characters (160 random bits)', () => {
		for (let i = 0; i < 100; i++) expect(generateToken()).toMatch(/^[a-z2-7]{32}$/);
	});

	it('never repeat and use the whole alphabet in every position', () => {
		const tokens = Array.from({ length: 2000 }, () => generateToken());
		expect(new Set(tokens).size).toBe(tokens.length);
		// 160 bits = 32 x 5, so every position is a full random symbol; with 2000 tokens each
		// position sees all 32 symbols (the odds of a miss are below 1e-25).
		for (let position = 0; position < 32; position++) {
			const seen = new Set(tokens.map((token) => token[position]));
			expect(seen.size, `position ${position}`).toBe(32);
		}
		// No symbol dominates: each appears close to 1/32 of the time overall.
		const counts = new Map<string, number>();
		for (const token of tokens) for (const char of token) counts.set(char, (counts.get(char) ?? 0) + 1);
		const expected = tokens.length; // 32 characters a token, 32 symbols
		for (const char of BASE32_LOWER) {
			expect(counts.get(char)! / expected).toBeGreaterThan(0.85);
			expect(counts.get(char)! / expected).toBeLessThan(1.15);
		}
	});
});

describe('hashToken', () => {
	it('is the SHA-256 of the token in lower-case hex', () => {
		const token = generateToken();
		expect(hashToken(token)).toBe(createHash('sha256').update(token, 'utf8').digest('hex'));
		expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
	});

	it('differs from the token, so the stored id cannot be used as a cookie', () => {
		const token = generateToken();
		expect(hashToken(token)).not.toBe(token);
		expect(hashToken(token)).not.toContain(token);
	});

	it('is stable for one token and different for another', () => {
		const token = generateToken();
		expect(hashToken(token)).toBe(hashToken(token));
		expect(hashToken(token)).not.toBe(hashToken(generateToken()));
	});
});

describe('tokenFromCookieHeader', () => {
	it('finds the session cookie among others', () => {
		expect(SESSION_COOKIE).toBe('portal_session');
		expect(tokenFromCookieHeader('theme=dark; portal_session=abc234; lang=en')).toBe('abc234');
		expect(tokenFromCookieHeader('portal_session=abc234')).toBe('abc234');
	});

	it('gives null when there is no header or no session cookie', () => {
		expect(tokenFromCookieHeader(undefined)).toBeNull();
		expect(tokenFromCookieHeader('')).toBeNull();
		expect(tokenFromCookieHeader('theme=dark; lang=en')).toBeNull();
		// A cookie whose name merely contains ours is someone else's.
		expect(tokenFromCookieHeader('not_portal_session=abc234')).toBeNull();
	});

	it('decodes a percent-encoded value as browsers send it', () => {
		expect(tokenFromCookieHeader('portal_session=ab%20cd')).toBe('ab cd');
	});
});
