import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { transact, type QueuedEvent, type Work } from '../../work';
import { conflict, invalid } from '../../errors';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { bidMoney } from '$lib/bids/content';
import { endorsementMet } from '$lib/bids/rules';
import { bidChecklist, submissionChecks } from '$lib/bids/document';
import { missingBySection } from '$lib/document';
import { freeze } from '../../document';
import { endorseSchema, submitBidSchema } from '$lib/schemas/bids';
import { formatPence } from '$lib/format';
import { councilOfficers, loadInvolvement, loadSettingRef, staffOf } from '../access';
import { loadContent, roundIsAccepting } from '../queries';
import { bidLink, bumpVersion, endorsingSettings, lockBid, requireAccepting, requireTransition, type LockedBid } from './locks';

// A bid's way to the officers: the lead headteacher signs it off, the cluster's other settings endorse or object.

export async function submitBid(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(submitBidSchema, raw);
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockBid(work.trx, input.bidId);
		assertCan(actor, { action: 'bid.submit', bid: ref });
		if (bid.version !== input.version) throw conflict('The bid changed since you opened it. Read it again before you sign it off.');
		const to = requireTransition(bid, 'submit');
		const content = await loadContent(work.trx, bid.id);
		const round = await work.trx
			.selectFrom('funding_round')
			.select(['max_request_pence', 'status', 'opens_at', 'closes_at'])
			.where('id', '=', bid.round_id)
			.executeTakeFirstOrThrow();
		const confirmed = await work.trx.selectFrom('bid_pledge').select('setting_id').where('bid_id', '=', bid.id).where('confirmed_at', 'is not', null).execute();
		const money = bidMoney(content);
		const missing = bidChecklist(
			content,
			{ confirmedPledges: confirmed.map((p) => p.setting_id), partnerCount: ref.partnerSettingIds.length, maxRequestPence: round.max_request_pence },
			bidLink(bid.id)
		);
		// The submission's own needs (an open round) belong to no section: keyed `submission`.
		const unmet = submissionChecks({ roundOpen: roundIsAccepting(round), leadHeadteacherSigned: true });
		if (missing.length || unmet.length) {
			const messages = [...unmet, ...missing.map((m) => m.message)];
			throw invalid(`The bid is not ready to submit: ${messages.map((m) => m.toLowerCase()).join('; ')}.`, {
				...(unmet.length ? { submission: unmet } : {}),
				...missingBySection(missing)
			});
		}
		const submissionNo = bid.submission_no + 1;
		// The text the cluster endorses, frozen with its hash, so "what changed since" compares fixed versions.
		await freeze(work.trx, {
			table: 'bid_submission',
			values: { bid_id: bid.id, submission_no: submissionNo, submitted_by: actor.id },
			content,
			hashColumn: 'content_hash'
		});
		await work.trx
			.updateTable('bid')
			.set({
				status: to,
				submission_no: submissionNo,
				lead_signed_by: actor.id,
				lead_signed_at: new Date(),
				requested_pence: money.requestedPence,
				officer_points: null
			})
			.where('id', '=', bid.id)
			.execute();
		const eligible = await endorsingSettings(work.trx, ref);
		const { events } = await bumpVersion(work.trx, bid, null);
		// Nobody outside the bid can endorse it, so waiting would wait for ever: it goes straight to the officers.
		const straightOn = eligible.length === 0;
		await work.record({
			action: 'bid.submitted',
			subject: { type: 'bid', id: bid.id },
			summary: `signed off and submitted the bid for cluster endorsement (version ${submissionNo})`,
			detail: { submissionNo, requestedPence: money.requestedPence, totalCostPence: money.totalCostPence, pledgedPence: money.pledgedPence },
			activity: {
				clusterId: bid.cluster_id,
				link: bidLink(bid.id),
				summary: `“${content.title}” was submitted for cluster endorsement, requesting ${formatPence(money.requestedPence)}`
			},
			notify: {
				userIds: await staffOf(work.trx, eligible.map((s) => s.id), 'headteacher'),
				kind: 'bid.endorse',
				title: `Endorse or object: “${content.title}”`,
				body: `A pooled-funding bid in your cluster asks for ${formatPence(money.requestedPence)}. Each setting’s headteacher outside the bid can endorse it or object with a reason.`,
				email: true
			},
			events: straightOn ? [] : events
		});
		if (!straightOn) return;
		// The record says why it skipped endorsement.
		await endorsementComplete(work, { ...bid, status: to }, content.title, events, {
			detail: { endorsing: 0, settingCount: 0, noOtherSettings: true },
			summary: 'signed off a bid no other setting in the cluster could endorse: it went straight to council officers',
			feed: `No other settings in the cluster could endorse “${content.title}”, so it went straight to council officers`,
			body: 'No other settings in its cluster could endorse this pooled-funding bid, so it came straight to officers.'
		});
	});
}

export async function endorseBid(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(endorseSchema, raw);
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockBid(work.trx, input.bidId);
		await work.trx.selectFrom('setting').select('id').where('id', '=', input.settingId).forShare().execute();
		const setting = await loadSettingRef(work.trx, input.settingId);
		assertCan(actor, { action: 'bid.endorse', bid: ref, setting, involvement: await loadInvolvement(work.trx, ref.id, actor.id) });
		if (bid.status !== 'endorsement') throw invalid('This bid is not waiting for cluster endorsement.');
		requireAccepting(bid);
		if (bid.submission_no !== input.submissionNo) {
			throw conflict('The bid was changed and submitted again since you opened it. Read the new version before you decide.');
		}
		const inserted = await work.trx
			.insertInto('bid_endorsement')
			.values({ bid_id: bid.id, submission_no: bid.submission_no, setting_id: setting.id, decision: input.decision, reason: input.reason, decided_by: actor.id })
			.onConflict((oc) => oc.columns(['bid_id', 'submission_no', 'setting_id']).doNothing())
			.returning('id')
			.executeTakeFirst();
		if (!inserted) throw conflict(`${setting.name} has already given its view on this version of the bid.`);
		const round = await work.trx
			.selectFrom('funding_round')
			.select(['endorsement_rule', 'endorsement_value'])
			.where('id', '=', bid.round_id)
			.executeTakeFirstOrThrow();
		// Only views of settings that may endorse count, out of those settings (never the bid's own).
		const eligible = await endorsingSettings(work.trx, ref);
		const { n } = await work.trx
			.selectFrom('bid_endorsement')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('bid_id', '=', bid.id)
			.where('submission_no', '=', bid.submission_no)
			.where('decision', '=', 'endorse')
			.where('setting_id', 'in', [0, ...eligible.map((s) => s.id)])
			.executeTakeFirstOrThrow();
		const { events } = await bumpVersion(work.trx, bid, null);
		const met = endorsementMet(round.endorsement_rule, round.endorsement_value, eligible.length, Number(n));
		await work.record({
			action: input.decision === 'endorse' ? 'bid.endorsed' : 'bid.objected',
			subject: { type: 'bid', id: bid.id },
			summary: `${input.decision === 'endorse' ? 'endorsed' : 'objected to'} the bid for their setting, ${setting.name}`,
			reason: input.reason || null,
			detail: { settingId: setting.id, submissionNo: bid.submission_no },
			activity: { clusterId: bid.cluster_id, link: bidLink(bid.id), summary: `${setting.name} ${input.decision === 'endorse' ? 'endorsed' : 'objected to'} “${bid.title}”` },
			events: met ? [] : events
		});
		if (!met) return;
		await endorsementComplete(work, bid, bid.title, events, {
			detail: { endorsing: Number(n), settingCount: eligible.length },
			summary: 'gave the endorsement the cluster needed: the bid went to council officers',
			feed: `The cluster endorsed “${bid.title}”; it is now with council officers`,
			body: 'The cluster has endorsed this pooled-funding bid.'
		});
	});
}

/** Endorsement is done (or no other setting could give it): the bid goes to officers, on record. */
async function endorsementComplete(
	work: Work,
	bid: LockedBid,
	title: string,
	events: QueuedEvent[],
	said: { detail: Record<string, unknown>; summary: string; feed: string; body: string }
): Promise<void> {
	const status = requireTransition(bid, 'endorsementComplete');
	await work.trx.updateTable('bid').set({ status }).where('id', '=', bid.id).execute();
	await work.record({
		action: 'bid.endorsement_complete',
		subject: { type: 'bid', id: bid.id },
		summary: said.summary,
		detail: said.detail,
		activity: { clusterId: bid.cluster_id, link: bidLink(bid.id), summary: said.feed },
		notify: { userIds: await councilOfficers(work.trx), kind: 'bid.review', title: `Bid ready for a decision: “${title}”`, body: said.body, email: true },
		events
	});
}
