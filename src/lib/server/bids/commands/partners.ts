import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { transact } from '../../work';
import { conflict, invalid, notFound } from '../../errors';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { formatPence } from '$lib/format';
import { confirmPledgeSchema, partnerSchema } from '$lib/schemas/bids';
import { loadSettingRef, staffOf, writingSettings } from '../access';
import { bidLink, bumpVersion, lockBid, refreshRequested, requireAccepting, requireDraft } from './locks';

// The settings in a bid: partners added and removed by the lead, and each setting's pledge confirmed by its headteacher.

export async function addPartner(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(partnerSchema, raw);
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockBid(work.trx, input.bidId);
		assertCan(actor, { action: 'bid.managePartners', bid: ref });
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
		const { events } = await bumpVersion(work.trx, bid, 'pledges');
		await work.record({
			action: 'bid.partner_added',
			subject: { type: 'bid', id: bid.id },
			summary: `added ${setting.name} as a partner setting`,
			detail: { settingId: setting.id },
			activity: { clusterId: bid.cluster_id, link: bidLink(bid.id), summary: `${setting.name} joined the bid “${bid.title}”` },
			notify: {
				userIds: await staffOf(work.trx, [setting.id]),
				title: `Your setting is now a partner in “${bid.title}”`,
				body: 'You can write the bid with the other settings and pledge to the pool.',
				email: true
			},
			events
		});
	});
}

export async function removePartner(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(partnerSchema, raw);
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockBid(work.trx, input.bidId);
		assertCan(actor, { action: 'bid.managePartners', bid: ref });
		if (!ref.partnerSettingIds.includes(input.settingId)) throw notFound('That partner');
		requireDraft(bid);
		await work.trx.deleteFrom('bid_pledge').where('bid_id', '=', bid.id).where('setting_id', '=', input.settingId).execute();
		await work.trx.deleteFrom('bid_partner').where('bid_id', '=', bid.id).where('setting_id', '=', input.settingId).execute();
		await refreshRequested(work.trx, bid.id);
		const { events } = await bumpVersion(work.trx, bid, 'pledges');
		const setting = await loadSettingRef(work.trx, input.settingId);
		await work.record({
			action: 'bid.partner_removed',
			subject: { type: 'bid', id: bid.id },
			summary: `removed ${setting.name} from the bid`,
			detail: { settingId: input.settingId },
			events
		});
	});
}

export async function confirmPledge(db: Database, actor: Actor, raw: unknown): Promise<void> {
	const input = parseInput(confirmPledgeSchema, raw);
	await transact(db, actor.id, async (work) => {
		const { bid, ref } = await lockBid(work.trx, input.bidId);
		assertCan(actor, { action: 'bid.confirmPledge', bid: ref, settingId: input.settingId });
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
		await work.trx.updateTable('bid_pledge').set({ confirmed_by: actor.id, confirmed_at: new Date() }).where('id', '=', pledge.id).execute();
		const setting = await loadSettingRef(work.trx, input.settingId);
		const { events } = await bumpVersion(work.trx, bid, null);
		const hours = pledge.staff_hours ? ` and ${pledge.staff_hours} staff hours` : '';
		await work.record({
			action: 'bid.pledge_confirmed',
			subject: { type: 'bid', id: bid.id },
			summary: `confirmed ${setting.name}’s pledge of ${formatPence(pledge.money_pence)}${hours} to the pool`,
			detail: { settingId: input.settingId, moneyPence: pledge.money_pence, staffHours: pledge.staff_hours },
			activity: {
				clusterId: bid.cluster_id,
				link: bidLink(bid.id),
				summary: `${setting.name} confirmed its pledge of ${formatPence(pledge.money_pence)}${hours} to “${bid.title}”`
			},
			events
		});
	});
}
