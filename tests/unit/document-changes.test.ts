import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { changedSections } from '../../src/lib/document/changes';
import { canonicalJson, snapshotHash } from '../../src/lib/document/hash';
import { complete, referral } from './document-fixture';

describe('what changed between two versions', () => {
	it('finds nothing when the versions read the same', () => {
		expect(changedSections(referral, complete, { ...complete, needs: [...complete.needs] })).toEqual([]);
	});

	it('names each changed section in order with the lines removed and added', () => {
		const after = { ...complete, needs: ['Speech and language', 'Sensory'], support: 'Fortnightly therapy' };
		expect(changedSections(referral, complete, after)).toEqual([
			{ section: 'needs', label: 'Needs', before: ['Speech and language'], after: ['Speech and language', 'Sensory'], removed: [], added: ['Sensory'] },
			{ section: 'support', label: 'Support asked for', before: ['Weekly therapy'], after: ['Fortnightly therapy'], removed: ['Weekly therapy'], added: ['Fortnightly therapy'] }
		]);
	});

	it('notices lines that only moved, and a repeated line removed once', () => {
		const before = { ...complete, needs: ['A', 'B', 'A'] };
		const [reordered] = changedSections(referral, before, { ...before, needs: ['B', 'A', 'A'] });
		expect(reordered).toMatchObject({ section: 'needs', removed: [], added: [] });
		const [fewer] = changedSections(referral, before, { ...before, needs: ['A', 'B'] });
		expect(fewer).toMatchObject({ removed: ['A'], added: [] });
	});
});

describe('a snapshot’s hash', () => {
	it('is the same however the content’s keys were ordered', () => {
		expect(snapshotHash({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(snapshotHash({ b: { d: 'x', c: [1, 2] }, a: 1 }));
		expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
	});

	it('changes when any value, or the order of a list, changes', () => {
		const hash = snapshotHash(complete);
		expect(snapshotHash({ ...complete, support: 'Weekly therapy.' })).not.toBe(hash);
		expect(snapshotHash({ a: [1, 2] })).not.toBe(snapshotHash({ a: [2, 1] }));
	});

	it('is hex SHA-256, and leaves out undefined properties as a stored jsonb would', () => {
		expect(snapshotHash({ b: 2, a: 1 })).toBe(createHash('sha256').update('{"a":1,"b":2}').digest('hex'));
		expect(snapshotHash({ a: 1, b: undefined })).toBe(snapshotHash({ a: 1 }));
	});

	it('refuses a value JSON cannot hold', () => {
		expect(() => snapshotHash(() => 1)).toThrow(TypeError);
	});
});
