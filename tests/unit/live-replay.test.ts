import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every page that follows a live room joins it from the room's number read in its load, before its
// data, so a change committed between the load and the socket's join is replayed. A room joined
// without `since` starts at whatever happens next, and that change is never shown (the home page's
// to-do list and the menu's unread count both missed it this way).

const SRC = path.resolve('src');

function svelteFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? svelteFiles(full) : /\.svelte(\.ts)?$/.test(entry.name) ? [full] : [];
	});
}

/** The options object of each `new LiveRoom({ ... })` or `new AnnouncedRoom({ ... })`, brace-matched. */
function roomOptions(source: string): string[] {
	const found: string[] = [];
	for (const match of source.matchAll(/new (?:LiveRoom|AnnouncedRoom)\(\{/g)) {
		let depth = 0;
		const start = match.index + match[0].length - 1;
		for (let i = start; i < source.length; i++) {
			if (source[i] === '{') depth++;
			if (source[i] === '}' && --depth === 0) {
				found.push(source.slice(start, i + 1));
				break;
			}
		}
	}
	return found;
}

describe('live rooms replay what was missed before they joined', () => {
	// The room classes' own module defines them; it does not follow a room itself.
	const rooms = svelteFiles(SRC)
		.filter((file) => !file.endsWith(path.join('live', 'room.svelte.ts')))
		.flatMap((file) => roomOptions(readFileSync(file, 'utf8')).map((options) => ({ file: path.relative(SRC, file), options })));

	it('finds the pages that follow rooms', () => {
		expect(rooms.length).toBeGreaterThanOrEqual(15);
		expect(rooms.some((room) => room.file === path.join('routes', '(app)', '+page.svelte'))).toBe(true);
	});

	it('gives every room the number its page was loaded at', () => {
		expect(rooms.filter((room) => !/\bsince:/.test(room.options)).map((room) => room.file)).toEqual([]);
	});
});
