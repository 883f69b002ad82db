import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_STALENESS, ROOM_KINDS } from '../../src/lib/server/live-features';
import { staleAfter } from '../../src/lib/server/live/stale';
import type { LiveEnvelope } from '../../src/lib/live/events';

/** Every `.ts` file under src/lib. */
function sources(dir = 'src/lib'): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
	});
}

/** The keys declared in every `interface <name> { ... }` of the shared event map (and its merges). */
function declaredKeys(name: string): string[] {
	const keys: string[] = [];
	for (const file of sources()) {
		const text = readFileSync(file, 'utf8');
		for (const block of text.matchAll(new RegExp(`interface ${name} \\{([\\s\\S]*?)\\n\\t*\\}`, 'g'))) {
			for (const key of block[1].matchAll(/^\s*'?([a-z]+(?:\.[a-z]+)*)'?\s*:/gm)) keys.push(key[1]);
		}
	}
	return keys.sort();
}

const envelope = (kind: string, payload: unknown, room = 'cluster:7') => ({ room, seq: 1, kind, payload }) as LiveEnvelope;

describe('live rooms and events by registration', () => {
	it('every event kind declared for the two ends says what it makes stale on the server', () => {
		const declared = declaredKeys('LiveEventPayloads');
		expect(declared).toContain('bid.changed');
		expect(declared).toContain('access.changed');
		expect(Object.keys(EVENT_STALENESS).sort()).toEqual(declared);
		for (const declaration of Object.values(EVENT_STALENESS)) expect(typeof declaration).toBe('function');
	});

	it('every room kind declared for the two ends is registered once, with who may join', () => {
		const declared = declaredKeys('LiveRoomKinds');
		expect(ROOM_KINDS.map((room) => room.kind).sort()).toEqual(declared);
		for (const room of ROOM_KINDS) expect(typeof room.authorize).toBe('function');
	});

	const cases: { event: LiveEnvelope; workspaces: unknown; sessionsOf: unknown }[] = [
		{ event: envelope('bid.changed', { bidId: 1, roundId: 2, version: 3, section: null }), workspaces: undefined, sessionsOf: undefined },
		{ event: envelope('round.changed', { roundId: 2, version: 3 }), workspaces: undefined, sessionsOf: undefined },
		{ event: envelope('notification.created', { notificationId: 4 }, 'user:3'), workspaces: undefined, sessionsOf: undefined },
		{ event: envelope('notification.read', { notificationId: null }, 'user:3'), workspaces: undefined, sessionsOf: undefined },
		{ event: envelope('activity.created', { activityId: 9, clusterId: 8 }), workspaces: [7], sessionsOf: undefined },
		// Whose access changed is told by access.changed: a member list change forgets no session.
		{ event: envelope('membership.changed', { clusterId: 7 }), workspaces: [7], sessionsOf: undefined },
		{ event: envelope('cluster.changed', { clusterId: 7, version: 2 }), workspaces: 'all', sessionsOf: 'all' },
		{ event: envelope('access.changed', { userIds: [5] }, 'user:5'), workspaces: undefined, sessionsOf: [5] },
		// A kind this instance does not know (a newer release relaying): forget everything rather than keep stale rights.
		{ event: envelope('panel.changed', { panelId: 1 }), workspaces: 'all', sessionsOf: 'all' }
	];
	it.each(cases)('$event.kind $event.payload makes stale workspaces $workspaces and sessions of $sessionsOf', ({ event, workspaces, sessionsOf }) => {
		const stale = staleAfter(event);
		expect(stale.workspaces).toEqual(workspaces);
		expect(stale.sessionsOf).toEqual(sessionsOf);
	});
});
