// The capital programme's money events, as both ends see them. They go to the programme's room
// (officers' set-up pages and the dashboard follow it); who may join it: `$lib/server/capital/live.ts`.
import type { CommitmentKind } from './model';

export type MoneySubject = 'commitment' | 'transfer' | 'spend' | 'occupancy' | 'public_note';

declare module '$lib/live/events' {
	interface LiveEventPayloads {
		/** Money was committed or planned, moved between lines, spent, or places occupied: figures refetch. */
		'money.changed': { subject: MoneySubject; id: number; applicationId: number | null; kind?: CommitmentKind };
	}
}

export {};
