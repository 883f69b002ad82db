import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { transact } from '../../work';
import { conflict, invalid } from '../../errors';
import { consultationRuleSchema, setLeadSchema, watchSchema } from '$lib/schemas/pcf';
import { auditSubjectOf, keyOfInput, lockProposal, lockGroup, subjectColumn } from '../proposals';

// A district's advisory group: an officer names its lead (one of its representatives) and how many
// working days an answer may take; the group keeps its own watch list of proposals.

export async function setGroup(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(setLeadSchema, raw);
	await transact(db, actor.id, async (work) => {
		const group = await lockGroup(work.trx, input.districtId);
		assertCan(actor, { action: 'pcf.group.manage', group });
		if (group.version !== input.version) throw conflict('Someone else changed this group while you were editing it. Check what is saved now.');
		let leadName = 'nobody';
		if (input.leadUserId !== null) {
			const lead = await work.trx
				.selectFrom('cluster_role as r')
				.innerJoin('app_user as u', 'u.id', 'r.user_id')
				.select('u.name')
				.where('r.cluster_id', '=', group.districtId)
				.where('r.role', '=', 'pcf_rep')
				.where('r.user_id', '=', input.leadUserId)
				.executeTakeFirst();
			if (!lead) throw invalid('The lead must be one of the group’s representatives.', { leadUserId: ['Choose one of the group’s representatives'] });
			leadName = lead.name;
		}
		await work.trx
			.updateTable('pcf_group')
			.set((eb) => ({ lead_user_id: input.leadUserId, answer_within_days: input.answerWithinDays, version: eb('version', '+', 1) }))
			.where('district_id', '=', group.districtId)
			.execute();
		await work.record({
			action: 'pcf.group_changed',
			subject: { type: 'pcf_group', id: group.districtId },
			summary: `set the ${group.districtName} PCF advisory group’s lead to ${leadName}, with answers due within ${input.answerWithinDays} working days`
		});
	});
}

/** The group chooses what to advise on: a submitted proposal in its district goes on or off its watch list. */
export async function setWatch(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(watchSchema, raw);
	await transact(db, actor.id, async (work) => {
		const proposal = await lockProposal(work.trx, keyOfInput(input));
		const group = await lockGroup(work.trx, input.districtId);
		assertCan(actor, { action: 'pcf.group.watch', group });
		// The schema names a bid, a consultation or an application, never a round.
		if (proposal.kind === 'round') throw invalid('A funding round is answered as a whole, not watched.');
		if (proposal.districtId !== group.districtId) throw invalid(`That ${proposal.kind} is not in ${group.districtName}, so this group cannot watch it.`);
		assertCan(actor, { action: 'pcf.position.write', proposal });
		const column = subjectColumn({ kind: proposal.kind });
		if (input.watch) {
			await work.trx
				.insertInto('pcf_watch')
				.values({ district_id: group.districtId, bid_id: null, consultation_id: null, capital_application_id: null, [column]: proposal.id })
				.onConflict((oc) => oc.doNothing())
				.execute();
		} else {
			await work.trx.deleteFrom('pcf_watch').where('district_id', '=', group.districtId).where(column, '=', proposal.id).execute();
		}
		await work.record({
			action: input.watch ? 'pcf.watch_added' : 'pcf.watch_removed',
			subject: auditSubjectOf(proposal),
			summary: `${input.watch ? 'added' : 'removed'} “${proposal.title}” ${input.watch ? 'to' : 'from'} the ${group.districtName} PCF advisory group’s watch list`
		});
	});
}

const ruleText = (minDays: number, avoidHolidays: boolean) => `${minDays} working days${avoidHolidays ? ', school holidays avoided' : ', closing in school holidays allowed'}`;

/**
 * An officer sets the district's rule for consultation closing dates (the minimum period in working
 * days, and whether a closing date may fall in a school holiday), saying why; the change is on the
 * group's settings history. Consultations already open keep their dates; the rule applies to new
 * ones and to extensions. Saving the same values again changes nothing and records nothing.
 */
export async function setConsultationRule(db: Database, actor: Actor, raw: unknown): Promise<{ changed: boolean }> {
	const input = parseInput(consultationRuleSchema, raw);
	return transact(db, actor.id, async (work) => {
		const group = await lockGroup(work.trx, input.districtId);
		assertCan(actor, { action: 'pcf.consultation.settings', group });
		const row = await work.trx.selectFrom('pcf_group').select(['consultation_min_days', 'consultation_avoid_holidays', 'version']).where('district_id', '=', group.districtId).executeTakeFirstOrThrow();
		if (row.consultation_min_days === input.minDays && row.consultation_avoid_holidays === input.avoidHolidays) return { changed: false };
		if (row.version !== input.version) throw conflict('Someone else changed this group’s settings while you were editing them. Check what is saved now.');
		await work.trx
			.updateTable('pcf_group')
			.set((eb) => ({ consultation_min_days: input.minDays, consultation_avoid_holidays: input.avoidHolidays, version: eb('version', '+', 1) }))
			.where('district_id', '=', group.districtId)
			.execute();
		const from = ruleText(row.consultation_min_days, row.consultation_avoid_holidays);
		const to = ruleText(input.minDays, input.avoidHolidays);
		await work.record({
			action: 'pcf.consultation_rule_changed',
			subject: { type: 'pcf_group', id: group.districtId },
			summary: `changed the ${group.districtName} consultation rule from ${from} to ${to}`,
			reason: input.reason,
			detail: { from: { minDays: row.consultation_min_days, avoidHolidays: row.consultation_avoid_holidays }, to: { minDays: input.minDays, avoidHolidays: input.avoidHolidays } }
		});
		return { changed: true };
	});
}
