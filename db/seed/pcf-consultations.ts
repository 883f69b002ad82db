import type { SeededCounty } from './county';
import type { SeededPeople } from './people';
import type { Trx } from './support';
import type { Insertable } from 'kysely';
import type { DB } from '../../src/lib/server/db';
import { formatDate } from '../../src/lib/format';
import { earliestClosing } from '../../src/lib/server/pcf/closing';
import { addCalendarDays, districtCalendar } from '../../src/lib/server/disputes/calendar';

// A Cherwell consultation in the demo county: the Banbury cluster lead's pre-consultation on a
// draft cluster MOU, opened ten days ago and closing on the earliest date the district's rule
// allows. The Cherwell PCF group's approved position with two points, aggregated feedback from
// the Youth Forum and an OxPCF survey; the lead's answers (one published and checked by an
// officer and the PCF lead, so it is on the public page; one waiting for the checks), one point
// still waiting. Added only while there is no consultation, so a rerun adds nothing.

const DAY_MS = 86_400_000;
const day = (iso: string) => formatDate(`${iso}T12:00:00Z`);
const isoDaysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
const ago = (days: number) => new Date(Date.now() - days * DAY_MS);
/** The earliest closing date the district's default rule (30 working days, school holidays avoided) gives a consultation opened on `opensOn`. */
function earliestFor(opensOn: string): string {
	const year = Number(opensOn.slice(0, 4));
	return earliestClosing(opensOn, { minDays: 30, avoidHolidays: true }, districtCalendar([], [year, year + 1]));
}

/** A consultation opened `daysBack` days ago by its owner, with its opening on its timeline (`summary`); its id. */
async function openedConsultation(trx: Trx, consultation: Omit<Insertable<DB['pcf_consultation']>, 'created_at'>, daysBack: number, summary: string): Promise<number> {
	const { id } = await trx.insertInto('pcf_consultation').values({ ...consultation, created_at: ago(daysBack) }).returning('id').executeTakeFirstOrThrow();
	await trx
		.insertInto('audit_log')
		.values({
			action: 'pcf.consultation_opened',
			subject_type: 'pcf_consultation',
			subject_id: id,
			actor_id: consultation.owner_id,
			created_at: ago(daysBack),
			detail: JSON.stringify({ summary, clusterIds: [consultation.cluster_id] })
		})
		.execute();
	return id;
}

export async function seedPcfConsultations(trx: Trx, county: SeededCounty, people: SeededPeople): Promise<void> {
	if (await trx.selectFrom('pcf_consultation').select('id').limit(1).executeTakeFirst()) return;
	const cherwell = county.clusterId('Cherwell');
	const banbury = county.clusterId('Cherwell/Banbury');
	const owner = people.demoUserId('clusterLead');
	const rep = people.demoUserId('pcfRep');
	const lead = people.demoUserId('pcfLead');
	const officer = people.demoUserId('officer');
	const opensOn = isoDaysAgo(10);
	const closesOn = earliestFor(opensOn);
	const id = await openedConsultation(
		trx,
		{
			cluster_id: banbury,
			district_id: cherwell,
			title: 'Draft Banbury cluster memorandum of understanding',
			body: 'The draft MOU sets out how Banbury’s settings share their SEND support: the shared speech and language therapist, the outreach teacher and how a setting asks for help.\n\nWhat would make it work better for families? What is missing?',
			link: 'https://www.oxfordshire.gov.uk/residents/children-education-and-families/education-and-learning/special-educational-needs-and-disability-local-offer',
			label: 'pre_consultation',
			coproduction_stage: 'engaging',
			opens_on: opensOn,
			closes_on: closesOn,
			status: 'open',
			owner_id: owner
		},
		10,
		`opened the pre-consultation “Draft Banbury cluster memorandum of understanding” in Banbury, closing ${day(closesOn)}`
	);
	await trx.insertInto('pcf_watch').values({ district_id: cherwell, consultation_id: id }).execute();
	const position = await trx
		.insertInto('pcf_position')
		.values({
			district_id: cherwell,
			consultation_id: id,
			stance: 'support_with_conditions',
			summary: 'The group supports the MOU, provided families can see who to ask in each setting and the plain-English version comes first.',
			drafted_by: rep,
			approved_by: lead,
			approved_at: ago(5),
			agreed_on: isoDaysAgo(6),
			agreed_where: 'Cherwell PCF advisory group meeting',
			version: 2
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const answered = ago(3);
	const points = await trx
		.insertInto('pcf_point')
		.values([
			{
				district_id: cherwell, consultation_id: id, position_id: position.id, source: 'forum', author_id: rep, created_at: ago(6),
				body: 'Name one contact for families in each setting, and say how to reach them.',
				answer: 'will_change', answer_text: 'Each setting’s SENCO will be named in the MOU with a phone number and an email address.',
				change_by: isoDaysAgo(-20), answered_by: owner, answered_at: answered, answer_published_at: answered,
				officer_checked_by: officer, officer_checked_at: answered, lead_checked_by: lead, lead_checked_at: answered, public_at: answered, public_changed_at: answered, version: 4
			},
			{
				district_id: cherwell, consultation_id: id, position_id: position.id, source: 'forum', author_id: rep, created_at: ago(6),
				body: 'Say how the cluster decides which child gets outreach time first.', version: 0
			},
			{
				district_id: cherwell, consultation_id: id, source: 'youth_forum', heard_on: isoDaysAgo(8), raised_count: 9, created_at: ago(7),
				body: 'Young people want to be asked before a plan about their support is shared between schools.',
				answer: 'partly', answer_text: 'The MOU now says pupils are asked first; sharing for safety reasons still happens without asking.',
				answered_by: owner, answered_at: answered, answer_published_at: answered, version: 2
			},
			{
				district_id: cherwell, consultation_id: id, source: 'survey', heard_on: isoDaysAgo(9), raised_count: 23, created_at: ago(7),
				body: 'Parents asked for the MOU in plain English before the full document.', version: 0
			}
		])
		.returning('id')
		.execute();
	const themes = await trx.selectFrom('pcf_theme').select(['id', 'name']).execute();
	const theme = (name: string) => themes.find((t) => t.name === name)?.id;
	const tags = [
		[points[0].id, theme('Communication with families')],
		[points[1].id, theme('Inclusion in mainstream')],
		[points[2].id, theme('Communication with families')],
		[points[3].id, theme('Communication with families')]
	].flatMap(([pointId, themeId]) => (pointId !== undefined && themeId !== undefined ? [{ point_id: pointId, theme_id: themeId }] : []));
	if (tags.length) await trx.insertInto('pcf_point_theme').values(tags).execute();
}

// A Cherwell steering group decision item: the Banbury cluster lead put the sharing of the
// outreach teacher on the Banbury steering group's agenda five days ago; the forum's advice closes
// on the earliest date the district's rule allows and the group meets a week after that. Families'
// feedback from a SEND Connect session is already on it. Added only while there is no decision
// item, so a rerun adds nothing.
export async function seedPcfSteeringDecision(trx: Trx, county: SeededCounty, people: SeededPeople): Promise<void> {
	if (await trx.selectFrom('pcf_consultation').select('id').where('label', '=', 'steering_decision').limit(1).executeTakeFirst()) return;
	const cherwell = county.clusterId('Cherwell');
	const banbury = county.clusterId('Cherwell/Banbury');
	const owner = people.demoUserId('clusterLead');
	const opensOn = isoDaysAgo(5);
	const closesOn = earliestFor(opensOn);
	const meetingOn = addCalendarDays(closesOn, 7);
	const title = 'Sharing the outreach teacher across Banbury’s settings';
	const id = await openedConsultation(
		trx,
		{
			cluster_id: banbury,
			district_id: cherwell,
			title,
			body: 'The steering group will decide how the outreach teacher’s time is shared: by each setting’s number of pupils on SEN support, or by requests for help as they come in.\n\nWhich would be fairer for families, and what should the cluster tell parents about it?',
			label: 'steering_decision',
			coproduction_stage: 'consulting',
			opens_on: opensOn,
			closes_on: closesOn,
			decision_meeting_on: meetingOn,
			status: 'open',
			owner_id: owner
		},
		5,
		`put “${title}” on the steering group’s agenda in Banbury for its meeting on ${day(meetingOn)}; the forum’s advice closes ${day(closesOn)}`
	);
	const point = await trx
		.insertInto('pcf_point')
		.values({
			district_id: cherwell, consultation_id: id, source: 'send_connect', heard_on: isoDaysAgo(3), raised_count: 14, created_at: ago(2),
			body: 'Parents want to know how to ask for the outreach teacher, and how long they will wait.', version: 0
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const theme = await trx.selectFrom('pcf_theme').select('id').where('name', '=', 'Communication with families').executeTakeFirst();
	if (theme) await trx.insertInto('pcf_point_theme').values({ point_id: point.id, theme_id: theme.id }).execute();
}
