import { sql } from 'kysely';
import { ukToday } from '../../src/lib/dates';
import { DEFAULT_PERIODS, type Category } from '../../src/lib/disputes/model';
import { addCalendarDays, districtCalendar, type Term } from '../../src/lib/server/disputes/calendar';
import { triage } from '../../src/lib/server/disputes/rules';
import { DEMO_SETTINGS } from './demo-accounts';
import type { SeededPeople } from './people';
import type { Trx } from './support';

// District dispute-resolution panels in Cherwell: its term dates for two school years, and one
// case at each stage built so far (an exclusion routed out with its deadline; a referral accepted
// for a panel). Deadlines come from the same triage as a real referral. Seeded only while Cherwell
// has no cases, so an officer's work is never overwritten.

/** Oxfordshire's pattern of terms (first and last school day), for the school year starting in `year`. */
function schoolYear(year: number): Term[] {
	const next = year + 1;
	return [
		{ start: `${year}-09-02`, end: `${year}-10-23` },
		{ start: `${year}-11-02`, end: `${year}-12-18` },
		{ start: `${next}-01-05`, end: `${next}-02-12` },
		{ start: `${next}-02-22`, end: `${next}-03-26` },
		{ start: `${next}-04-12`, end: `${next}-05-28` },
		{ start: `${next}-06-07`, end: `${next}-07-21` }
	];
}

interface CaseSeed {
	category: Category;
	initials: string;
	yearGroup: string;
	tried: string;
	outcomeSought: string;
	letterDaysAgo: number | null;
}

const CASES: CaseSeed[] = [
	{ category: 'exclusion', initials: 'TR', yearGroup: 'Year 9', tried: 'Meeting with the head of year', outcomeSought: 'Return to school with a support plan', letterDaysAgo: 3 },
	{
		category: 'sen_support',
		initials: 'AB',
		yearGroup: 'Year 4',
		tried: 'Two meetings with the SENCO; a support plan review',
		outcomeSought: 'Agreed support in class and a named contact at school',
		letterDaysAgo: null
	}
];

export async function seedDisputes(trx: Trx, people: SeededPeople): Promise<void> {
	const cherwell = await trx.selectFrom('cluster').select(['id', 'name']).where('kind', '=', 'district').where('name', '=', 'Cherwell').executeTakeFirst();
	if (!cherwell) return;
	const existing = await trx.selectFrom('dispute_case').select('id').where('district_id', '=', cherwell.id).limit(1).executeTakeFirst();
	if (existing) return;
	const today = ukToday();
	const thisYear = Number(today.slice(0, 4));
	const terms = [thisYear - 1, thisYear, thisYear + 1].flatMap(schoolYear);
	await trx.insertInto('dispute_term').values(terms.map((t) => ({ district_id: cherwell.id, starts_on: t.start, ends_on: t.end }))).execute();
	const calendar = districtCalendar(terms, [thisYear - 1, thisYear, thisYear + 1, thisYear + 2]);
	const school = await trx.selectFrom('setting').select('id').where('name', '=', DEMO_SETTINGS.banburyPrimary).executeTakeFirstOrThrow();
	const officerId = people.demoUserId('sendiass');
	for (const seed of CASES) {
		const letter = seed.letterDaysAgo === null ? null : addCalendarDays(today, -seed.letterDaysAgo);
		const routed = triage({ category: seed.category, intakeDate: today, decisionLetterDate: letter, safeguarding: false }, DEFAULT_PERIODS, calendar);
		const { id } = await trx
			.insertInto('dispute_case')
			.values({
				reference: `seed-${seed.initials}`,
				district_id: cherwell.id,
				other_party: 'maintained_school',
				setting_id: school.id,
				category: seed.category,
				route: routed.route,
				status: routed.heardByPanel ? 'referred' : 'routed_out',
				child_initials: seed.initials,
				year_group: seed.yearGroup,
				tried: seed.tried,
				outcome_sought: seed.outcomeSought,
				decision_letter_date: letter,
				created_by: officerId
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.updateTable('dispute_case').set({ reference: sql`'DR-CHE-' || lpad(${id}::text, 4, '0')` }).where('id', '=', id).execute();
		if (routed.deadlines.length) {
			await trx
				.insertInto('dispute_deadline')
				.values(routed.deadlines.map((d) => ({ case_id: id, key: d.key, what: d.what, due_on: d.due, from_on: d.from, note: d.note ?? '' })))
				.execute();
		}
	}
}
