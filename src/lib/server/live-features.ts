import type { LiveEventKind } from '$lib/live/events';
import { infrastructureLive } from './live/infrastructure';
import type { RoomKindRegistration, StaleAfter } from './live/registry';
import { bidsLive } from './bids/live';
import { capitalLive } from './capital/live';
import { capitalApplicationsLive } from './capital/applications/live';
import { moneyLive } from './capital/money/live';
import { assessmentLive } from './capital/assessment/live';
import { clustersLive } from './clusters/live';
import { notificationsLive } from './notifications/live';
import { pcfLive } from './pcf/live';
import { discussionsLive } from './discussions/live';
import { disputesLive } from './disputes/live';

/**
 * The one list of features' live rooms and events, as `policy.ts` is for rules. Adding a feature
 * with a room or events: declare them for both ends in `$lib/<feature>/live.ts`, register them in
 * `server/<feature>/live.ts`, and add it to this list. The socket server and the caches read only this.
 */
const FEATURES = [infrastructureLive, clustersLive, bidsLive, notificationsLive, capitalLive, capitalApplicationsLive, assessmentLive, pcfLive, moneyLive, discussionsLive, disputesLive] as const;

type Merged<U> = (U extends unknown ? (whole: U) => void : never) extends (whole: infer I) => void ? I : never;
type AllEvents = Merged<(typeof FEATURES)[number]['events']>;

/**
 * Every event kind with what it makes stale; the `satisfies` refuses a kind no feature declared.
 * Cast: `Object.assign` over a list types its result loosely; AllEvents is exactly the features' maps merged.
 */
export const EVENT_STALENESS = Object.assign({}, ...FEATURES.map((feature) => feature.events)) as AllEvents satisfies {
	[K in LiveEventKind]: StaleAfter<K>;
};

export const ROOM_KINDS: readonly RoomKindRegistration[] = FEATURES.flatMap((feature) => feature.rooms ?? []);
