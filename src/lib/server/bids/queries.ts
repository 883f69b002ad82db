import { sql, type Kysely } from 'kysely';
import type { Database, DB } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan, can } from '../policy';
import { auditHistory } from '../audit';
import { bidMoney, type BidContent } from '$lib/bids/content';
import { endorsementNeedWords, endorsementsNeeded } from '$lib/bids/rules';
import { bidChecklist, bidDocument, submissionChecks, type SubmissionFacts } from '$lib/bids/document';
import { changedSections, taskList } from '$lib/document';
import type { BidStatus } from '$lib/bids/model';
import { partnerSettings, settingPledges } from './parts';
import { loadBidRef, loadInvolvement, loadRoundRef, loadSettingRef, settingsInCluster, writingSettings } from './access';

import { keysetPage, type Cursor, type KeyKind } from '../paging';
import { settingCounts } from '../workspace/queries';
import { cachedRead } from '../workspace/cache';

type Reader = Kysely<DB>;

/** Submitted bids count towards "requested"; drafts, withdrawn and declined bids do not. */
const COUNTS_AS_REQUESTED: BidStatus[] = ['endorsement', 'review', 'approved', 'funded', 'closed'];

/** What every view of a round shows: its name, money, dates and state. */
const ROUND_FIGURES = ['r.id', 'r.name', 'r.pot_pence', 'r.max_request_pence', 'r.approved_pence', 'r.opens_at', 'r.closes_at', 'r.status', 'r.version'] as const;

export function roundIsAccepting(round: { status: string; opens_at: Date; closes_at: Date }, now = new Date()): boolean {
	return round.status === 'open' && round.opens_at <= now && now < round.closes_at;
}

export async function loadContent(db: Reader, bidId: number): Promise<BidContent> {
	const [bid, measures, lines, pledges, milestones] = await Promise.all([
		db
			.selectFrom('bid')
			.select(['title', 'summary', 'needs', 'phases', 'cohort_size', 'evaluation'])
			.where('id', '=', bidId)
			.executeTakeFirstOrThrow(),
		db.selectFrom('bid_measure').select(['measure', 'outcome']).where('bid_id', '=', bidId).orderBy('measure').execute(),
		db
			.selectFrom('bid_budget_line')
			.select(['item', 'category', 'cost_pence'])
			.where('bid_id', '=', bidId)
			.orderBy('position')
			.execute(),
		db
			.selectFrom('bid_pledge as p')
			.innerJoin('setting as s', 's.id', 'p.setting_id')
			.select(['p.setting_id', 's.name', 'p.money_pence', 'p.staff_hours', 'p.staff_description'])
			.where('p.bid_id', '=', bidId)
			.orderBy('s.name')
			.execute(),
		db.selectFrom('bid_milestone').select(['title', 'due_on']).where('bid_id', '=', bidId).orderBy('position').execute()
	]);
	return {
		title: bid.title,
		summary: bid.summary,
		needs: bid.needs,
		phases: bid.phases,
		cohortSize: bid.cohort_size,
		measures: measures.map((m) => ({ measure: m.measure, outcome: m.outcome })),
		budgetLines: lines.map((l) => ({ item: l.item, category: l.category, costPence: l.cost_pence })),
		pledges: pledges.map((p) => ({
			settingId: p.setting_id,
			settingName: p.name,
			moneyPence: p.money_pence,
			staffHours: p.staff_hours,
			staffDescription: p.staff_description
		})),
		milestones: milestones.map((m) => ({ title: m.title, dueOn: m.due_on })),
		evaluation: bid.evaluation
	};
}

/**
 * How many bids each round has and what its submitted bids request, grouped per round in one
 * query (not a count run once per round). `rounds` picks the rounds: one id, or a cluster's.
 */
function roundTotals(db: Reader, rounds: { roundId: number } | { clusterId: number }) {
	let query = db
		.selectFrom('bid as b')
		.select((eb) => [
			'b.round_id',
			eb.fn.countAll<string>().as('bid_count'),
			sql<string | null>`sum(b.requested_pence) filter (where b.status in (${sql.join(COUNTS_AS_REQUESTED)}))`.as('requested_pence')
		])
		.groupBy('b.round_id');
	query =
		'roundId' in rounds
			? query.where('b.round_id', '=', rounds.roundId)
			: query.where('b.round_id', 'in', db.selectFrom('funding_round as fr').select('fr.id').where('fr.cluster_id', '=', rounds.clusterId));
	return query;
}

/**
 * Pot, requested, approved and remaining for each round of a cluster. Remembered with the
 * workspace (`rounds:<clusterId>`) until a bid or round in it changes (`bids/live.ts`); whether a
 * round is accepting depends on the clock, so it is worked out on every read.
 */
export async function roundsForCluster(db: Database, clusterId: number) {
	const rounds = await cachedRead(db, `rounds:${clusterId}`, () => roundRows(db, clusterId));
	const now = new Date();
	return rounds.map((r) => ({
		...r,
		accepting: roundIsAccepting(r, now),
		opens_at: r.opens_at.toISOString(),
		closes_at: r.closes_at.toISOString()
	}));
}

async function roundRows(db: Reader, clusterId: number) {
	const rounds = await db
		.selectFrom('funding_round as r')
		.leftJoin(roundTotals(db, { clusterId }).as('t'), 't.round_id', 'r.id')
		.select([...ROUND_FIGURES, 't.requested_pence', 't.bid_count'])
		.where('r.cluster_id', '=', clusterId)
		.orderBy('r.closes_at', 'desc')
		.execute();
	return rounds.map((r) => ({
		...r,
		requested_pence: Number(r.requested_pence ?? 0),
		bid_count: Number(r.bid_count ?? 0),
		remaining_pence: r.pot_pence - r.approved_pence
	}));
}

/** Cursor keys for a round's bids (by id: the order they were started). */
export const ROUND_BID_KEY: KeyKind[] = ['int'];
export const ROUND_BID_PAGE = 50;

/** A round's bids, a page at a time (a big district's round has hundreds). */
export async function roundDetail(db: Reader, actor: Actor, roundId: number, cursor: Cursor | null = null) {
	const ref = await loadRoundRef(db, roundId);
	assertCan(actor, { action: 'round.view', round: ref });
	const round = await db
		.selectFrom('funding_round as r')
		.innerJoin('cluster as c', 'c.id', 'r.cluster_id')
		.innerJoin('app_user as u', 'u.id', 'r.created_by')
		.select([
			...ROUND_FIGURES,
			'r.cluster_id',
			'c.name as cluster_name',
			'c.kind as cluster_kind',
			'r.guidance',
			'r.endorsement_rule',
			'r.endorsement_value',
			'u.name as created_by_name'
		])
		.where('r.id', '=', roundId)
		.executeTakeFirstOrThrow();
	const [bids, totals, settingCount] = await Promise.all([
		keysetPage(
			db
				.selectFrom('bid as b')
				.innerJoin('setting as s', 's.id', 'b.lead_setting_id')
				.select(['b.id', 'b.title', 'b.status', 'b.submission_no', 'b.requested_pence', 'b.approved_pence', 'b.updated_at', 's.name as lead_setting_name'])
				.where('b.round_id', '=', roundId),
			{ order: [sql`b.id`], direction: 'asc', keyOf: (bid) => [bid.id], cursor, size: ROUND_BID_PAGE }
		),
		// The whole round's figures, not only this page's.
		roundTotals(db, { roundId }).executeTakeFirst(),
		settingCounts(db, [round.cluster_id]).then((counts) => counts.get(round.cluster_id) ?? 0)
	]);
	const requested = Number(totals?.requested_pence ?? 0);
	// The settings this person may start a bid for: the ones the policy's bid.create allows.
	const startBidAs: { settingId: number; settingName: string }[] = [];
	for (const settingId of new Set(actor.settingRoles.map((r) => r.settingId))) {
		const leadSetting = await loadSettingRef(db, settingId);
		if (can(actor, { action: 'bid.create', round: ref, leadSetting }).allowed) startBidAs.push({ settingId, settingName: leadSetting.name });
	}
	return {
		round: {
			...round,
			opens_at: round.opens_at.toISOString(),
			closes_at: round.closes_at.toISOString(),
			requested_pence: requested,
			remaining_pence: round.pot_pence - round.approved_pence,
			accepting: roundIsAccepting(round),
			// A bid's own settings have no say, so the typical bid (a lead and one partner) is asked of the other settings.
			endorsement_words: `${endorsementNeedWords(
				endorsementsNeeded(round.endorsement_rule, round.endorsement_value, Math.max(0, settingCount - 2)),
				Math.max(0, settingCount - 2)
			)} a bid from a lead and one partner`,
			setting_count: settingCount
		},
		bids: bids.items.map((b) => ({ ...b, updated_at: b.updated_at.toISOString() })),
		bidPage: { total: Number(totals?.bid_count ?? 0), next: bids.next, previous: bids.previous },
		can: {
			manage: can(actor, { action: 'round.manage', round: ref }).allowed,
			export: can(actor, { action: 'round.export', round: ref }).allowed,
			startBidAs
		}
	};
}

export async function bidDetail(db: Reader, actor: Actor, bidId: number) {
	const ref = await loadBidRef(db, bidId);
	assertCan(actor, { action: 'bid.view', bid: ref });
	const bid = await db
		.selectFrom('bid as b')
		.innerJoin('funding_round as r', 'r.id', 'b.round_id')
		.innerJoin('setting as s', 's.id', 'b.lead_setting_id')
		.leftJoin('app_user as signer', 'signer.id', 'b.lead_signed_by')
		.select([
			'b.id',
			'b.round_id',
			'b.cluster_id',
			'b.lead_setting_id',
			's.name as lead_setting_name',
			'b.status',
			'b.submission_no',
			'b.requested_pence',
			'b.approved_pence',
			'b.conditions',
			'b.decision_reason',
			'b.officer_points',
			'b.version',
			'b.section_versions',
			'b.lead_signed_at',
			'signer.name as lead_signed_by_name',
			'b.updated_at',
			'r.name as round_name',
			'r.max_request_pence',
			'r.pot_pence',
			'r.approved_pence as round_approved_pence',
			'r.status as round_status',
			'r.opens_at',
			'r.closes_at',
			'r.endorsement_rule',
			'r.endorsement_value'
		])
		.where('b.id', '=', bidId)
		.executeTakeFirstOrThrow();
	const content = await loadContent(db, bidId);
	const money = bidMoney(content);

	const [partners, pledgeRows, milestones, endorsements, submissions, timeline, clusterSettings] = await Promise.all([
		partnerSettings(db, [bidId]).then((rows) => rows.map(({ id, name }) => ({ id, name }))),
		settingPledges(db, [bidId]),
		db
			.selectFrom('bid_milestone as m')
			.leftJoin('app_user as u', 'u.id', 'm.progress_updated_by')
			.select(['m.id', 'm.title', 'm.due_on', 'm.progress', 'm.progress_note', 'm.progress_updated_at', 'u.name as updated_by_name'])
			.where('m.bid_id', '=', bidId)
			.orderBy('m.position')
			.execute(),
		db
			.selectFrom('bid_endorsement as e')
			.innerJoin('setting as s', 's.id', 'e.setting_id')
			.innerJoin('app_user as u', 'u.id', 'e.decided_by')
			.select(['e.id', 'e.setting_id', 's.name as setting_name', 'e.submission_no', 'e.decision', 'e.reason', 'e.decided_at', 'u.name as decided_by_name'])
			.where('e.bid_id', '=', bidId)
			.orderBy('e.decided_at', 'desc')
			.orderBy('e.id', 'desc')
			.execute(),
		db
			.selectFrom('bid_submission as s')
			.innerJoin('app_user as u', 'u.id', 's.submitted_by')
			.select(['s.submission_no', 's.snapshot', 's.submitted_at', 'u.name as submitted_by_name'])
			.where('s.bid_id', '=', bidId)
			.orderBy('s.submission_no')
			.execute(),
		auditHistory(db, { subjects: [{ type: 'bid', ids: [bidId] }] }),
		settingsInCluster(db, bid.cluster_id).execute()
	]);

	const confirmations = new Map(pledgeRows.map((p) => [p.setting_id, p]));
	const currentEndorsements = endorsements.filter((e) => e.submission_no === bid.submission_no && bid.status !== 'draft');
	// Endorsement is the judgement of the cluster's settings outside the bid; only their views count.
	const ownSettings = new Set(writingSettings(ref));
	const otherSettings = clusterSettings.filter((s) => !ownSettings.has(s.id));
	const needed = endorsementsNeeded(bid.endorsement_rule, bid.endorsement_value, otherSettings.length);
	const involvement = await loadInvolvement(db, bidId, actor.id);
	// Whoever may sign the bid off is the one the checklist's last step is for.
	const leadHeadteacher = can(actor, { action: 'bid.submit', bid: ref }).allowed;
	const accepting = roundIsAccepting({ status: bid.round_status, opens_at: bid.opens_at, closes_at: bid.closes_at });
	const facts: SubmissionFacts = {
		confirmedPledges: pledgeRows.filter((p) => p.confirmed_at).map((p) => p.setting_id),
		partnerCount: partners.length,
		maxRequestPence: bid.max_request_pence
	};
	// Each section's status and what it still needs (the kit's checklist over the content and these facts),
	// and what the submission itself needs, which belongs to no section.
	const base = `/bids/${bidId}`;
	const missing = bidChecklist(content, facts, base);
	const tasks = taskList(bidDocument, { ...content, facts }, base, { missing });
	const signOffNeeds = submissionChecks({ roundOpen: accepting, leadHeadteacherSigned: leadHeadteacher });

	// For each of the actor's settings that endorsed an earlier submission: what has changed since.
	const latestSnapshot = submissions.at(-1)?.snapshot;
	const mySettingIds = new Set(actor.settingRoles.map((r) => r.settingId));
	const changesSinceEndorsed = endorsements
		.filter((e) => mySettingIds.has(e.setting_id) && e.submission_no < bid.submission_no)
		.filter((e, index, all) => all.findIndex((x) => x.setting_id === e.setting_id) === index)
		.map((e) => {
			const then = submissions.find((s) => s.submission_no === e.submission_no)?.snapshot;
			return {
				settingName: e.setting_name,
				submissionNo: e.submission_no,
				changes: then ? changedSections(bidDocument, then, latestSnapshot ?? content) : []
			};
		});

	// The settings this person could endorse for are the ones the policy allows, nothing decided here.
	const endorsableSettings = actor.settingRoles
		.filter(
			(r, index, all) =>
				all.findIndex((x) => x.settingId === r.settingId) === index &&
				can(actor, {
					action: 'bid.endorse',
					bid: ref,
					setting: { id: r.settingId, name: r.settingName, clusterId: r.clusterId, districtId: r.districtId ?? r.clusterId },
					involvement
				}).allowed
		)
		.map((r) => ({
			settingId: r.settingId,
			settingName: r.settingName,
			decision: currentEndorsements.find((e) => e.setting_id === r.settingId)?.decision ?? null
		}));

	const decision = can(actor, { action: 'bid.decide', bid: ref, involvement });
	const sectionVersions = bid.section_versions;
	return {
		bid: {
			...bid,
			section_versions: sectionVersions,
			opens_at: bid.opens_at.toISOString(),
			closes_at: bid.closes_at.toISOString(),
			lead_signed_at: bid.lead_signed_at?.toISOString() ?? null,
			updated_at: bid.updated_at.toISOString(),
			round_accepting: accepting
		},
		content,
		money,
		partners,
		pledges: content.pledges.map((p) => {
			const confirmation = confirmations.get(p.settingId);
			return {
				...p,
				confirmedAt: confirmation?.confirmed_at?.toISOString() ?? null,
				confirmedByName: confirmation?.confirmed_by_name ?? null
			};
		}),
		milestones: milestones.map((m) => ({ ...m, progress_updated_at: m.progress_updated_at?.toISOString() ?? null })),
		endorsements: {
			current: currentEndorsements.map((e) => ({ ...e, decided_at: e.decided_at.toISOString() })),
			lapsed: endorsements
				.filter((e) => e.submission_no < bid.submission_no)
				.map((e) => ({ ...e, decided_at: e.decided_at.toISOString() })),
			needed,
			endorsing: currentEndorsements.filter((e) => e.decision === 'endorse' && otherSettings.some((s) => s.id === e.setting_id)).length,
			settingCount: otherSettings.length,
			needWords: endorsementNeedWords(needed, otherSettings.length)
		},
		submissions: submissions.map((s) => ({ submission_no: s.submission_no, submitted_at: s.submitted_at.toISOString(), submitted_by_name: s.submitted_by_name })),
		changesSinceEndorsed,
		tasks,
		missing,
		signOffNeeds,
		timeline: timeline.map((t) => ({ id: t.id, action: t.action, reason: t.reason, detail: t.detail, created_at: t.at.toISOString(), actor_name: t.actorName })),
		clusterSettings,
		can: {
			edit: can(actor, { action: 'bid.edit', bid: ref }).allowed && bid.status === 'draft',
			managePartners: can(actor, { action: 'bid.managePartners', bid: ref }).allowed && bid.status === 'draft',
			writePledgeFor: content.pledges
				.filter((p) => can(actor, { action: 'bid.writePledge', bid: ref, settingId: p.settingId }).allowed)
				.map((p) => p.settingId),
			confirmPledgeFor: content.pledges
				.filter((p) => can(actor, { action: 'bid.confirmPledge', bid: ref, settingId: p.settingId }).allowed)
				.map((p) => p.settingId),
			submit: can(actor, { action: 'bid.submit', bid: ref }).allowed && bid.status === 'draft',
			withdraw: can(actor, { action: 'bid.withdraw', bid: ref }).allowed && ['draft', 'endorsement', 'review'].includes(bid.status),
			endorseAs: bid.status === 'endorsement' ? endorsableSettings : [],
			decide: decision.allowed && bid.status === 'review',
			/** Why this officer may not decide (separation of duties), shown instead of the decision form. */
			decideRefusal: can(actor, { action: 'county.view' }).allowed && !decision.allowed && ['review', 'approved', 'funded'].includes(bid.status) ? decision.reason : null,
			fund: decision.allowed && bid.status === 'approved',
			close: decision.allowed && bid.status === 'funded',
			updateMilestones: can(actor, { action: 'bid.updateMilestone', bid: ref }).allowed && bid.status === 'funded'
		}
	};
}
