import type { Kysely } from 'kysely';
import type { DB } from '../db';

// Reads of a bid's parts that the bid page and the round's export both need: for one bid, or for a
// page of bids at once (one query each, however many bids).
type Reader = Kysely<DB>;

/** The partner settings of these bids, by name. */
export function partnerSettings(db: Reader, bidIds: number[]) {
	return db
		.selectFrom('bid_partner as p')
		.innerJoin('setting as s', 's.id', 'p.setting_id')
		.select(['p.bid_id', 's.id', 's.name'])
		.where('p.bid_id', 'in', bidIds)
		.orderBy('s.name')
		.execute();
}

/** Each setting's pledge to these bids, by setting name, with who confirmed it. */
export function settingPledges(db: Reader, bidIds: number[]) {
	return db
		.selectFrom('bid_pledge as p')
		.innerJoin('setting as s', 's.id', 'p.setting_id')
		.leftJoin('app_user as u', 'u.id', 'p.confirmed_by')
		.select(['p.bid_id', 'p.setting_id', 's.name', 'p.money_pence', 'p.staff_hours', 'p.confirmed_at', 'u.name as confirmed_by_name'])
		.where('p.bid_id', 'in', bidIds)
		.orderBy('s.name')
		.execute();
}
