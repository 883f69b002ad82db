import { beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../src/lib/server/auth/actor';
import { decideBid, endorseBid, moveBid, openRound, submitBid } from '../../src/lib/server/bids/commands';
import { bidDetail } from '../../src/lib/server/bids/queries';
import { grantRole } from '../../src/lib/server/people';
import { actors, db, expectRefusal, ids, person, readyBid, roundInput, toReview, useBidsCounty } from './bids-fixture';

// Separation of duties: whoever took part in a bid does not decide it.
useBidsCounty();

describe('separation of duties: whoever took part in a bid does not decide it', () => {
	let roundId: number;
	beforeAll(async () => {
		roundId = await openRound(db, actors.officer, roundInput({ name: 'Duties round', potPence: 3_000_000, maxRequestPence: 2_000_000 }));
	});

	it('an officer cannot give themself a setting role; one given it by another officer who endorses may not then decide', async () => {
		await expectRefusal(
			grantRole(db, actors.officer, { userId: ids.officer, grant: { kind: 'setting', settingId: ids.willow, role: 'headteacher' } }),
			'FORBIDDEN',
			/cannot give yourself a role/
		);
		await person('officer3', 'Omar Officer', { county: 'officer' });
		await grantRole(db, actors.officer2, { userId: ids.officer3, grant: { kind: 'setting', settingId: ids.willow, role: 'headteacher' }, reason: 'Acting head' });
		const officer3 = (await loadActor(db, ids.officer3))!;
		const bidId = await readyBid(roundId, 300_000);
		await submitBid(db, actors.headMeadow, { bidId, version: (await bidDetail(db, actors.headMeadow, bidId)).bid.version });
		await endorseBid(db, officer3, { bidId, settingId: ids.willow, submissionNo: 1, decision: 'endorse', reason: '' });
		await endorseBid(db, actors.headOrchard, { bidId, settingId: ids.orchard, submissionNo: 1, decision: 'endorse', reason: '' });
		const detail = await bidDetail(db, officer3, bidId);
		expect(detail.bid.status).toBe('review');
		// The page shows why, instead of the decision form.
		expect(detail.can.decide).toBe(false);
		expect(detail.can.decideRefusal).toBe('You endorsed this bid, so another officer must decide it.');
		for (const decision of ['approve', 'decline', 'return'] as const) {
			await expectRefusal(
				decideBid(db, officer3, { bidId, version: detail.bid.version, decision, amountPence: 300_000, conditions: '', reason: 'Mine' } as Parameters<typeof decideBid>[2]),
				'FORBIDDEN',
				/^You endorsed this bid, so another officer must decide it\.$/
			);
		}
		expect((await db.selectFrom('bid').select('status').where('id', '=', bidId).executeTakeFirstOrThrow()).status).toBe('review');
		// Another officer, who took no part, decides.
		const forOfficer2 = await bidDetail(db, actors.officer2, bidId);
		expect(forOfficer2.can).toMatchObject({ decide: true, decideRefusal: null });
		await decideBid(db, actors.officer2, { bidId, version: forOfficer2.bid.version, decision: 'approve', amountPence: 300_000, conditions: '', reason: 'Sound' });
		// Marking it funded is the deciders' step too.
		await expectRefusal(moveBid(db, officer3, { bidId, version: forOfficer2.bid.version + 1, reason: '' }, 'fund'), 'FORBIDDEN', /You endorsed this bid/);
	});

	it('an officer who holds a role at one of the bid’s settings, or confirmed its pledge, may not decide it', async () => {
		await person('officer4', 'Ola Officer', { county: 'officer' });
		await grantRole(db, actors.officer2, { userId: ids.officer4, grant: { kind: 'setting', settingId: ids.castle, role: 'headteacher' }, reason: 'Interim head' });
		const officer4 = (await loadActor(db, ids.officer4))!;
		const bidId = await readyBid(roundId, 200_000);
		await toReview(bidId);
		const version = (await bidDetail(db, actors.officer, bidId)).bid.version;
		await expectRefusal(
			decideBid(db, officer4, { bidId, version, decision: 'decline', reason: 'No' }),
			'FORBIDDEN',
			/^You work at Castlebrook Academy, which is part of this bid, so another officer must decide it\.$/
		);
		// Their role ends, but the history still says they took part (the pledge confirmation was someone else's here): allowed now.
		await db.deleteFrom('setting_membership').where('user_id', '=', ids.officer4).execute();
		const after = (await loadActor(db, ids.officer4))!;
		await decideBid(db, after, { bidId, version, decision: 'return', reason: 'Add costs' });
		// Someone who confirmed a pledge to a bid is a party to it for good, even after leaving the setting.
		const pledged = await readyBid(roundId, 100_000);
		await toReview(pledged);
		await db.updateTable('app_user').set({ county_role: 'officer' }).where('id', '=', ids.headCastle).execute();
		await db.deleteFrom('setting_membership').where('user_id', '=', ids.headCastle).execute();
		const formerHead = (await loadActor(db, ids.headCastle))!;
		await expectRefusal(
			decideBid(db, formerHead, { bidId: pledged, version: (await bidDetail(db, actors.officer, pledged)).bid.version, decision: 'decline', reason: 'No' }),
			'FORBIDDEN',
			/^You confirmed a pledge to this bid, so another officer must decide it\.$/
		);
		await db.updateTable('app_user').set({ county_role: null }).where('id', '=', ids.headCastle).execute();
		await db.insertInto('setting_membership').values({ user_id: ids.headCastle, setting_id: ids.castle, role: 'headteacher' }).execute();
	});
});
