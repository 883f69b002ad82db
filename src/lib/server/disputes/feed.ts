import type { Database } from '../db';
import { loadActor, type Actor } from '../auth/actor';
import { generateToken, hashToken } from '../auth/session';
import { assertCan, can } from '../policy';
import { parseInput } from '../input';
import { transact, absoluteUrl, type Work } from '../work';
import { forbidden, notFound } from '../errors';
import { feedSchema } from '$lib/schemas/disputes-panel';
import { feedIcs, type FeedMeeting } from './ics';
import type { MembershipRef } from './policy';

// A panel member's private calendar feed: a secret link per place in a district's pool that a
// calendar app subscribes to. Only the token's hash is kept (as for the poll's answer links), so
// the link is shown once, when made; making a new one replaces it and stopping it ends it. The
// feed lists the member's booked, not-cancelled meetings in that district, naming the case by
// reference only, with the invitations' UIDs and SEQUENCEs. Taken off the pool, the member's
// link stops working. A link that is not ours, stopped or replaced is a plain 404: no hint which.

type Trx = Work['trx'];

export const feedPath = (token: string) => `/panel-calendar/${token}.ics`;

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

async function membershipRef(db: Database | Trx, where: { id: number } | { tokenHash: string }, lock = false): Promise<MembershipRef | null> {
	let query = db
		.selectFrom('dispute_member as m')
		.innerJoin('app_user as u', 'u.id', 'm.user_id')
		.innerJoin('cluster as d', 'd.id', 'm.district_id')
		.select(['m.id', 'm.user_id', 'm.active', 'u.is_active', 'd.id as district_id', 'd.name as district_name']);
	query = 'id' in where ? query.where('m.id', '=', where.id) : query.where('m.feed_token_hash', '=', where.tokenHash);
	if (lock) query = query.forUpdate('m');
	const row = await query.executeTakeFirst();
	if (!row) return null;
	return { id: row.id, userId: row.user_id, district: { id: row.district_id, name: row.district_name }, active: row.active && row.is_active };
}

export interface FeedLine {
	membershipId: number;
	districtName: string;
	/** Whether a feed link is live (its text was shown once, when made). */
	hasFeed: boolean;
}

/** The person's places in district pools, each with whether it has a live feed link. */
export async function myFeeds(db: Database, actor: Actor | null): Promise<FeedLine[]> {
	if (!actor) throw forbidden('You need to sign in first.');
	const rows = await db
		.selectFrom('dispute_member as m')
		.innerJoin('cluster as d', 'd.id', 'm.district_id')
		.select(['m.id', 'd.name', 'm.feed_token_hash'])
		.where('m.user_id', '=', actor.id)
		.where('m.active', '=', true)
		.orderBy('d.name')
		.orderBy('m.id')
		.execute();
	return rows.map((r) => ({ membershipId: r.id, districtName: r.name, hasFeed: r.feed_token_hash !== null }));
}

export interface MadeFeed {
	membershipId: number;
	/**
	 * The whole subscription address, shown to the member once; null when this was a repeat of a
	 * post already done (a double click), whose first response showed it. It is never part of the
	 * command's result, which a repeated post reads back from the database.
	 */
	url: string | null;
	replaced: boolean;
}

/** Makes the member's feed link, replacing any earlier one (which stops working). */
export async function createFeed(db: Database, actor: Actor | null, raw: unknown): Promise<MadeFeed> {
	const input = parseInput(feedSchema, raw);
	const token = generateToken();
	let stored = false;
	const done = await transact(db, actor?.id ?? null, async (work) => {
		const membership = await membershipRef(work.trx, { id: input.membershipId }, true);
		if (!membership) throw notFound('That panel pool place');
		assertCan(actor, { action: 'disputes.feed.manage', membership });
		const before = await work.trx.selectFrom('dispute_member').select('feed_token_hash').where('id', '=', membership.id).executeTakeFirstOrThrow();
		await work.trx.updateTable('dispute_member').set({ feed_token_hash: hashToken(token) }).where('id', '=', membership.id).execute();
		stored = true;
		const replaced = before.feed_token_hash !== null;
		await work.record({
			action: replaced ? 'disputes.feed_replaced' : 'disputes.feed_created',
			subject: { type: 'dispute_member', id: membership.id },
			summary: `${replaced ? 'Replaced' : 'Made'} their private calendar feed link for ${membership.district.name}’s panel meetings`,
			detail: { districtId: membership.district.id }
		});
		return { membershipId: membership.id, replaced };
	});
	return { ...done, url: stored ? absoluteUrl(feedPath(token)) : null };
}

/** Stops the member's feed link. Stopping one already stopped changes nothing and records nothing. */
export async function revokeFeed(db: Database, actor: Actor | null, raw: unknown): Promise<{ revoked: boolean }> {
	const input = parseInput(feedSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const membership = await membershipRef(work.trx, { id: input.membershipId }, true);
		if (!membership) throw notFound('That panel pool place');
		assertCan(actor, { action: 'disputes.feed.manage', membership });
		const stopped = await work.trx
			.updateTable('dispute_member')
			.set({ feed_token_hash: null })
			.where('id', '=', membership.id)
			.where('feed_token_hash', 'is not', null)
			.returning('id')
			.executeTakeFirst();
		if (!stopped) return { revoked: false };
		await work.record({
			action: 'disputes.feed_revoked',
			subject: { type: 'dispute_member', id: membership.id },
			summary: `Stopped their private calendar feed link for ${membership.district.name}’s panel meetings`,
			detail: { districtId: membership.district.id }
		});
		return { revoked: true };
	});
}

/** The booked, not-cancelled meetings in this district that this member sits on, soonest first. */
async function bookedMeetings(db: Database, membership: MembershipRef): Promise<FeedMeeting[]> {
	const rows = await db
		.selectFrom('dispute_poll as p')
		.innerJoin('dispute_case as c', 'c.id', 'p.case_id')
		.innerJoin('dispute_slot as s', 's.id', 'p.booked_slot_id')
		.select(['p.id', 'p.ics_uid', 'p.ics_sequence', 'c.reference', 's.starts_at', 's.ends_at', 's.mode', 's.place'])
		.where('c.district_id', '=', membership.district.id)
		.where('c.status', '!=', 'withdrawn')
		.where('c.anonymised_at', 'is', null)
		.where('p.cancelled_at', 'is', null)
		.where((eb) => eb(eb.val(membership.userId), '=', eb.fn.any('p.booked_member_ids')))
		.where(({ not, exists, selectFrom }) =>
			not(exists(selectFrom('dispute_conflict as k').select('k.user_id').whereRef('k.case_id', '=', 'p.case_id').where('k.user_id', '=', membership.userId)))
		)
		.orderBy('s.starts_at')
		.orderBy('p.id')
		.execute();
	return rows.map((r) => ({
		uid: r.ics_uid,
		sequence: r.ics_sequence,
		reference: r.reference,
		startsAt: r.starts_at,
		endsAt: r.ends_at,
		mode: r.mode,
		place: r.place,
		link: absoluteUrl(`/disputes/polls/${r.id}`)
	}));
}

/** The feed's `.ics` text for a link's token, or null (a 404) for a link that is not ours, stopped, replaced or whose member left the pool. */
export async function feedByToken(db: Database, token: string): Promise<string | null> {
	if (!TOKEN_SHAPE.test(token)) return null;
	const membership = await membershipRef(db, { tokenHash: hashToken(token) });
	if (!membership) return null;
	// The link acts as its member: the same rule as managing it (the member themself, still in the pool).
	const holder = await loadActor(db, membership.userId);
	if (!holder || !can(holder, { action: 'disputes.feed.read', membership }).allowed) return null;
	return feedIcs(await bookedMeetings(db, membership));
}
