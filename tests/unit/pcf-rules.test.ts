import { describe, expect, it } from 'vitest';
import {
	addWorkingDays,
	answerOverdue,
	answerProblem,
	atomFeed,
	changeOverdue,
	isWorkingDay,
	pointStatus,
	publicationWaitsFor,
	themesFromCsv,
	themesToCsv,
	workingDaysBetween,
	type PointState
} from '../../src/lib/server/pcf/rules';

const point = (over: Partial<PointState> = {}): PointState => ({
	raisedOn: '2026-12-01',
	answer: null,
	answerPublished: false,
	changeBy: null,
	deliveredOn: null,
	...over
});

describe('working days in England', () => {
	it('skips weekends and bank holidays, including substitute days', () => {
		expect(isWorkingDay('2026-12-01')).toBe(true);
		expect(isWorkingDay('2026-12-05')).toBe(false); // Saturday
		expect(isWorkingDay('2026-12-25')).toBe(false);
		expect(isWorkingDay('2026-12-28')).toBe(false); // Boxing Day substitute
		expect(isWorkingDay('2026-08-31')).toBe(false); // Summer bank holiday
	});

	it('counts the days after the start up to and including the end', () => {
		expect(workingDaysBetween('2026-12-01', '2026-12-01')).toBe(0);
		expect(workingDaysBetween('2026-12-01', '2026-12-08')).toBe(5);
		// 21 Dec (Mon) to 4 Jan (Mon): 22, 23, 24, 29, 30, 31 Dec; 1 Jan is a holiday; 4 Jan.
		expect(workingDaysBetween('2026-12-21', '2027-01-04')).toBe(7);
	});

	it('adds working days over a holiday', () => {
		expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
		expect(workingDaysBetween('2026-12-24', addWorkingDays('2026-12-24', 10))).toBe(10);
	});
});

describe('a point’s journey', () => {
	it('waits until its answer is published, then answered, changing or delivered', () => {
		expect(pointStatus(point())).toBe('waiting');
		expect(pointStatus(point({ answer: 'partly' }))).toBe('waiting');
		expect(pointStatus(point({ answer: 'partly', answerPublished: true }))).toBe('answered');
		expect(pointStatus(point({ answer: 'not_changed', answerPublished: true }))).toBe('answered');
		expect(pointStatus(point({ answer: 'will_change', answerPublished: true, changeBy: '2027-01-10' }))).toBe('changing');
		expect(pointStatus(point({ answer: 'will_change', answerPublished: true, changeBy: '2027-01-10', deliveredOn: '2027-01-05' }))).toBe('delivered');
	});

	it('is overdue for an answer only after more than the limit in working days', () => {
		// 1 Dec + 20 working days = 31 Dec (Christmas, Boxing Day and its substitute do not count);
		// the next working day is 4 Jan (New Year's Day and a weekend between).
		expect(addWorkingDays('2026-12-01', 20)).toBe('2026-12-31');
		expect(answerOverdue(point(), '2026-12-31', 20)).toBe(false);
		expect(answerOverdue(point(), '2027-01-01', 20)).toBe(false);
		expect(answerOverdue(point(), '2027-01-04', 20)).toBe(true);
		expect(answerOverdue(point({ answer: 'partly', answerPublished: true }), '2027-03-01', 20)).toBe(false);
	});

	it('chases a "will change" past its date until it is delivered', () => {
		const changing = point({ answer: 'will_change', answerPublished: true, changeBy: '2027-01-10' });
		expect(changeOverdue(changing, '2027-01-10')).toBe(false);
		expect(changeOverdue(changing, '2027-01-11')).toBe(true);
		expect(changeOverdue({ ...changing, deliveredOn: '2027-01-11' }, '2027-02-01')).toBe(false);
	});

	it('requires what, by when, or why', () => {
		expect(answerProblem('will_change', '', null, '2026-12-01')?.field).toBe('text');
		expect(answerProblem('will_change', 'Ramps added', null, '2026-12-01')?.field).toBe('changeBy');
		expect(answerProblem('will_change', 'Ramps added', '2026-11-30', '2026-12-01')?.field).toBe('changeBy');
		expect(answerProblem('will_change', 'Ramps added', '2026-12-01', '2026-12-01')).toBeNull();
		expect(answerProblem('not_changed', '  ', null, '2026-12-01')?.message).toMatch(/why/);
		expect(answerProblem('not_changed', 'The site has no room', null, '2026-12-01')).toBeNull();
	});

	it('is published only after its answer and both checks', () => {
		expect(publicationWaitsFor({ answerPublished: true, officerChecked: true, leadChecked: true })).toEqual([]);
		expect(publicationWaitsFor({ answerPublished: true, officerChecked: true, leadChecked: false })).toEqual(['the PCF lead’s check']);
		expect(publicationWaitsFor({ answerPublished: false, officerChecked: false, leadChecked: true })).toHaveLength(2);
	});
});

describe('the theme list as CSV', () => {
	it('round-trips, including commas, quotes, line breaks and formula-looking text', () => {
		const themes = [
			{ name: 'Transport', description: 'Getting to school, and home again', retired: false },
			{ name: 'Communication "in plain words"', description: 'Line one\nline two', retired: true },
			{ name: '=HYPERLINK("x")', description: '+44 helpline, -dash, @mention', retired: false }
		];
		const csv = themesToCsv(themes);
		expect(csv).not.toMatch(/^=|\n=|,=|,\+|,-|,@/m);
		expect(themesFromCsv(csv)).toEqual({ ok: true, themes });
	});

	it('names each line with a problem', () => {
		const reading = themesFromCsv('name,retired\nTransport,no\n,no\ntransport,maybe\n');
		expect(reading.ok).toBe(false);
		if (!reading.ok) {
			expect(reading.problems).toContain('Line 3: the theme has no name');
			expect(reading.problems).toContain('Line 4: “transport” is in the file twice');
			expect(reading.problems).toContain('Line 4: “retired” must be yes or no');
		}
	});

	it('refuses a file without a name column, an empty file and broken quoting', () => {
		expect(themesFromCsv('title\nTransport\n').ok).toBe(false);
		expect(themesFromCsv('').ok).toBe(false);
		expect(themesFromCsv('name\n"Transport\n').ok).toBe(false);
	});
});

describe('the Atom feed', () => {
	const feed = (summary: string) =>
		atomFeed({
			id: 'https://portal.example/you-said-we-did',
			title: 'You said, we did: Oxfordshire',
			link: 'https://portal.example/you-said-we-did',
			self: 'https://portal.example/you-said-we-did/feed.atom',
			updated: new Date('2026-12-01T10:00:00Z'),
			entries: [{ id: 'urn:pcf-point:7', title: 'Transport: We will change', updated: new Date('2026-12-01T09:00:00Z'), link: 'https://portal.example/you-said-we-did#point-7', summary }]
		});

	it('is an Atom document with one entry per point', () => {
		const xml = feed('Families asked for ramps. We will add them.');
		expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(true);
		expect(xml.match(/<entry>/g)).toHaveLength(1);
		expect(xml).toContain('<updated>2026-12-01T09:00:00.000Z</updated>');
		expect(xml).toContain('<summary type="text">Families asked for ramps. We will add them.</summary>');
	});

	it('escapes markup and drops characters XML cannot carry', () => {
		const xml = feed('<script>alert(1)</script> & "quotes" \u0001');
		expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; </summary>');
		expect(xml).not.toContain('<script>');
		expect(xml).not.toContain('\u0001');
	});
});
