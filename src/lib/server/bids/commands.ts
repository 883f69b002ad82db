import { sql, type Transaction } from 'kysely';
import type { Database, DB } from '../db';
import type { Json } from '../db/schema';
import type { Actor } from '../auth/actor';
import { transact, type Work } from '../work';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { can } from '../policy';
import { bidRoom, clusterRoom } from '$lib/live/events';
import { bidMoney } from '$lib/bids/content';
import { BID_SECTIONS, type BidSection, type BidStatus, type EndorsementRule } from '$lib/bids/model';
import { approvalFits, endorsementMet, nextStatus, submissionChecklist, type BidAction } from '$lib/bids/rules';
import type { DecideInput, OpenRoundInput, SaveSectionInput } from '$lib/schemas/bids';
import { formatPence, formatDate } from '$lib/format';
import type { BidRef, PolicyCheck } from '../policy';
import {
	councilOfficers,
	loadBidRef,
	loadInvolvement,
	loadRoundRef,
	loadSettingRef,
	requireAllowed,
	settingsInCluster,
	staffOf,
	writingSettings
} from './access';
import { loadContent, roundIsAccepting } from './queries';

type Trx = Transaction<DB>;
const bidLink = (bidId: number) => `/bids/${bidId}`;
const roundLink = (roundId: number) => `/rounds/${roundId}`;

// ---------- Rounds ----------

/** Dates are chosen as days; a round opens at the start of its first day and closes at the end of its last, UK time. */
function ukDayStart(isoDate: string): Date {
	// Europe/London is UTC+0 or UTC+1; find the offset at noon that day and apply it at midnight.
	const noon = new Date(`${isoDate}T12:00:00Z`);
	const hourInLondon = Number(
		new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hour12: false }).format(noon)
	);
	const offsetHours = hourInLondon - 12;
	return new Date(Date.parse(`${isoDate}T00:00:00Z`) - offsetHours * 3_600_000);
}
function ukDayEnd(isoDate: string): Date {
	const next = new Date(`${isoDate}T00:00:00Z`);
	next.setUTCDate(next.getUTCDate() + 1);
	return ukDayStart(next.toISOString().slice(0, 10));
}

export async function openRound(db: Database, actor: Actor, input: OpenRoundInput): Promise<number> {
	const cluster = await db
		.selectFrom('cluster')
		.select(['id', 'name', 'kind', 'status', 'leads_may_open_rounds'])
		.where('id', '=', input.clusterId)
		.executeTakeFirst();
	if (!cluster) throw notFound('That cluster');
	requireAllowed(actor, { action: 'round.open', cluster: { ...cluster, leadsMayOpenRounds: cluster.leads_may_open_rounds } });
	if (cluster.status !== 'active') throw invalid('This cluster has been retired, so it cannot open a funding round.');
	return transact(db, actor.id, async (work) => {
		// Held until commit, so a merge or retirement (which locks the cluster FOR UPDATE) cannot retire it under a new round.
		const now = await work.trx.selectFrom('cluster').select('status').where('id', '=', cluster.id).forShare().executeTakeFirstOrThrow();
		if (now.status !== 'active') throw invalid('This cluster has been retired, so it cannot open a funding round.');
		const { id } = await work.trx
			.insertInto('funding_round')
			.values({
				cluster_id: cluster.id,
				name: input.name,
				pot_pence: input.potPence,
				max_request_pence: input.maxRequestPence,
				opens_at: ukDayStart(input.opensOn),
				closes_at: ukDayEnd(input.closesOn),
				guidance: input.guidance,
				endorsement_rule: input.endorsementRule,
				endorsement_value: input.endorsementValue,
				created_by: actor.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await work.audit({
			action: 'round.opened',
			subjectType: 'funding_round',
			subjectId: id,
			detail: { potPence: input.potPence, maxRequestPence: input.maxRequestPence, closesOn: input.closesOn }
		});
		await work.activity({
			clusterId: cluster.id,
			verb: 'round.opened',
			summary: `Funding round “${input.name}” opened: pot ${formatPence(input.potPence)}, closing ${formatDate(`${input.closesOn}T12:00:00Z`)}`,
			link: roundLink(id)
		});
		await work.publish(clusterRoom(cluster.id), 'round.changed', { roundId: id, version: 1 });
		return id;
	});
}

export async function closeRound(db: Database, actor: Actor, input: { roundId: number; version: number; reason: string }) {
	await transact(db, actor.id, async (work) => {
		const round = await work.trx
			.selectFrom('funding_round')
			.select(['id', 'name', 'status', 'version', 'cluster_id'])
			.where('id', '=', input.roundId)
			.forUpdate()
			.executeTakeFirst();
		if (!round) throw notFound('That funding round');
		requireAllowed(actor, { action: 'round.manage', round: await loadRoundRef(work.trx, round.id) });
		if (round.version !== input.version) throw conflict('Someone else changed this round just now. Check it and try again.');
		if (round.status === 'closed') throw invalid('This round is already closed.');
		await work.trx
			.updateTable('funding_round')
			.set({ status: 'closed', version: round.version + 1 })
			.where('id', '=', round.id)
			.execute();
		await work.audit({ action: 'round.closed', subjectType: 'funding_round', subjectId: round.id, reason: input.reason });
		await work.activity({ clusterId: round.cluster_id, verb: 'round.closed', summary: `Funding round “${round.name}” closed`, link: roundLink(round.id) });
		await work.publish(clusterRoom(round.cluster_id), 'round.changed', { roundId: round.id, version: round.version + 1 });
	});
}

// ---------- Shared steps inside a bid transaction ----------

interface LockedBid {
	id: number;
	round_id: number;
	cluster_id: number;
	lead_setting_id: number;
	title: string;
	status: BidStatus;
	version: number;
	submission_no: number;
	section_versions: Partial<Record<BidSection, number>>;
	requested_pence: number;
	round_status: string;
	opens_at: Date;
	closes_at: Date;
}

/**
 * Locks the bid, then asks the policy about the bid as locked (its cluster and settings now, not
 * as they were before the transaction), so a move committed just before cannot slip past the rule.
 */
async function lockAndAllow(work: Work, actor: Actor, bidId: number, check: (ref: BidRef) => PolicyCheck | Promise<PolicyCheck>) {
	const bid = await lockBid(work.trx, bidId);
	const ref = await loadBidRef(work.trx, bidId);
	requireAllowed(actor, await check(ref));
	return { bid, ref };
}

/** The settings of the bid's cluster outside the bid: the only ones whose view counts in endorsement. */
async function endorsingSettings(trx: Trx, ref: BidRef): Promise<{ id: number; name: string }[]> {
	const own = new Set(writingSettings(ref));
	const all = await settingsInCluster(trx, ref.clusterId).execute();
	return all.filter((s) => !own.has(s.id));
}

/** Locks the bid row for the rest of the transaction, so writers and deciders take turns. */
async function lockBid(trx: Trx, bidId: number): Promise<LockedBid> {
	const row = await trx
		.selectFrom('bid as b')
		.innerJoin('funding_round as r', 'r.id', 'b.round_id')
		.select([
			'b.id',
			'b.round_id',
			'b.cluster_id',
			'b.lead_setting_id',
			'b.title',
			'b.status',
			'b.version',
			'b.submission_no',
			'b.section_versions',
			'b.requested_pence',
			'r.status as round_status',
			'r.opens_at',
			'r.closes_at'
		])
		.where('b.id', '=', bidId)
		.forUpdate('b')
		.executeTakeFirst();
	if (!row) throw notFound('That bid');
	return {
		...row,
		status: row.status as BidStatus,
		section_versions: row.section_versions as Partial<Record<BidSection, number>>
	};
}

function requireTransition(bid: LockedBid, action: BidAction): BidStatus {
	const result = nextStatus(bid.status, action);
	if (!result.ok) throw invalid(result.message);
	return result.to;
}

function requireAccepting(bid: LockedBid) {
	if (!roundIsAccepting({ status: bid.round_status, opens_at: bid.opens_at, closes_at: bid.closes_at })) {
		throw invalid('This funding round is closed, so bids in it can no longer be changed, submitted or endorsed.');
	}
}

function requireDraft(bid: LockedBid) {
	if (bid.status !== 'draft') {
		throw invalid('This bid has been submitted, so it can no longer be edited. An officer can return it for changes.');
	}
}

/** Keeps the stored requested amount in step with the budget and pledges (never typed by anyone). */
async function refreshRequested(trx: Trx, bidId: number): Promise<number> {
	const content = await loadContent(trx, bidId);
	const { requestedPence } = bidMoney(content);
	await trx.updateTable('bid').set({ requested_pence: requestedPence }).where('id', '=', bidId).execute();
	return requestedPence;
}

/** Every change: bump the version, tell the bid's room and the cluster's workspace. */
async function announce(work: Work, bid: LockedBid, version: number, section: BidSection | null) {
	const payload = { bidId: bid.id, roundId: bid.round_id, version, section };
	await work.publish(bidRoom(bid.id), 'bid.changed', payload);
	await work.publish(clusterRoom(bid.cluster_id), 'bid.changed', payload);
}

async function bumpVersion(work: Work, bid: LockedBid, section: BidSection | null): Promise<number> {
	const sections = { ...bid.section_versions };
	if (section) sections[section] = (sections[section] ?? 0) + 1;
	const version = bid.version + 1;
	await work.trx
		.updateTable('bid')
		.set({ version, section_versions: JSON.stringify(sections) as unknown as Json, updated_at: new Date() })
		.where('id', '=', bid.id)
		.execute();
	await announce(work, bid, version, section);
	return version;
}

// ---------- Writing ----------

export async function createBid(db: Database, actor: Actor, input: { roundId: number; leadSettingId: number; title: string }) {
	return transact(db, actor.id, async (work) => {
		const locked = await work.trx
			.selectFrom('funding_round')
			.select(['status', 'opens_at', 'closes_at', 'name'])
			.where('id', '=', input.roundId)
			.forShare()
			.executeTakeFirst();
		if (!locked) throw notFound('That funding round');
		// Shared locks hold the setting where it is (a move takes it FOR UPDATE) until this commits.
		await work.trx.selectFrom('setting').select('id').where('id', '=', input.leadSettingId).forShare().execute();
		const round = await loadRoundRef(work.trx, input.roundId);
		const leadSetting = await loadSettingRef(work.trx, input.leadSettingId);
		requireAllowed(actor, { action: 'bid.create', round, leadSetting });
		if (!roundIsAccepting(locked)) throw invalid('This funding round is not open for new bids.');
		const { id } = await work.trx
			.insertInto('bid')
			.values({
				round_id: input.roundId,
				cluster_id: round.clusterId,
				lead_setting_id: leadSetting.id,
				title: input.title,
				created_by: actor.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		// The lead pledges too (possibly nothing); its headteacher confirms it like any partner.
		await work.trx.insertInto('bid_pledge').values({ bid_id: id, setting_id: leadSetting.id }).execute();
		await work.audit({ action: 'bid.created', subjectType: 'bid', subjectId: id, detail: { leadSettingId: leadSetting.id } });
		await work.activity({
			clusterId: round.clusterId,
			verb: 'bid.created',
			summary: `${leadSetting.name} started a bid: “${input.title}” (${locked.name})`,
			link: bidLink(id)
		});
		await work.publish(clusterRoom(round.clusterId), 'bid.changed', { bidId: id, roundId: input.roundId, version: 1, section: null });
		return id;
	});
}

/**
 * Saves one section if nobody else saved it since the writer loaded it. On a clash it refuses
 * with CONFLICT; the page then shows the other person's text beside the writer's to merge.
 */
export async function saveSection(db: Database, actor: Actor, input: SaveSectionInput): Promise<{ version: number; sectionVersion: number }> {
	return transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockAndAllow(work, actor, input.bidId, (ref) => ({ action: 'bid.edit', bid: ref }));
		requireDraft(bid);
		requireAccepting(bid);
		const current = bid.section_versions[input.section] ?? 0;
		if (current !== input.version) {
			throw conflict(
				`Someone else saved “${BID_SECTIONS[input.section]}” while you were editing. Their version is shown below: ` +
					'combine it with yours and save again.'
			);
		}
		const trx = work.trx;
		switch (input.section) {
			case 'overview':
				await trx.updateTable('bid').set({ title: input.content.title, summary: input.content.summary }).where('id', '=', bid.id).execute();
				break;
			case 'need':
				await trx
					.updateTable('bid')
					.set({ needs: input.content.needs, phases: input.content.phases, cohort_size: input.content.cohortSize })
					.where('id', '=', bid.id)
					.execute();
				break;
			case 'measures':
				await trx.deleteFrom('bid_measure').where('bid_id', '=', bid.id).execute();
				if (input.content.measures.length) {
					await trx
						.insertInto('bid_measure')
						.values(input.content.measures.map((m) => ({ bid_id: bid.id, measure: m.measure, outcome: m.outcome })))
						.execute();
				}
				break;
			case 'budget':
				await trx.deleteFrom('bid_budget_line').where('bid_id', '=', bid.id).execute();
				if (input.content.lines.length) {
					await trx
						.insertInto('bid_budget_line')
						.values(
							input.content.lines.map((line, position) => ({
								bid_id: bid.id,
								position,
								item: line.item,
								category: line.category,
								cost_pence: line.costPence
							}))
						)
						.execute();
				}
				break;
			case 'pledges':
				await savePledges(work, actor, bid, ref, input.content.pledges);
				break;
			case 'milestones':
				await trx.deleteFrom('bid_milestone').where('bid_id', '=', bid.id).execute();
				if (input.content.milestones.length) {
					await trx
						.insertInto('bid_milestone')
						.values(input.content.milestones.map((m, position) => ({ bid_id: bid.id, position, title: m.title, due_on: m.dueOn })))
						.execute();
				}
				break;
			case 'evaluation':
				await trx.updateTable('bid').set({ evaluation: input.content.evaluation }).where('id', '=', bid.id).execute();
				break;
		}
		await refreshRequested(trx, bid.id);
		await work.audit({ action: 'bid.section_saved', subjectType: 'bid', subjectId: bid.id, detail: { section: input.section } });
		const version = await bumpVersion(work, bid, input.section);
		return { version, sectionVersion: current + 1 };
	});
}

/**
 * Pledges come only from the bid's own settings; a changed pledge needs confirming again. The form
 * carries every setting's row, but only the rows a person's own setting may write can change: a
 * changed row of another setting is refused (an unchanged one is left alone).
 */
async function savePledges(
	work: Work,
	actor: Actor,
	bid: LockedBid,
	ref: BidRef,
	pledges: { settingId: number; moneyPence: number; staffHours: number; staffDescription: string }[]
) {
	const allowed = new Set(writingSettings(ref));
	const outsiders = pledges.filter((p) => !allowed.has(p.settingId));
	if (outsiders.length) {
		throw invalid('A pledge can only come from the lead or a partner setting of this bid. Add the setting as a partner first.', {
			pledges: ['A pledge can only come from the lead or a partner setting of this bid']
		});
	}
	if (new Set(pledges.map((p) => p.settingId)).size !== pledges.length) {
		throw invalid('Each setting pledges once.', { pledges: ['Each setting pledges once'] });
	}
	const existing = await work.trx
		.selectFrom('bid_pledge')
		.select(['setting_id', 'money_pence', 'staff_hours', 'staff_description', 'confirmed_at'])
		.where('bid_id', '=', bid.id)
		.execute();
	const unconfirmed: number[] = [];
	for (const pledge of pledges) {
		const before = existing.find((e) => e.setting_id === pledge.settingId);
		const same =
			before &&
			before.money_pence === pledge.moneyPence &&
			before.staff_hours === pledge.staffHours &&
			before.staff_description === pledge.staffDescription;
		if (same) continue;
		const decision = can(actor, { action: 'bid.writePledge', bid: ref, settingId: pledge.settingId });
		if (!decision.allowed) {
			const name = (await loadSettingRef(work.trx, pledge.settingId)).name;
			throw forbidden(`Only the headteacher or SENCO of ${name} can change its pledge. Your changes to it were not saved.`);
		}
		await work.trx
			.insertInto('bid_pledge')
			.values({
				bid_id: bid.id,
				setting_id: pledge.settingId,
				money_pence: pledge.moneyPence,
				staff_hours: pledge.staffHours,
				staff_description: pledge.staffDescription
			})
			.onConflict((oc) =>
				oc.columns(['bid_id', 'setting_id']).doUpdateSet({
					money_pence: pledge.moneyPence,
					staff_hours: pledge.staffHours,
					staff_description: pledge.staffDescription,
					confirmed_at: null,
					confirmed_by: null
				})
			)
			.execute();
		unconfirmed.push(pledge.settingId);
	}
	const heads = await staffOf(work.trx, unconfirmed, 'headteacher');
	await work.notify(heads, {
		kind: 'pledge.to_confirm',
		title: `Confirm your setting’s pledge to “${bid.title}”`,
		body: 'A pledge from your setting to a pooled-funding bid was set or changed. Only the headteacher can confirm it.',
		link: bidLink(bid.id),
		email: true
	});
}

export async function addPartner(db: Database, actor: Actor, input: { bidId: number; settingId: number }) {
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockAndAllow(work, actor, input.bidId, (ref) => ({ action: 'bid.managePartners', bid: ref }));
		await work.trx.selectFrom('setting').select('id').where('id', '=', input.settingId).forShare().execute();
		const setting = await loadSettingRef(work.trx, input.settingId);
		if (setting.clusterId !== ref.clusterId && setting.districtId !== ref.clusterId) {
			throw invalid(`${setting.name} is not in the ${ref.clusterName} cluster, so it cannot be a partner in this bid.`, {
				settingId: [`${setting.name} is not in the ${ref.clusterName} cluster`]
			});
		}
		if (writingSettings(ref).includes(setting.id)) {
			throw invalid(`${setting.name} is already part of this bid.`, { settingId: [`${setting.name} is already part of this bid`] });
		}
		requireDraft(bid);
		requireAccepting(bid);
		await work.trx.insertInto('bid_partner').values({ bid_id: bid.id, setting_id: setting.id, added_by: actor.id }).execute();
		await work.trx.insertInto('bid_pledge').values({ bid_id: bid.id, setting_id: setting.id }).execute();
		await work.audit({ action: 'bid.partner_added', subjectType: 'bid', subjectId: bid.id, detail: { settingId: setting.id } });
		await work.activity({ clusterId: bid.cluster_id, verb: 'bid.partner_added', summary: `${setting.name} joined the bid “${bid.title}”`, link: bidLink(bid.id) });
		await work.notify(await staffOf(work.trx, [setting.id]), {
			kind: 'bid.partner_added',
			title: `Your setting is now a partner in “${bid.title}”`,
			body: 'You can write the bid with the other settings and pledge to the pool.',
			link: bidLink(bid.id),
			email: true
		});
		await bumpVersion(work, bid, 'pledges');
	});
}

export async function removePartner(db: Database, actor: Actor, input: { bidId: number; settingId: number }) {
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockAndAllow(work, actor, input.bidId, (ref) => ({ action: 'bid.managePartners', bid: ref }));
		if (!ref.partnerSettingIds.includes(input.settingId)) throw notFound('That partner');
		requireDraft(bid);
		await work.trx.deleteFrom('bid_pledge').where('bid_id', '=', bid.id).where('setting_id', '=', input.settingId).execute();
		await work.trx.deleteFrom('bid_partner').where('bid_id', '=', bid.id).where('setting_id', '=', input.settingId).execute();
		await refreshRequested(work.trx, bid.id);
		await work.audit({ action: 'bid.partner_removed', subjectType: 'bid', subjectId: bid.id, detail: { settingId: input.settingId } });
		await bumpVersion(work, bid, 'pledges');
	});
}

export async function confirmPledge(db: Database, actor: Actor, input: { bidId: number; settingId: number; sectionVersion: number }) {
	await transact(db, actor.id, async (work) => {
		const { bid } = await lockAndAllow(work, actor, input.bidId, (ref) => ({ action: 'bid.confirmPledge', bid: ref, settingId: input.settingId }));
		requireDraft(bid);
		// The headteacher confirms the pledge they saw: if it changed since, they must look again.
		if ((bid.section_versions.pledges ?? 0) !== input.sectionVersion) {
			throw conflict('The pledges changed since you opened the page. Check your setting’s pledge again, then confirm.');
		}
		const pledge = await work.trx
			.selectFrom('bid_pledge')
			.select(['id', 'money_pence', 'staff_hours'])
			.where('bid_id', '=', bid.id)
			.where('setting_id', '=', input.settingId)
			.executeTakeFirst();
		if (!pledge) throw notFound('That pledge');
		await work.trx
			.updateTable('bid_pledge')
			.set({ confirmed_by: actor.id, confirmed_at: new Date() })
			.where('id', '=', pledge.id)
			.execute();
		const setting = await loadSettingRef(work.trx, input.settingId);
		await work.audit({
			action: 'bid.pledge_confirmed',
			subjectType: 'bid',
			subjectId: bid.id,
			detail: { settingId: input.settingId, moneyPence: pledge.money_pence, staffHours: pledge.staff_hours }
		});
		await work.activity({
			clusterId: bid.cluster_id,
			verb: 'bid.pledge_confirmed',
			summary: `${setting.name} confirmed its pledge of ${formatPence(pledge.money_pence)}${pledge.staff_hours ? ` and ${pledge.staff_hours} staff hours` : ''} to “${bid.title}”`,
			link: bidLink(bid.id)
		});
		await bumpVersion(work, bid, null);
	});
}

// ---------- Life cycle ----------

export async function submitBid(db: Database, actor: Actor, input: { bidId: number; version: number }) {
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockAndAllow(work, actor, input.bidId, (ref) => ({ action: 'bid.submit', bid: ref }));
		if (bid.version !== input.version) {
			throw conflict('The bid changed since you opened it. Read it again before you sign it off.');
		}
		const to = requireTransition(bid, 'submit');
		const content = await loadContent(work.trx, bid.id);
		const round = await work.trx
			.selectFrom('funding_round')
			.select(['max_request_pence', 'status', 'opens_at', 'closes_at', 'name', 'endorsement_rule', 'endorsement_value'])
			.where('id', '=', bid.round_id)
			.executeTakeFirstOrThrow();
		const pledges = await work.trx.selectFrom('bid_pledge').select(['setting_id', 'confirmed_at']).where('bid_id', '=', bid.id).execute();
		const money = bidMoney(content);
		const missing = submissionChecklist({
			...content,
			pledges: content.pledges.map((p) => ({
				settingName: p.settingName,
				confirmed: Boolean(pledges.find((x) => x.setting_id === p.settingId)?.confirmed_at)
			})),
			partnerCount: ref.partnerSettingIds.length,
			requestedPence: money.requestedPence,
			maxRequestPence: round.max_request_pence,
			roundOpen: roundIsAccepting(round),
			leadHeadteacherSigned: true
		});
		if (missing.length) {
			const fieldErrors: Record<string, string[]> = {};
			for (const item of missing) (fieldErrors[item.section] ??= []).push(item.message);
			throw invalid(`The bid is not ready to submit: ${missing.map((m) => m.message.toLowerCase()).join('; ')}.`, fieldErrors);
		}
		const submissionNo = bid.submission_no + 1;
		await work.trx
			.insertInto('bid_submission')
			.values({ bid_id: bid.id, submission_no: submissionNo, snapshot: JSON.stringify(content) as unknown as Json, submitted_by: actor.id })
			.execute();
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
		await work.audit({
			action: 'bid.submitted',
			subjectType: 'bid',
			subjectId: bid.id,
			detail: { submissionNo, requestedPence: money.requestedPence, totalCostPence: money.totalCostPence, pledgedPence: money.pledgedPence }
		});
		await work.activity({
			clusterId: bid.cluster_id,
			verb: 'bid.submitted',
			summary: `“${content.title}” was submitted for cluster endorsement, requesting ${formatPence(money.requestedPence)}`,
			link: bidLink(bid.id)
		});
		const eligible = await endorsingSettings(work.trx, ref);
		let status: BidStatus = to;
		if (eligible.length === 0) {
			// Nobody outside the bid can endorse it, so waiting would wait for ever: it goes to the officers, and the record says why.
			status = await endorsementComplete(work, { ...bid, status: to }, content.title, {
				detail: { endorsing: 0, settingCount: 0, noOtherSettings: true },
				summary: `No other settings in the cluster could endorse “${content.title}”, so it went straight to council officers`,
				body: 'No other settings in its cluster could endorse this pooled-funding bid, so it came straight to officers.'
			});
		} else {
			await work.notify(await staffOf(work.trx, eligible.map((s) => s.id), 'headteacher'), {
				kind: 'bid.endorse',
				title: `Endorse or object: “${content.title}”`,
				body: `A pooled-funding bid in your cluster asks for ${formatPence(money.requestedPence)}. Each setting’s headteacher outside the bid can endorse it or object with a reason.`,
				link: bidLink(bid.id),
				email: true
			});
		}
		await bumpVersion(work, { ...bid, status }, null);
	});
}

export async function endorseBid(
	db: Database,
	actor: Actor,
	input: { bidId: number; settingId: number; submissionNo: number; decision: 'endorse' | 'object'; reason: string }
) {
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockAndAllow(work, actor, input.bidId, async (ref) => {
			await work.trx.selectFrom('setting').select('id').where('id', '=', input.settingId).forShare().execute();
			const setting = await loadSettingRef(work.trx, input.settingId);
			return { action: 'bid.endorse', bid: ref, setting, involvement: await loadInvolvement(work.trx, ref.id, actor.id) };
		});
		const setting = await loadSettingRef(work.trx, input.settingId);
		if (bid.status !== 'endorsement') throw invalid('This bid is not waiting for cluster endorsement.');
		requireAccepting(bid);
		if (bid.submission_no !== input.submissionNo) {
			throw conflict('The bid was changed and submitted again since you opened it. Read the new version before you decide.');
		}
		const inserted = await work.trx
			.insertInto('bid_endorsement')
			.values({
				bid_id: bid.id,
				submission_no: bid.submission_no,
				setting_id: setting.id,
				decision: input.decision,
				reason: input.reason,
				decided_by: actor.id
			})
			.onConflict((oc) => oc.columns(['bid_id', 'submission_no', 'setting_id']).doNothing())
			.returning('id')
			.executeTakeFirst();
		if (!inserted) throw conflict(`${setting.name} has already given its view on this version of the bid.`);
		await work.audit({
			action: input.decision === 'endorse' ? 'bid.endorsed' : 'bid.objected',
			subjectType: 'bid',
			subjectId: bid.id,
			reason: input.reason || null,
			detail: { settingId: setting.id, submissionNo: bid.submission_no }
		});
		await work.activity({
			clusterId: bid.cluster_id,
			verb: input.decision === 'endorse' ? 'bid.endorsed' : 'bid.objected',
			summary: `${setting.name} ${input.decision === 'endorse' ? 'endorsed' : 'objected to'} “${bid.title}”`,
			link: bidLink(bid.id)
		});
		let status: BidStatus = bid.status;
		const round = await work.trx
			.selectFrom('funding_round')
			.select(['endorsement_rule', 'endorsement_value'])
			.where('id', '=', bid.round_id)
			.executeTakeFirstOrThrow();
		// Only views of settings that may endorse count, out of those settings (never the bid's own).
		const eligible = await endorsingSettings(work.trx, ref);
		const settingCount = eligible.length;
		const { n } = await work.trx
			.selectFrom('bid_endorsement')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('bid_id', '=', bid.id)
			.where('submission_no', '=', bid.submission_no)
			.where('decision', '=', 'endorse')
			.where('setting_id', 'in', [0, ...eligible.map((s) => s.id)])
			.executeTakeFirstOrThrow();
		if (endorsementMet(round.endorsement_rule as EndorsementRule, round.endorsement_value, settingCount, Number(n))) {
			status = await endorsementComplete(work, bid, bid.title, {
				detail: { endorsing: Number(n), settingCount },
				summary: `The cluster endorsed “${bid.title}”; it is now with council officers`,
				body: 'The cluster has endorsed this pooled-funding bid.'
			});
		}
		await bumpVersion(work, { ...bid, status }, null);
	});
}

/** Endorsement is done (or no other setting could give it): the bid goes to officers, on record. */
async function endorsementComplete(
	work: Work,
	bid: LockedBid,
	title: string,
	said: { detail: Record<string, unknown>; summary: string; body: string }
): Promise<BidStatus> {
	const status = requireTransition(bid, 'endorsementComplete');
	await work.trx.updateTable('bid').set({ status }).where('id', '=', bid.id).execute();
	await work.audit({ action: 'bid.endorsement_complete', subjectType: 'bid', subjectId: bid.id, detail: said.detail });
	await work.activity({ clusterId: bid.cluster_id, verb: 'bid.endorsement_complete', summary: said.summary, link: bidLink(bid.id) });
	await work.notify(await councilOfficers(work.trx), {
		kind: 'bid.review',
		title: `Bid ready for a decision: “${title}”`,
		body: said.body,
		link: bidLink(bid.id),
		email: true
	});
	return status;
}

export async function decideBid(db: Database, actor: Actor, input: DecideInput) {
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockAndAllow(work, actor, input.bidId, async (ref) => ({
			action: 'bid.decide',
			bid: ref,
			involvement: await loadInvolvement(work.trx, ref.id, actor.id)
		}));
		if (bid.version !== input.version) {
			throw conflict('The bid changed since you opened it, or another officer has just decided it. Check it again.');
		}
		if (bid.round_status === 'closed') throw invalid('This funding round is closed, so no more decisions can be made in it.');
		const to = requireTransition(bid, input.decision);
		const writers = await staffOf(work.trx, writingSettings(ref));
		if (input.decision === 'approve') {
			if (input.amountPence > bid.requested_pence) {
				throw invalid(`You cannot approve more than the bid requests (${formatPence(bid.requested_pence)}).`, {
					amountPence: [`Approve ${formatPence(bid.requested_pence)} or less`]
				});
			}
			// The round row lock makes concurrent approvals take turns; the table's check
			// constraint would refuse an overspend even if this check were ever bypassed.
			const round = await work.trx
				.selectFrom('funding_round')
				.select(['id', 'pot_pence', 'approved_pence', 'version'])
				.where('id', '=', bid.round_id)
				.forUpdate()
				.executeTakeFirstOrThrow();
			if (!approvalFits(round.pot_pence, round.approved_pence, input.amountPence)) {
				const left = round.pot_pence - round.approved_pence;
				throw conflict(`Approving ${formatPence(input.amountPence)} would take the round over its pot: ${formatPence(left)} is left.`);
			}
			await work.trx
				.updateTable('funding_round')
				.set({ approved_pence: sql`approved_pence + ${input.amountPence}`, version: round.version + 1 })
				.where('id', '=', round.id)
				.execute();
			await work.trx
				.updateTable('bid')
				.set({ status: to, approved_pence: input.amountPence, conditions: input.conditions || null, decision_reason: input.reason })
				.where('id', '=', bid.id)
				.execute();
			await work.publish(clusterRoom(bid.cluster_id), 'round.changed', { roundId: round.id, version: round.version + 1 });
			const partial = input.amountPence < bid.requested_pence;
			await work.audit({
				action: 'bid.approved',
				subjectType: 'bid',
				subjectId: bid.id,
				reason: input.reason,
				detail: { amountPence: input.amountPence, requestedPence: bid.requested_pence, conditions: input.conditions }
			});
			await work.activity({
				clusterId: bid.cluster_id,
				verb: 'bid.approved',
				summary: `“${bid.title}” was approved${partial ? ' in part' : ''}: ${formatPence(input.amountPence)}`,
				link: bidLink(bid.id)
			});
			await work.notify(writers, {
				kind: 'bid.decided',
				title: `Approved: “${bid.title}”`,
				body: `${formatPence(input.amountPence)} approved${partial ? ` of ${formatPence(bid.requested_pence)} requested` : ''}.${input.conditions ? ` Conditions: ${input.conditions}` : ''}`,
				link: bidLink(bid.id),
				email: true
			});
		} else if (input.decision === 'decline') {
			await work.trx.updateTable('bid').set({ status: to, decision_reason: input.reason }).where('id', '=', bid.id).execute();
			await work.audit({ action: 'bid.declined', subjectType: 'bid', subjectId: bid.id, reason: input.reason });
			await work.activity({ clusterId: bid.cluster_id, verb: 'bid.declined', summary: `“${bid.title}” was declined`, link: bidLink(bid.id) });
			await work.notify(writers, {
				kind: 'bid.decided',
				title: `Declined: “${bid.title}”`,
				body: `Reason: ${input.reason}`,
				link: bidLink(bid.id),
				email: true
			});
		} else {
			// Returned for changes: back to draft; this submission's endorsements lapse when it is resubmitted.
			await work.trx
				.updateTable('bid')
				.set({ status: to, officer_points: input.reason, lead_signed_by: null, lead_signed_at: null })
				.where('id', '=', bid.id)
				.execute();
			await work.audit({ action: 'bid.returned', subjectType: 'bid', subjectId: bid.id, reason: input.reason });
			await work.activity({ clusterId: bid.cluster_id, verb: 'bid.returned', summary: `“${bid.title}” was returned for changes`, link: bidLink(bid.id) });
			await work.notify(writers, {
				kind: 'bid.returned',
				title: `Returned for changes: “${bid.title}”`,
				body: `The officer’s points: ${input.reason}`,
				link: bidLink(bid.id),
				email: true
			});
		}
		await bumpVersion(work, { ...bid, status: to }, null);
	});
}

/** Officer steps after approval, and the lead's withdrawal: one status change with a note. */
export async function moveBid(
	db: Database,
	actor: Actor,
	input: { bidId: number; version: number; reason: string },
	action: 'fund' | 'close' | 'withdraw'
) {
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockAndAllow(work, actor, input.bidId, async (ref) =>
			action === 'withdraw'
				? { action: 'bid.withdraw', bid: ref }
				: { action: 'bid.decide', bid: ref, involvement: await loadInvolvement(work.trx, ref.id, actor.id) }
		);
		if (bid.version !== input.version) throw conflict('The bid changed since you opened it. Check it again.');
		const to = requireTransition(bid, action);
		await work.trx.updateTable('bid').set({ status: to }).where('id', '=', bid.id).execute();
		const words = { fund: 'marked as funded', close: 'closed', withdraw: 'withdrawn' }[action];
		await work.audit({ action: `bid.${to}`, subjectType: 'bid', subjectId: bid.id, reason: input.reason || null });
		await work.activity({ clusterId: bid.cluster_id, verb: `bid.${to}`, summary: `“${bid.title}” was ${words}`, link: bidLink(bid.id) });
		const notifyWho = action === 'withdraw' ? await councilOfficers(work.trx) : await staffOf(work.trx, writingSettings(ref));
		await work.notify(notifyWho, { kind: `bid.${to}`, title: `“${bid.title}” was ${words}`, body: input.reason, link: bidLink(bid.id) });
		await bumpVersion(work, { ...bid, status: to }, null);
	});
}

export async function updateMilestone(
	db: Database,
	actor: Actor,
	input: { bidId: number; milestoneId: number; progress: 'not_started' | 'on_track' | 'at_risk' | 'done'; note: string }
) {
	await transact(db, actor.id, async (work) => {
		const { bid } = await lockAndAllow(work, actor, input.bidId, (ref) => ({ action: 'bid.updateMilestone', bid: ref }));
		if (bid.status !== 'funded') throw invalid('Milestone updates are for funded bids.');
		const milestone = await work.trx
			.selectFrom('bid_milestone')
			.select(['id', 'title'])
			.where('id', '=', input.milestoneId)
			.where('bid_id', '=', bid.id)
			.executeTakeFirst();
		if (!milestone) throw notFound('That milestone');
		await work.trx
			.updateTable('bid_milestone')
			.set({ progress: input.progress, progress_note: input.note, progress_updated_by: actor.id, progress_updated_at: new Date() })
			.where('id', '=', milestone.id)
			.execute();
		await work.audit({
			action: 'bid.milestone_updated',
			subjectType: 'bid',
			subjectId: bid.id,
			reason: input.note,
			detail: { milestoneId: milestone.id, progress: input.progress }
		});
		await work.activity({
			clusterId: bid.cluster_id,
			verb: 'bid.milestone_updated',
			summary: `Milestone “${milestone.title}” of “${bid.title}”: ${input.progress.replace('_', ' ')}`,
			link: bidLink(bid.id)
		});
		await bumpVersion(work, bid, 'milestones');
	});
}

