import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gathered, GATHER_MS } from '../../src/lib/live/gather';

describe('gathering the kinds of change one commit announces', () => {
	beforeEach(() => void vi.useFakeTimers());
	afterEach(() => void vi.useRealTimers());

	it('hands over every part named within the moment after the first, once, without repeats', () => {
		const calls: string[][] = [];
		const want = gathered<string>((parts) => calls.push([...parts]));
		want('activity');
		want('page');
		want('activity');
		expect(calls).toEqual([]);
		vi.advanceTimersByTime(GATHER_MS - 1);
		expect(calls).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(calls).toEqual([['activity', 'page']]);
	});

	it('starts afresh after handing over: a later change is fetched on its own', () => {
		const calls: string[][] = [];
		const want = gathered<string>((parts) => calls.push([...parts]));
		want('rounds');
		vi.advanceTimersByTime(GATHER_MS);
		want('activity');
		vi.advanceTimersByTime(GATHER_MS);
		expect(calls).toEqual([['rounds'], ['activity']]);
	});
});

describe('the live benchmark', () => {
	it('gathers for as long as the pages do, so it times what a screen does', async () => {
		const { readFileSync } = await import('node:fs');
		const bench = readFileSync(new URL('../../bench/live.js', import.meta.url), 'utf8');
		expect(bench.match(/export const GATHER_MS = (\d+);/)?.[1]).toBe(String(GATHER_MS));
	});
});
