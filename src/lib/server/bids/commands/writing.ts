import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { transact, type Work } from '../../work';
import { forbidden, invalid } from '../../errors';
import { saveSection as saveDocumentSection } from '../../document';
import { assertCan, can, type BidRef } from '../../policy';
import { parseInput } from '../../input';
import { clusterRoom } from '$lib/live/rooms';
import { BID_SECTIONS } from '$lib/bids/model';
import { bidDocument } from '$lib/bids/document';
import { createBidSchema, saveSectionSchema, type SaveSectionInput } from '$lib/schemas/bids';
import { loadSettingRef, staffOf, writingSettings } from '../access';
import { loadContent, roundIsAccepting } from '../queries';
import { bidChanged, bidLink, bidVersions, lockBid, lockRound, refreshRequested, requireAccepting, requireDraft, type LockedBid, type Trx } from './locks';

// Starting a bid and writing its sections (pledges included).

export async function createBid(db: Database, actor: Actor, raw: unknown): Promise<number> {
	const input = parseInput(createBidSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { round, ref } = await lockRound(work.trx, input.roundId, 'share');
		// A shared lock holds the setting where it is (a move takes it FOR UPDATE) until this commits.
		await work.trx.selectFrom('setting').select('id').where('id', '=', input.leadSettingId).forShare().execute();
		const leadSetting = await loadSettingRef(work.trx, input.leadSettingId);
		assertCan(actor, { action: 'bid.create', round: ref, leadSetting });
		if (!roundIsAccepting(round)) throw invalid('This funding round is not open for new bids.');
		const { id } = await work.trx
			.insertInto('bid')
			.values({ round_id: input.roundId, cluster_id: ref.clusterId, lead_setting_id: leadSetting.id, title: input.title, created_by: actor.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		// The lead pledges too (possibly nothing); its headteacher confirms it like any partner.
		await work.trx.insertInto('bid_pledge').values({ bid_id: id, setting_id: leadSetting.id }).execute();
		await work.record({
			action: 'bid.created',
			subject: { type: 'bid', id },
			summary: `started the bid for ${leadSetting.name}`,
			detail: { leadSettingId: leadSetting.id },
			activity: { clusterId: ref.clusterId, link: bidLink(id), summary: `${leadSetting.name} started a bid: “${input.title}” (${round.name})` },
			events: [{ room: clusterRoom(ref.clusterId), kind: 'bid.changed', payload: { bidId: id, roundId: input.roundId, version: 1, section: null } }]
		});
		return id;
	});
}

/** Replaces a section's rows: each section's content is written whole. */
async function writeContent(trx: Trx, bidId: number, input: SaveSectionInput): Promise<void> {
	const replaceRows = async <T>(table: 'bid_measure' | 'bid_budget_line' | 'bid_milestone', rows: T[]) => {
		await trx.deleteFrom(table).where('bid_id', '=', bidId).execute();
		// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each caller passes rows of its own table's shape
		if (rows.length) await trx.insertInto(table).values(rows as any).execute();
	};
	switch (input.section) {
		case 'overview':
			await trx.updateTable('bid').set({ title: input.content.title, summary: input.content.summary }).where('id', '=', bidId).execute();
			return;
		case 'need': {
			const { needs, phases, cohortSize } = input.content;
			await trx.updateTable('bid').set({ needs, phases, cohort_size: cohortSize }).where('id', '=', bidId).execute();
			return;
		}
		case 'measures':
			return replaceRows('bid_measure', input.content.measures.map((m) => ({ bid_id: bidId, measure: m.measure, outcome: m.outcome })));
		case 'budget':
			return replaceRows(
				'bid_budget_line',
				input.content.lines.map((line, position) => ({ bid_id: bidId, position, item: line.item, category: line.category, cost_pence: line.costPence }))
			);
		case 'milestones':
			return replaceRows('bid_milestone', input.content.milestones.map((m, position) => ({ bid_id: bidId, position, title: m.title, due_on: m.dueOn })));
		case 'evaluation':
			await trx.updateTable('bid').set({ evaluation: input.content.evaluation }).where('id', '=', bidId).execute();
			return;
		case 'pledges':
			return; // written by savePledges, which asks the policy setting by setting
	}
}

/**
 * Saves one section if nobody else saved it since the writer loaded it (the document kit's
 * per-section versions). On a clash it refuses with the kit's SectionConflict (CONFLICT), carrying
 * the other person's saved text, which the page shows beside the writer's to merge.
 */
export async function saveSection(db: Database, actor: Actor, raw: unknown): Promise<{ version: number; sectionVersion: number }> {
	const input = parseInput(saveSectionSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockBid(work.trx, input.bidId);
		assertCan(actor, { action: 'bid.edit', bid: ref });
		requireDraft(bid);
		requireAccepting(bid);
		// Pledges set or changed wait for their setting's headteacher to confirm them.
		let toConfirm: number[] = [];
		const saved = await saveDocumentSection(work.trx, {
			...bidVersions(bid.id),
			section: input.section,
			label: BID_SECTIONS[input.section],
			expectedVersion: input.version,
			write: async () => {
				if (input.section === 'pledges') toConfirm = await savePledges(work, actor, bid, ref, input.content.pledges);
				else await writeContent(work.trx, bid.id, input);
				await refreshRequested(work.trx, bid.id);
			},
			theirs: async () => ({ lines: bidDocument.sections[input.section].summary(await loadContent(work.trx, bid.id)) })
		});
		const version = saved.version ?? bid.version + 1;
		await work.record({
			action: 'bid.section_saved',
			subject: { type: 'bid', id: bid.id },
			summary: `saved ${BID_SECTIONS[input.section].toLowerCase()}`,
			detail: { section: input.section },
			notify: {
				userIds: await staffOf(work.trx, toConfirm, 'headteacher'),
				kind: 'pledge.to_confirm',
				title: `Confirm your setting’s pledge to “${bid.title}”`,
				body: 'A pledge from your setting to a pooled-funding bid was set or changed. Only the headteacher can confirm it.',
				link: bidLink(bid.id),
				email: true
			},
			events: bidChanged(bid, version, input.section)
		});
		return { version, sectionVersion: saved.sectionVersion };
	});
}

/**
 * Pledges come only from the bid's own settings; a changed pledge needs confirming again. The form
 * carries every setting's row, but only the rows a person's own setting may write can change: a
 * changed row of another setting is refused (an unchanged one is left alone). Returns the settings
 * whose pledge now waits for confirming.
 */
async function savePledges(
	work: Work,
	actor: Actor,
	bid: LockedBid,
	ref: BidRef,
	pledges: { settingId: number; moneyPence: number; staffHours: number; staffDescription: string }[]
): Promise<number[]> {
	const allowed = new Set(writingSettings(ref));
	if (pledges.some((p) => !allowed.has(p.settingId))) {
		throw invalid('A pledge can only come from the lead or a partner setting of this bid. Add the setting as a partner first.', {
			pledges: ['A pledge can only come from the lead or a partner setting of this bid']
		});
	}
	if (new Set(pledges.map((p) => p.settingId)).size !== pledges.length) {
		throw invalid('Each setting pledges once.', { pledges: ['Each setting pledges once'] });
	}
	const existing = await work.trx
		.selectFrom('bid_pledge')
		.select(['setting_id', 'money_pence', 'staff_hours', 'staff_description'])
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
		if (!can(actor, { action: 'bid.writePledge', bid: ref, settingId: pledge.settingId }).allowed) {
			const name = (await loadSettingRef(work.trx, pledge.settingId)).name;
			throw forbidden(`Only the headteacher or SENCO of ${name} can change its pledge. Your changes to it were not saved.`);
		}
		const values = { money_pence: pledge.moneyPence, staff_hours: pledge.staffHours, staff_description: pledge.staffDescription };
		await work.trx
			.insertInto('bid_pledge')
			.values({ bid_id: bid.id, setting_id: pledge.settingId, ...values })
			.onConflict((oc) => oc.columns(['bid_id', 'setting_id']).doUpdateSet({ ...values, confirmed_at: null, confirmed_by: null }))
			.execute();
		unconfirmed.push(pledge.settingId);
	}
	return unconfirmed;
}
