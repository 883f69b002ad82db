import type { EditionApproval } from '$lib/pcf/model';

// The editions' and subscriptions' rules, pure: what publication still waits for, a confirmation
// link's life (single use, expiring), which editions a subscription covers and how an edition's
// points group by theme. Database and pages stay at the edges.

/** A confirmation link works for two days, once. */
export const CONFIRM_LIFETIME_MS = 48 * 60 * 60 * 1000;

/** What an edition still needs before it is published: both approvals, of the version saved now. */
export function editionWaitsFor(state: { officerApproved: boolean; leadApproved: boolean }): EditionApproval[] {
	const waits: EditionApproval[] = [];
	if (!state.officerApproved) waits.push('officer');
	if (!state.leadApproved) waits.push('lead');
	return waits;
}

export type ConfirmationProblem = 'unknown' | 'used' | 'expired';

/** Why a confirmation link cannot be used (null when it can): never ours, used already, or too old. */
export function confirmationProblem(row: { confirmedAt: Date | null; expiresAt: Date | null } | undefined, now: Date): ConfirmationProblem | null {
	if (!row) return 'unknown';
	if (row.confirmedAt) return 'used';
	if (!row.expiresAt || row.expiresAt.getTime() <= now.getTime()) return 'expired';
	return null;
}

/** Subscribers of a district hear of its editions and the county-wide ones; county-wide subscribers hear of every edition. */
export function subscriptionCovers(subscriberDistrictId: number | null, editionDistrictId: number | null): boolean {
	return subscriberDistrictId === null || editionDistrictId === null || subscriberDistrictId === editionDistrictId;
}

/** An edition's points under each theme (a point with two themes shows under both; one with none under "Other feedback"), themes by name. */
export function pointsByTheme<P extends { id: number; themes: { id: number; name: string }[] }>(points: readonly P[]): { theme: string; points: P[] }[] {
	const groups = new Map<string, P[]>();
	for (const point of points) {
		const names = point.themes.length ? point.themes.map((t) => t.name) : [OTHER_THEME];
		for (const name of names) {
			const list = groups.get(name) ?? [];
			list.push(point);
			groups.set(name, list);
		}
	}
	return [...groups.entries()]
		.sort(([a], [b]) => (a === OTHER_THEME ? 1 : b === OTHER_THEME ? -1 : a.localeCompare(b, 'en-GB')))
		.map(([theme, list]) => ({ theme, points: list }));
}

export const OTHER_THEME = 'Other feedback';
