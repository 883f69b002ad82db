import { describe, expect, it } from 'vitest';
import { auditVerdict } from '../../.ci/audit-verdict.js';

// The CI dependency audit may skip only when the registry cannot answer; advisories always fail it.

const report = (counts: Record<string, number>) =>
	JSON.stringify({ auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...counts } } });

describe('the dependency audit verdict', () => {
	it('fails on a high or a critical advisory', () => {
		expect(auditVerdict(report({ high: 1 })).verdict).toBe('fail');
		expect(auditVerdict(report({ critical: 2 })).verdict).toBe('fail');
	});

	it('passes with only low or moderate advisories', () => {
		expect(auditVerdict(report({ low: 3, moderate: 1 })).verdict).toBe('pass');
	});

	it('skips, saying why, when the registry refuses or cannot be reached', () => {
		const refused = auditVerdict(JSON.stringify({ statusCode: 405, uri: 'https://registry.example/-/npm/v1/security/advisories/bulk', message: '405' }));
		expect(refused).toEqual({ verdict: 'skip', message: expect.stringContaining('HTTP 405') });
		expect(auditVerdict(JSON.stringify({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' })).verdict).toBe('skip');
		expect(auditVerdict(JSON.stringify({ statusCode: 503 })).verdict).toBe('skip');
	});

	it('fails on anything else it cannot read, rather than skipping', () => {
		expect(auditVerdict('not json').verdict).toBe('fail');
		expect(auditVerdict(JSON.stringify({ statusCode: 401, message: 'unauthorized' })).verdict).toBe('fail');
		expect(auditVerdict(JSON.stringify({ message: 'something else' })).verdict).toBe('fail');
	});
});
