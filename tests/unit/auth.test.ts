import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../src/lib/server/auth/return-path';
import { checkTrustedProxySetting, clientAddress } from '../../src/lib/server/client-address';
import { PASSWORD_TOO_COMMON, newPasswordSchema, passwordProblem } from '../../src/lib/server/auth/password-rule';
import { ORIGIN_MISSING, absoluteUrl, checkOriginSetting, setDevOrigin } from '../../src/lib/server/origin';
import { waitMessage } from '../../src/lib/server/auth/throttle';

describe('the return path after sign-in', () => {
	const bypasses = [
		'/\\evil.example',
		'\\\\evil.example',
		'/\\/evil.example',
		'//evil.example',
		'///evil.example',
		'/\t/evil.example',
		'/\n/evil.example',
		'/\r\n/evil.example',
		'/ /evil.example',
		'/\u00a0/evil.example',
		'/\u2028/evil.example',
		'/\u200b/evil.example',
		'/\u0000/evil.example',
		'/%0a/x\nLocation: https://evil.example',
		'https://evil.example',
		'http:evil.example',
		'https:/evil.example',
		'javascript:alert(1)',
		'JaVaScRiPt:alert(1)',
		'data:text/html,<script>alert(1)</script>',
		'evil.example',
		'./evil',
		'',
		' /',
		'\t/clusters',
		'/\uff0f/evil.example'.replace('/', '\uff0f'),
		'\u3002evil.example',
		'@evil.example',
		'/'.repeat(3000)
	];
	it.each(bypasses)('refuses %j and goes home', (value) => {
		expect(safeReturnPath(value)).toBe('/');
	});

	it('refuses what is not a string', () => {
		for (const value of [null, undefined, 42, ['/clusters'], { href: '/x' }]) expect(safeReturnPath(value)).toBe('/');
	});

	const kept: [string, string][] = [
		['/', '/'],
		['/clusters/12', '/clusters/12'],
		['/bids/3?section=budget#costs', '/bids/3?section=budget#costs'],
		// Encoded slashes stay encoded, so they are a path segment here, never a second slash.
		['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
		['/%2f%5cevil.example', '/%2f%5cevil.example'],
		// Dot segments resolve on this site.
		['/a/../../evil.example', '/evil.example'],
		['/clusters/..%2F..%2Fadmin', '/clusters/..%2F..%2Fadmin'],
		// Non-ASCII (full-width solidus, ideographic full stop) is percent-encoded into a plain path.
		['/\uff0f\uff0fevil.example', '/%EF%BC%8F%EF%BC%8Fevil.example'],
		['/\u3002evil.example', '/%E3%80%82evil.example']
	];
	it.each(kept)('keeps the same-site path %j as %j', (value, expected) => {
		expect(safeReturnPath(value)).toBe(expected);
	});

	it('what it gives back always resolves to this site', () => {
		for (const value of [...bypasses, ...kept.map(([v]) => v)]) {
			const target = new URL(safeReturnPath(value), 'https://portal.example');
			expect(target.origin).toBe('https://portal.example');
			expect(safeReturnPath(value)).toMatch(/^\/(?!\/)[\x21-\x7e]*$|^\/$/);
		}
	});
});

describe('the client address used for throttling', () => {
	const headers = (entries: Record<string, string>) => new Headers(entries);

	it('without TRUSTED_PROXY is the peer, whatever X-Forwarded-For claims', () => {
		expect(clientAddress(headers({ 'x-forwarded-for': '203.0.113.9' }), '192.0.2.1', undefined)).toBe('192.0.2.1');
		expect(clientAddress(headers({ 'x-real-ip': '203.0.113.9' }), '192.0.2.1', '')).toBe('192.0.2.1');
	});

	it('with a hop count takes that many addresses from the right of X-Forwarded-For, ignoring what the client added', () => {
		const forwarded = headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.2' });
		expect(clientAddress(forwarded, '10.0.0.3', '1')).toBe('10.0.0.2');
		expect(clientAddress(forwarded, '10.0.0.3', '2')).toBe('203.0.113.9');
		// A request that came around the proxy, or a chain shorter than promised: the peer.
		expect(clientAddress(headers({}), '198.51.100.4', '1')).toBe('198.51.100.4');
		expect(clientAddress(headers({ 'x-forwarded-for': '203.0.113.9' }), '10.0.0.3', '2')).toBe('10.0.0.3');
		expect(clientAddress(headers({ 'x-forwarded-for': 'not-an-ip' }), '10.0.0.3', '1')).toBe('10.0.0.3');
	});

	it('with a header name reads that header only', () => {
		expect(clientAddress(headers({ 'x-real-ip': '203.0.113.9', 'x-forwarded-for': '6.6.6.6' }), '10.0.0.3', 'x-real-ip')).toBe('203.0.113.9');
		expect(clientAddress(headers({ 'x-forwarded-for': '6.6.6.6' }), '10.0.0.3', 'x-real-ip')).toBe('10.0.0.3');
		expect(clientAddress(headers({ 'x-real-ip': '2001:db8::1' }), '10.0.0.3', 'X-Real-IP')).toBe('2001:db8::1');
	});

	it('a TRUSTED_PROXY that is neither a hop count nor a header name stops the start with a message', () => {
		for (const ok of [undefined, '', '1', '3', 'x-real-ip', 'CF-Connecting-IP']) expect(() => checkTrustedProxySetting(ok)).not.toThrow();
		for (const bad of ['0', '11', 'yes please', 'x_real_ip', '1.5']) expect(() => checkTrustedProxySetting(bad)).toThrow(/TRUSTED_PROXY/);
	});
});

describe('the password rule (NCSC: length over complexity, no common passwords)', () => {
	it('refuses common passwords, also with numbers or symbols on the end', () => {
		for (const password of ['password1234', 'Password1234', 'qwertyuiop123', 'iloveyou1234', 'PASSWORD2026!', '111111111111', 'aaaaaaaaaaaaaaaa']) {
			expect(passwordProblem(password), password).toBe(PASSWORD_TOO_COMMON);
		}
	});

	it('refuses short and overlong passwords, and the email address', () => {
		expect(passwordProblem('short one')).toMatch(/at least 12/);
		expect(passwordProblem('x'.repeat(257))).toMatch(/256 characters or fewer/);
		expect(passwordProblem('jo.bloggs@school.example', { email: 'jo.bloggs@school.example' })).toMatch(/email address/);
		expect(passwordProblem('jo.bloggs2026', { email: 'jo.bloggs@school.example' })).toMatch(/email address/);
	});

	it('accepts long passphrases with no rules about symbols or capitals', () => {
		for (const password of ['correct horse battery staple', 'meadowside kettle orbit', 'Oxfordshire-demo-2026', 'meadowside kettle orbit '.repeat(10).slice(0, 256)]) {
			expect(passwordProblem(password), password).toBeNull();
		}
	});

	it('as a form schema: the problem on the password field, a mismatch on the confirmation', () => {
		const schema = newPasswordSchema({ email: 'a@b.example' });
		const common = schema.safeParse({ password: 'password1234', confirm: 'password1234' });
		expect(common.success).toBe(false);
		expect(common.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['password', PASSWORD_TOO_COMMON]]);
		const mismatch = schema.safeParse({ password: 'meadowside kettle orbit', confirm: 'meadowside kettle' });
		expect(mismatch.error?.issues.map((i) => i.path.join('.'))).toEqual(['confirm']);
		const empty = schema.safeParse({ password: '', confirm: '' });
		expect(empty.error?.issues.map((i) => i.path.join('.'))).toEqual(['password', 'confirm']);
		expect(schema.safeParse({ password: 'meadowside kettle orbit', confirm: 'meadowside kettle orbit' }).success).toBe(true);
	});
});

describe('ORIGIN', () => {
	it('is required in production, with a message saying what to set', () => {
		expect(() => checkOriginSetting(true, undefined)).toThrow(ORIGIN_MISSING);
		expect(ORIGIN_MISSING).toMatch(/ORIGIN=https:\/\//);
		expect(() => checkOriginSetting(false, undefined)).not.toThrow();
		expect(() => checkOriginSetting(true, 'https://send-portal.oxfordshire.gov.uk')).not.toThrow();
	});

	it('links use ORIGIN when set, else (dev) the address Vite serves on, never a request header', () => {
		const saved = process.env.ORIGIN;
		try {
			delete process.env.ORIGIN;
			setDevOrigin('http://localhost:5174/');
			expect(absoluteUrl('/invite/abc')).toBe('http://localhost:5174/invite/abc');
			process.env.ORIGIN = 'https://send-portal.oxfordshire.gov.uk';
			expect(absoluteUrl('/reset/abc')).toBe('https://send-portal.oxfordshire.gov.uk/reset/abc');
		} finally {
			if (saved === undefined) delete process.env.ORIGIN;
			else process.env.ORIGIN = saved;
		}
	});

	it('must be a bare http(s) origin', () => {
		for (const bad of ['send-portal.oxfordshire.gov.uk', 'ftp://portal.example', 'https://portal.example/app', 'https://portal.example/?x=1']) {
			expect(() => checkOriginSetting(true, bad), bad).toThrow(/ORIGIN/);
		}
	});
});

describe('throttle messages', () => {
	it('say how long to wait in seconds or whole minutes', () => {
		expect(waitMessage(1)).toBe('Wait 1 second');
		expect(waitMessage(8)).toBe('Wait 8 seconds');
		expect(waitMessage(61)).toBe('Wait 2 minutes');
		expect(waitMessage(900)).toBe('Wait 15 minutes');
	});
});
