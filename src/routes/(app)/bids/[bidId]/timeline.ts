// Words for a bid's older audit entries, written before each entry carried its own summary: the
// timeline reads "<who> <words>", so each is what the person did.
import type { TimelineEntry } from '$lib/components/Timeline.svelte';
import { actionWords } from '$lib/components/Timeline.svelte';
import { BID_SECTIONS } from '$lib/bids/model';
import { bidDocument } from '$lib/bids/document';
import { isSectionOf } from '$lib/document';

const BID_ACTIONS: Record<string, string> = {
	'bid.created': 'started the bid',
	'bid.partner_added': 'added a partner setting',
	'bid.partner_removed': 'removed a partner setting',
	'bid.pledge_confirmed': 'confirmed a pledge to the pool',
	'bid.submitted': 'signed off and submitted the bid for cluster endorsement',
	'bid.endorsed': 'endorsed the bid for their setting',
	'bid.objected': 'objected to the bid for their setting',
	'bid.endorsement_complete': 'gave the endorsement the cluster needed: the bid went to council officers',
	'bid.approved': 'approved the bid',
	'bid.declined': 'declined the bid',
	'bid.returned': 'returned the bid for changes',
	'bid.funded': 'marked the bid as funded',
	'bid.closed': 'closed the bid',
	'bid.withdrawn': 'withdrew the bid',
	'bid.milestone_updated': 'updated a milestone’s progress'
};

const field = (detail: unknown, key: string): unknown => (detail && typeof detail === 'object' ? Object.entries(detail).find(([name]) => name === key)?.[1] : undefined);

/** What a bid's audit entry says happened, for entries without a written summary. */
export function bidActionLabel(entry: TimelineEntry): string {
	if (entry.action === 'bid.section_saved') {
		const section = field(entry.detail, 'section');
		return `saved ${typeof section === 'string' && isSectionOf(bidDocument, section) ? BID_SECTIONS[section].toLowerCase() : 'a section'}`;
	}
	if (entry.action === 'bid.submitted') {
		const n = field(entry.detail, 'submissionNo');
		return `${BID_ACTIONS['bid.submitted']}${typeof n === 'number' ? ` (version ${n})` : ''}`;
	}
	return Object.hasOwn(BID_ACTIONS, entry.action) ? BID_ACTIONS[entry.action] : actionWords(entry);
}
