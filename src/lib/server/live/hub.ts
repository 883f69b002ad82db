import type { LiveEnvelope } from '$lib/live/events';
import { globalSlot } from '../global-slot';

/**
 * What happens after a transaction commits: its live events go out over socket.io and its mail
 * is delivered. Boot installs the real hub; until then (CLI, unit tests) events are dropped,
 * which is safe because clients catch up from the outbox table when they next join.
 * Kept on globalThis so the dev server's reloaded modules and the boot module share one hub.
 */
export interface AfterCommitHub {
	emit(events: LiveEnvelope[]): void;
	deliverMail(mailIds: number[]): void;
	/** Ends these people's live connections (deactivated, or their roles changed and must be re-read). */
	disconnectUsers(userIds: number[]): void;
	/** Ends the live connections opened with these sessions (signed out, or ended by a password change). */
	disconnectSessions(sessionIds: string[]): void;
}

const hubSlot = globalSlot<AfterCommitHub>('send-portal.afterCommitHub');

export function installHub(hub: AfterCommitHub | undefined): void {
	hubSlot.set(hub);
}

export function currentHub(): AfterCommitHub | undefined {
	return hubSlot.get();
}
