// What the bid's pages (overview, section pages, check page) share: where they sit in the
// breadcrumbs, and who is in the bid's room now.
import { lazyTrpc } from '$lib/trpc-lazy';

/** The pages above a bid's: the clusters, its cluster, its round, and (for its sub-pages) the bid itself. */
export function bidCrumbs(
	bid: { id: number; cluster_id: number; round_id: number; round_name: string },
	clusterName: string,
	title?: string
): { href: string; label: string }[] {
	return [
		{ href: '/clusters', label: 'Clusters' },
		{ href: `/clusters/${bid.cluster_id}`, label: clusterName },
		{ href: `/rounds/${bid.round_id}`, label: bid.round_name },
		...(title === undefined ? [] : [{ href: `/bids/${bid.id}`, label: title }])
	];
}

/** Someone in the bid's room, with the section they are working in (by its label), if any. */
export interface PresentWriter {
	userId: number;
	name: string;
	section: string | null;
	isYou: boolean;
}

/** Who is in the bid's room now (asked when the room says it changed). */
export const bidPresence = (bidId: number): Promise<PresentWriter[]> => lazyTrpc().then((api) => api.bids.presence.query({ bidId }));
