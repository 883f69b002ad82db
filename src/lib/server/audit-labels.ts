import { auditSummary, type AuditEntry } from './audit';

// What a timeline says for an audit entry: its summary, written once by `work.record` when it
// happened. Entries written before the feature kit may lack one, or (people administration) say
// only the role, which the page used to put after a label; these labels say them as they were
// shown then. New entries never need them. The one place the labels live.

const LEGACY_LABELS: Record<string, string> = {
	// People administration: the label came first, then the entry's detail ("Role added: SENCO at …").
	'person.invited': 'Invited',
	'invitation.accepted': 'Accepted invitation',
	'role.granted': 'Role added',
	'role.revoked': 'Role removed',
	'countyRole.changed': 'County role changed',
	'person.deactivated': 'Account deactivated',
	'person.reactivated': 'Account reactivated',
	// County set-up: the label only when an entry had no summary.
	'cluster.created': 'Created',
	'cluster.renamed': 'Renamed',
	'cluster.merged': 'Merged',
	'cluster.retired': 'Retired',
	'setting.moved': 'Setting moved'
};

const LABEL_FIRST = new Set(['person.invited', 'invitation.accepted', 'role.granted', 'role.revoked', 'countyRole.changed', 'person.deactivated', 'person.reactivated']);

/** The label an old entry was shown with, for a timeline that wants one (`summary ?? label`). */
export function legacyLabel(action: string): string {
	return Object.hasOwn(LEGACY_LABELS, action) ? LEGACY_LABELS[action] : action;
}

/** What happened, in words for people: the entry's summary, or for an old entry what the page showed then. */
export function historySummary(entry: AuditEntry): string {
	const summary = auditSummary(entry);
	const label = legacyLabel(entry.action);
	if (summary === null) return label;
	if (!LABEL_FIRST.has(entry.action) || summary.startsWith(`${label}`)) return summary;
	return `${label}: ${summary}`;
}
