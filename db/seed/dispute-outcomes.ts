import { ukToday } from '../../src/lib/dates';
import { DEFAULT_OUTCOME_PERIODS, type OutcomeResult } from '../../src/lib/disputes/outcome';
import type { Category } from '../../src/lib/disputes/model';
import { calendarAround } from '../../src/lib/server/disputes/cases';
import { addCalendarDays } from '../../src/lib/server/disputes/calendar';
import { escalationRoute, escalationSteps, followUpDate } from '../../src/lib/server/disputes/outcome-rules';
import { DEMO_SETTINGS } from './demo-accounts';
import type { SeededPeople } from './people';
import type { Trx } from './support';

// Cherwell cases after their panel met: one waiting for its outcome, one with its outcome recorded
// and agreed actions open (one for the demo headteacher's school, one for the headteacher by name,
// one overdue for the family), and one closed with both parties' feedback. Each with its history.

interface Stage {
	status: 'met' | 'outcome' | 'closed';
	category: Category;
	initials: string;
	yearGroup: string;
	outcomeSought: string;
	daysAgo: number;
	result?: OutcomeResult;
	summary?: string;
}

const STAGES: Stage[] = [
	{ status: 'met', category: 'communication', initials: 'KL', yearGroup: 'Year 6', outcomeSought: 'A weekly update from the class teacher', daysAgo: 2 },
	{
		status: 'outcome',
		category: 'sen_support',
		initials: 'MP',
		yearGroup: 'Year 2',
		outcomeSought: 'Reading support agreed in writing',
		daysAgo: 10,
		result: 'partly_resolved',
		summary: 'The school will run daily reading sessions and review them in six weeks. The family still asks for a teaching assistant at lunchtime; the school will consider it at the review.'
	},
	{
		status: 'closed',
		category: 'reasonable_adjustments',
		initials: 'RD',
		yearGroup: 'Year 8',
		outcomeSought: 'A quiet space at break times',
		daysAgo: 60,
		result: 'resolved',
		summary: 'The school agreed a quiet room at break and lunch, with a pass, reviewed each term.'
	}
];

export async function seedDisputeOutcomes(trx: Trx, people: SeededPeople): Promise<void> {
	const cherwell = await trx.selectFrom('cluster').select('id').where('kind', '=', 'district').where('name', '=', 'Cherwell').executeTakeFirst();
	if (!cherwell) return;
	const seeded = await trx.selectFrom('dispute_case').select('id').where('district_id', '=', cherwell.id).where('status', 'in', ['met', 'outcome', 'closed']).limit(1).executeTakeFirst();
	if (seeded) return;
	const today = ukToday();
	const school = await trx.selectFrom('setting').select('id').where('name', '=', DEMO_SETTINGS.banburyPrimary).executeTakeFirstOrThrow();
	const officerId = people.demoUserId('sendiass');
	const headId = people.demoUserId('headteacher');
	const calendar = await calendarAround(trx, cherwell.id, today);
	const history = (caseId: number, action: string, summary: string, daysAgo: number, reason: string | null = null) => ({
		actor_id: officerId,
		action,
		subject_type: 'dispute_case',
		subject_id: caseId,
		reason,
		detail: JSON.stringify({ summary }),
		created_at: new Date(Date.now() - daysAgo * 86_400_000)
	});
	for (const stage of STAGES) {
		const at = (days: number) => new Date(Date.now() - days * 86_400_000);
		const { id } = await trx
			.insertInto('dispute_case')
			.values({
				reference: `seed-${stage.initials}`,
				district_id: cherwell.id,
				other_party: 'maintained_school',
				setting_id: school.id,
				category: stage.category,
				route: 'panel',
				status: stage.status,
				child_initials: stage.initials,
				year_group: stage.yearGroup,
				tried: 'Meetings with the SENCO',
				outcome_sought: stage.outcomeSought,
				intake_at: at(stage.daysAgo + 30),
				family_agreed_at: at(stage.daysAgo + 25),
				setting_agreed_at: at(stage.daysAgo + 24),
				status_changed_at: at(stage.daysAgo),
				end_reason: stage.status === 'closed' ? 'Follow-up done: the quiet room is working' : null,
				created_by: officerId
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const reference = `DR-CHE-${String(id).padStart(4, '0')}`;
		await trx.updateTable('dispute_case').set({ reference }).where('id', '=', id).execute();
		const entries = [history(id, 'disputes.referral_recorded', `Recorded referral ${reference}, accepted for a panel`, stage.daysAgo + 30)];
		if (stage.result && stage.summary) {
			const recordedOn = addCalendarDays(today, -Math.max(stage.daysAgo - 2, 0));
			const escalation = stage.result === 'resolved' ? [] : escalationSteps(escalationRoute('maintained_school', stage.category), recordedOn, DEFAULT_OUTCOME_PERIODS, calendar);
			await trx
				.insertInto('dispute_outcome')
				.values({ case_id: id, result: stage.result, summary: stage.summary, met_on: addCalendarDays(today, -stage.daysAgo), escalation: JSON.stringify(escalation), follow_up_on: followUpDate(recordedOn, DEFAULT_OUTCOME_PERIODS, calendar), recorded_by: officerId })
				.execute();
			entries.push(history(id, 'disputes.outcome_recorded', `Recorded the outcome of ${reference}: ${stage.result.replace('_', ' ')}`, Math.max(stage.daysAgo - 2, 0)));
		}
		if (stage.status === 'outcome') {
			await trx
				.insertInto('dispute_action')
				.values([
					{ case_id: id, description: 'Run daily reading sessions and share the plan with the family', owner_kind: 'setting', due_on: addCalendarDays(today, 14), created_by: officerId },
					{ case_id: id, description: 'Consider lunchtime support at the six-week review', owner_kind: 'user', owner_user_id: headId, due_on: addCalendarDays(today, 42), created_by: officerId },
					{ case_id: id, description: 'Send the school the speech and language report', owner_kind: 'family', due_on: addCalendarDays(today, -3), created_by: officerId }
				])
				.execute();
		}
		if (stage.status === 'closed') {
			await trx
				.insertInto('dispute_feedback')
				.values([
					{ case_id: id, party: 'family', rating: 5, comment: 'We felt listened to.', recorded_by: officerId },
					{ case_id: id, party: 'setting', rating: 4, comment: 'Useful to agree it in one meeting.', recorded_by: officerId }
				])
				.execute();
			entries.push(history(id, 'disputes.case_closed', `Closed ${reference}`, stage.daysAgo, 'Follow-up done: the quiet room is working'));
		}
		await trx.insertInto('audit_log').values(entries).execute();
	}
}
