import Holidays from 'date-holidays';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { messageOf } from '../errors';
import type { Answer, PointStatus } from '$lib/pcf/model';
import { THEME_NAME_MAX } from '$lib/pcf/model';

// PCF advice's domain rules, pure: working days (England's bank holidays from date-holidays),
// where a point is on its journey, when it is overdue, what publication still needs, the theme
// list's CSV (OxPCF's tracker) and the Atom feed. Database and pages stay at the edges.

const england = new Holidays('GB', 'ENG');
const bankHolidays = new Map<number, Set<string>>();

/** England's public holidays in a year, as ISO dates (substitute days included). */
function holidaysIn(year: number): Set<string> {
	let days = bankHolidays.get(year);
	if (!days) {
		days = new Set(
			england
				.getHolidays(year)
				.filter((h) => h.type === 'public')
				.map((h) => h.date.slice(0, 10))
		);
		bankHolidays.set(year, days);
	}
	return days;
}

/** England's public holidays in the years `fromYear` to `toYear`, as ISO dates (for counting working days in SQL). */
export function bankHolidaysIn(fromYear: number, toYear: number): string[] {
	const days: string[] = [];
	for (let year = fromYear; year <= toYear; year += 1) days.push(...holidaysIn(year));
	return days.sort();
}

const dayMs = 86_400_000;
const isoOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

export function isWorkingDay(iso: string): boolean {
	const weekday = new Date(msOf(iso)).getUTCDay();
	return weekday !== 0 && weekday !== 6 && !holidaysIn(Number(iso.slice(0, 4))).has(iso);
}

/** Working days after `from` up to and including `to` (0 when `to` is not later). */
export function workingDaysBetween(from: string, to: string): number {
	let count = 0;
	for (let ms = msOf(from) + dayMs; ms <= msOf(to); ms += dayMs) if (isWorkingDay(isoOf(ms))) count += 1;
	return count;
}

/** The date `days` working days after `from`. */
export function addWorkingDays(from: string, days: number): string {
	let ms = msOf(from);
	for (let left = days; left > 0; ) {
		ms += dayMs;
		if (isWorkingDay(isoOf(ms))) left -= 1;
	}
	return isoOf(ms);
}

/** A point as the rules read it. */
export interface PointState {
	raisedOn: string;
	answer: Answer | null;
	answerPublished: boolean;
	changeBy: string | null;
	deliveredOn: string | null;
}

/** Where a point is from said to done. An answer counts once it is published (drafts are the owner's). */
export function pointStatus(point: PointState): PointStatus {
	if (!point.answer || !point.answerPublished) return 'waiting';
	if (point.answer !== 'will_change') return 'answered';
	return point.deliveredOn ? 'delivered' : 'changing';
}

/** A point waiting for its published answer longer than the group's limit, in working days. */
export function answerOverdue(point: PointState, today: string, limitDays: number): boolean {
	return pointStatus(point) === 'waiting' && workingDaysBetween(point.raisedOn, today) > limitDays;
}

/** A "will change" past the date it promised, not yet delivered: chased. */
export function changeOverdue(point: PointState, today: string): boolean {
	return pointStatus(point) === 'changing' && point.changeBy !== null && point.changeBy < today;
}

/** What an answer must say: what will change and by when, or why not. Null when it is complete. */
export function answerProblem(answer: Answer, text: string, changeBy: string | null, today: string): { field: string; message: string } | null {
	if (!text.trim()) {
		const words: Record<Answer, string> = {
			will_change: 'Say what will change',
			partly: 'Say what changed and what did not',
			not_changed: 'Say why it was not changed'
		};
		return { field: 'text', message: words[answer] };
	}
	if (answer === 'will_change') {
		if (!changeBy) return { field: 'changeBy', message: 'Enter the date the change will be made by' };
		if (changeBy < today) return { field: 'changeBy', message: 'The date the change will be made by must be today or later' };
	}
	return null;
}

/** What publication of a point still waits for, in words (empty when it may go public). */
export function publicationWaitsFor(point: { answerPublished: boolean; officerChecked: boolean; leadChecked: boolean }): string[] {
	const waits: string[] = [];
	if (!point.answerPublished) waits.push('its answer to be published');
	if (!point.officerChecked) waits.push('an officer’s check');
	if (!point.leadChecked) waits.push('the PCF lead’s check');
	return waits;
}

// --- Themes as CSV, the columns OxPCF's tracker keeps ---

export interface ThemeRow {
	name: string;
	description: string;
	retired: boolean;
}
export const THEME_COLUMNS = ['name', 'description', 'retired'] as const;

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or return) as a formula: such text
 * is written with a leading apostrophe, which the import takes off again.
 */
export const guardCell = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
const unguardCell = (text: string) => (/^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text);

export function themesToCsv(themes: readonly ThemeRow[]): string {
	return stringify(
		themes.map((t) => [guardCell(t.name), guardCell(t.description), t.retired ? 'yes' : 'no']),
		{ header: true, columns: [...THEME_COLUMNS] }
	);
}

export type ThemeCsvReading = { ok: true; themes: ThemeRow[] } | { ok: false; problems: string[] };

/** Reads OxPCF's tracker export: a header row with at least `name`; each problem names its line. */
export function themesFromCsv(text: string): ThemeCsvReading {
	let records: Record<string, string>[];
	try {
		records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
	} catch (caught) {
		return { ok: false, problems: [`The file could not be read as CSV: ${messageOf(caught)}`] };
	}
	if (records.length === 0) return { ok: false, problems: ['The file has no themes in it'] };
	if (!('name' in records[0])) return { ok: false, problems: ['The first row must name the columns, including “name”'] };
	const problems: string[] = [];
	const seen = new Set<string>();
	const themes: ThemeRow[] = [];
	records.forEach((record, index) => {
		const line = index + 2;
		const name = unguardCell(record.name ?? '').trim();
		const retired = (record.retired ?? '').trim().toLowerCase();
		if (!name) problems.push(`Line ${line}: the theme has no name`);
		else if (name.length > THEME_NAME_MAX) problems.push(`Line ${line}: the name must be ${THEME_NAME_MAX} characters or fewer`);
		else if (seen.has(name.toLowerCase())) problems.push(`Line ${line}: “${name}” is in the file twice`);
		if (!['', 'yes', 'no', 'true', 'false'].includes(retired)) problems.push(`Line ${line}: “retired” must be yes or no`);
		seen.add(name.toLowerCase());
		themes.push({ name, description: unguardCell(record.description ?? '').trim(), retired: retired === 'yes' || retired === 'true' });
	});
	return problems.length ? { ok: false, problems } : { ok: true, themes };
}

// --- The Atom feed of published points ---

export interface FeedEntry {
	id: string;
	title: string;
	updated: Date;
	link: string;
	/** Plain text; escaped here. */
	summary: string;
}

const escapeXml = (text: string) =>
	text
		// Characters XML 1.0 cannot carry at all are dropped rather than breaking the feed.
		// eslint-disable-next-line no-control-regex -- these control characters are exactly what is removed
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');

/** An Atom 1.0 document (RFC 4287): every text escaped, links absolute. */
export function atomFeed(feed: { id: string; title: string; link: string; self: string; updated: Date; entries: readonly FeedEntry[] }): string {
	const entries = feed.entries
		.map(
			(e) => `  <entry>
    <id>${escapeXml(e.id)}</id>
    <title>${escapeXml(e.title)}</title>
    <updated>${e.updated.toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${escapeXml(e.link)}"/>
    <summary type="text">${escapeXml(e.summary)}</summary>
  </entry>`
		)
		.join('\n');
	return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeXml(feed.id)}</id>
  <title>${escapeXml(feed.title)}</title>
  <updated>${feed.updated.toISOString()}</updated>
  <author><name>Oxfordshire County Council and Oxfordshire Parent Carer Forum</name></author>
  <link rel="alternate" type="text/html" href="${escapeXml(feed.link)}"/>
  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.self)}"/>
${entries}
</feed>
`;
}
