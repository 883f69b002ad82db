import { isSchoolDay, londonDate, type DisputeCalendar } from './calendar';

// Candidate slots for a panel meeting, as pure rules. Officers give a London date and time; the
// instant is worked out with the offset London has on that day (GMT or BST), so a slot proposed
// for 10:00 on the Monday after the clocks go back is 10:00 there, not 09:00 or 11:00. A time the
// spring change skips is refused; one the autumn change repeats is its first (BST) occurrence.

const LONDON_CLOCK = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/** The London date and time at an instant, as `YYYY-MM-DD` and `HH:MM`. */
export function londonClock(instant: Date): { date: string; time: string } {
	const parts = Object.fromEntries(LONDON_CLOCK.formatToParts(instant).map((p) => [p.type, p.value]));
	return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** The instant of a London wall-clock time, or null when the clocks skip it (01:00–01:59 on the last Sunday in March). */
export function londonInstant(date: string, time: string): Date | null {
	const asUtc = Date.parse(`${date}T${time}:00Z`);
	if (Number.isNaN(asUtc)) return null;
	// Summer time first, so a repeated autumn hour is taken at its first occurrence.
	for (const offsetMinutes of [60, 0]) {
		const instant = new Date(asUtc - offsetMinutes * 60_000);
		const clock = londonClock(instant);
		if (clock.date === date && clock.time === time) return instant;
	}
	return null;
}

/** A slot as an officer proposes it. */
export interface SlotDraft {
	date: string;
	time: string;
	minutes: number;
}

export interface CheckedSlot {
	startsAt: Date;
	endsAt: Date;
}

export interface SlotCheck {
	/** The slots as instants, in the order given (only when there are no errors). */
	slots: CheckedSlot[];
	/** Refusals, keyed `slots.N` for the Nth slot. */
	errors: Record<string, string[]>;
	/** Warnings the officer may go ahead past: a slot outside term where the district counts school days. */
	warnings: string[];
}

const slotWords = (slot: SlotDraft, index: number) => `Slot ${index + 1} (${slot.date} at ${slot.time})`;

/**
 * Checks candidate slots: none in the past, none overlapping another, none at a time the clocks
 * skip; a slot outside term is a warning when the district counts its targets in school days.
 */
export function checkSlots(drafts: readonly SlotDraft[], now: Date, calendar: DisputeCalendar, usesSchoolDays: boolean): SlotCheck {
	const errors: Record<string, string[]> = {};
	const warnings: string[] = [];
	const add = (index: number, message: string) => (errors[`slots.${index}`] ??= []).push(message);
	const slots: (CheckedSlot | null)[] = drafts.map((draft, index) => {
		const startsAt = londonInstant(draft.date, draft.time);
		if (!startsAt) {
			add(index, `${slotWords(draft, index)} does not exist in London: the clocks go forward then. Choose another time`);
			return null;
		}
		if (startsAt.getTime() <= now.getTime()) add(index, `${slotWords(draft, index)} is in the past. Choose a time from now on`);
		if (usesSchoolDays && !isSchoolDay(draft.date, calendar)) warnings.push(`${slotWords(draft, index)} is not a school day in the district’s terms.`);
		return { startsAt, endsAt: new Date(startsAt.getTime() + draft.minutes * 60_000) };
	});
	slots.forEach((slot, index) => {
		if (!slot) return;
		const clash = slots.findIndex((other, j) => j < index && other !== null && other.startsAt < slot.endsAt && slot.startsAt < other.endsAt);
		if (clash !== -1) add(index, `${slotWords(drafts[index], index)} overlaps slot ${clash + 1}. Choose times that do not overlap`);
	});
	const ok = Object.keys(errors).length === 0;
	return { slots: ok ? slots.filter((slot): slot is CheckedSlot => slot !== null) : [], errors, warnings };
}

/** A slot's London date and time in words: "Monday 26 October 2026, 10:00 to 12:00 (London time)". */
export function slotWhen(startsAt: Date, endsAt: Date): string {
	const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long' }).format(startsAt);
	const date = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' }).format(startsAt);
	const day = `${weekday} ${date}`;
	return `${day}, ${londonClock(startsAt).time} to ${londonClock(endsAt).time} (London time)`;
}

export { londonDate };
