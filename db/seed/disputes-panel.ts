import { sql } from 'kysely';
import { hashPassword } from '../../src/lib/server/auth/password';
import { addCalendarDays, endOfLondonDay } from '../../src/lib/server/disputes/calendar';
import { meetingUid } from '../../src/lib/server/disputes/ics';
import { londonDate, londonInstant } from '../../src/lib/server/disputes/scheduling';
import type { Answer, PanelRole } from '../../src/lib/disputes/model';
import { DEMO_PASSWORD, DEMO_SETTINGS } from './demo-accounts';
import type { SeededPeople } from './people';
import type { Trx } from './support';

// Cherwell's panel pool and two cases at the panel's stages: one in scheduling with a poll and
// some answers (the ranking shows on its poll page), one booked. The pool includes a council
// employee, listed with the reason and never asked. Seeded only while Cherwell has no pool.

interface MemberSeed {
	email: string;
	name: string;
	roles: PanelRole[];
	employer: string;
	councilEmployee?: boolean;
}

const POOL: MemberSeed[] = [
	{ email: 'panel.chair@portal.example', name: 'Eleanor Whitfield', roles: ['chair', 'independent_member'], employer: 'Retired headteacher (independent)' },
	{ email: 'panel.education@portal.example', name: 'Rajesh Kumar', roles: ['education_professional'], employer: 'Educational psychologist, independent practice' },
	{ email: 'panel.parent@portal.example', name: 'Bronwen Hale', roles: ['parent_carer_rep'], employer: 'Parent carer (volunteer)' },
	{ email: 'panel.council@portal.example', name: 'Graham Pike', roles: ['chair', 'education_professional'], employer: 'Oxfordshire County Council', councilEmployee: true }
];

const at = (date: string, time: string) => londonInstant(date, time)!;

export async function seedDisputePanel(trx: Trx, people: SeededPeople): Promise<void> {
	const cherwell = await trx.selectFrom('cluster').select(['id']).where('kind', '=', 'district').where('name', '=', 'Cherwell').executeTakeFirst();
	if (!cherwell) return;
	const existing = await trx.selectFrom('dispute_member').select('id').where('district_id', '=', cherwell.id).limit(1).executeTakeFirst();
	if (existing) return;
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const known = await trx.selectFrom('app_user').select(['id', 'email']).where('email', 'in', POOL.map((m) => m.email)).execute();
	const missing = POOL.filter((m) => !known.some((k) => k.email === m.email));
	if (missing.length) await trx.insertInto('app_user').values(missing.map((m) => ({ email: m.email, name: m.name, password_hash: passwordHash }))).execute();
	const users = await trx.selectFrom('app_user').select(['id', 'email']).where('email', 'in', POOL.map((m) => m.email)).execute();
	const idOf = (email: string) => users.find((u) => u.email === email)!.id;
	const panelMember = people.demoUserId('panelMember');
	await trx
		.insertInto('dispute_member')
		.values([
			...POOL.map((m) => ({ district_id: cherwell.id, user_id: idOf(m.email), roles: m.roles, employer: m.employer, council_employee: m.councilEmployee ?? false })),
			{ district_id: cherwell.id, user_id: panelMember, roles: ['independent_member', 'parent_carer_rep'] as PanelRole[], employer: 'Independent SEND consultant' }
		])
		.execute();

	const school = await trx.selectFrom('setting').select('id').where('name', '=', DEMO_SETTINGS.banburyPrimary).executeTakeFirstOrThrow();
	const officerId = people.demoUserId('sendiass');
	const today = londonDate(new Date());
	const chair = idOf('panel.chair@portal.example');
	const education = idOf('panel.education@portal.example');
	const parent = idOf('panel.parent@portal.example');
	const asked = [chair, education, parent, panelMember];

	const newCase = async (initials: string, status: 'scheduling' | 'booked') => {
		const { id } = await trx
			.insertInto('dispute_case')
			.values({
				reference: `seed-${initials}`,
				district_id: cherwell.id,
				other_party: 'maintained_school',
				setting_id: school.id,
				category: 'plan_delivery',
				route: 'panel',
				status,
				child_initials: initials,
				year_group: 'Year 6',
				tried: 'A meeting with the SENCO; an annual review',
				outcome_sought: 'The plan’s support delivered as written',
				family_agreed_at: new Date(),
				setting_agreed_at: new Date(),
				created_by: officerId
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.updateTable('dispute_case').set({ reference: sql`'DR-CHE-' || lpad(${id}::text, 4, '0')` }).where('id', '=', id).execute();
		return id;
	};
	const newPoll = async (caseId: number, closesOn: string, slotDays: number[]) => {
		const { id } = await trx
			.insertInto('dispute_poll')
			.values({ case_id: caseId, family_availability: 'Weekday mornings', school_availability: 'Any day but Friday', closes_at: endOfLondonDay(closesOn), ics_uid: 'pending', created_by: officerId })
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.updateTable('dispute_poll').set({ ics_uid: meetingUid(caseId, id) }).where('id', '=', id).execute();
		// Seeded links are never mailed: members answer from their own page.
		await trx
			.insertInto('dispute_poll_link')
			.values(asked.map((userId) => ({ poll_id: id, user_id: userId, token_hash: `seed-${id}-${userId}` })))
			.execute();
		const slots = await trx
			.insertInto('dispute_slot')
			.values(
				slotDays.map((days, i) => {
					const date = addCalendarDays(today, days);
					return { poll_id: id, starts_at: at(date, '10:00'), ends_at: at(date, '12:00'), mode: i === 1 ? ('online' as const) : ('in_person' as const), place: i === 1 ? 'https://meet.example.org/cherwell-panel' : 'Banbury Library, Marlborough Road' };
				})
			)
			.returning('id')
			.execute();
		return { pollId: id, slotIds: slots.map((s) => s.id) };
	};
	const answer = (slotId: number, userId: number, value: Answer) => ({ slot_id: slotId, user_id: userId, answer: value });

	// In scheduling: the chair and the parent-carer rep have answered, the others not yet.
	const scheduling = await newCase('LM', 'scheduling');
	const open = await newPoll(scheduling, addCalendarDays(today, 7), [14, 15, 16]);
	await trx
		.insertInto('dispute_answer')
		.values([
			answer(open.slotIds[0], chair, 'yes'),
			answer(open.slotIds[1], chair, 'no'),
			answer(open.slotIds[2], chair, 'if_need_be'),
			answer(open.slotIds[0], parent, 'yes'),
			answer(open.slotIds[1], parent, 'yes'),
			answer(open.slotIds[2], parent, 'no')
		])
		.execute();

	// Booked: everyone answered, the first slot booked with the chair, the education professional and the parent-carer rep.
	const booked = await newCase('KP', 'booked');
	const done = await newPoll(booked, addCalendarDays(today, -2), [10, 11]);
	await trx
		.insertInto('dispute_answer')
		.values([
			...[chair, education, parent].map((userId) => answer(done.slotIds[0], userId, 'yes')),
			...[chair, education, parent, panelMember].map((userId) => answer(done.slotIds[1], userId, 'no')),
			answer(done.slotIds[0], panelMember, 'no')
		])
		.execute();
	await trx
		.updateTable('dispute_poll')
		.set({ booked_slot_id: done.slotIds[0], booked_member_ids: [chair, education, parent], all_answered_at: new Date() })
		.where('id', '=', done.pollId)
		.execute();
}
