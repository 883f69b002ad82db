import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/lib/server/errors';
import { snapshotHash } from '../../src/lib/document/hash';
import { addPartner, confirmPledge, createBid, openRound, saveSection, submitBid } from '../../src/lib/server/bids/commands';
import { bidDetail } from '../../src/lib/server/bids/queries';
import { actors, db, expectRefusal, ids, readyBid, roundInput, useBidsCounty } from './bids-fixture';
import { backendPid, waitingFor } from './locks';

// Writing a bid: who starts and edits it, partners, co-writing conflicts, money, pledges and submission.
useBidsCounty();

describe('bids: writing, permissions and bad input', () => {
	let roundId: number;
	beforeAll(async () => {
		roundId = await openRound(db, actors.officer, roundInput({ name: 'Writing round' }));
	});

	it('staff of a cluster setting start a bid; outsiders and settings of other clusters cannot', async () => {
		await expect(createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.meadow, title: 'A bid' })).resolves.toBeGreaterThan(0);
		await expectRefusal(createBid(db, actors.outsider, { roundId, leadSettingId: ids.elsewhere, title: 'Bid B' }), 'FORBIDDEN', /not in the Banbury/);
		await expectRefusal(createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.castle, title: 'Bid C' }), 'FORBIDDEN', /Castlebrook/);
		await expectRefusal(createBid(db, actors.pcf, { roundId, leadSettingId: ids.meadow, title: 'Bid D' }), 'FORBIDDEN');
	});

	it('a partner removed while its save waits for the bid is refused: the policy judges the bid as locked, not as read before', async () => {
		const bidId = await createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.meadow, title: 'Race to save' });
		await addPartner(db, actors.sencoMeadow, { bidId, settingId: ids.castle });
		let save: Promise<unknown> = Promise.resolve(null);
		// The removal holds the bid's lock (as removePartner does) while Castlebrook's save starts and waits on it; then it commits.
		await db.transaction().execute(async (trx) => {
			await trx.selectFrom('bid').select('id').where('id', '=', bidId).forUpdate().execute();
			const holder = await backendPid(trx);
			await trx.deleteFrom('bid_pledge').where('bid_id', '=', bidId).where('setting_id', '=', ids.castle).execute();
			await trx.deleteFrom('bid_partner').where('bid_id', '=', bidId).where('setting_id', '=', ids.castle).execute();
			save = saveSection(db, actors.sencoCastle, { bidId, section: 'evaluation', version: 0, content: { evaluation: 'Saved after removal' } }).then(
				() => null,
				(e: unknown) => e
			);
			for (let waited = 0; waited < 100; waited++) {
				if ((await waitingFor(db, holder)) > 0) break;
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
		});
		const error = await save;
		expect(error).toBeInstanceOf(DomainError);
		expect((error as DomainError).code).toBe('FORBIDDEN');
		expect((await db.selectFrom('bid').select('evaluation').where('id', '=', bidId).executeTakeFirstOrThrow()).evaluation).toBe('');
	});

	it('a partner from outside the cluster, and a pledge from a setting not in the bid, are refused with nothing written', async () => {
		const bidId = await createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.meadow, title: 'Partner checks' });
		await expectRefusal(addPartner(db, actors.sencoMeadow, { bidId, settingId: ids.elsewhere }), 'BAD_REQUEST', /not in the Banbury/);
		await expectRefusal(addPartner(db, actors.sencoCastle, { bidId, settingId: ids.castle }), 'FORBIDDEN', /lead setting/);
		const error = await expectRefusal(
			saveSection(db, actors.sencoMeadow, {
				bidId,
				section: 'pledges',
				version: 0,
				content: { pledges: [{ settingId: ids.orchard, moneyPence: 5, staffHours: 0, staffDescription: '' }] }
			}),
			'BAD_REQUEST'
		);
		expect(error.fieldErrors?.pledges?.[0]).toMatch(/lead or a partner/);
		const pledges = await db.selectFrom('bid_pledge').select('setting_id').where('bid_id', '=', bidId).execute();
		expect(pledges.map((p) => p.setting_id)).toEqual([ids.meadow]);
	});

	it('only writers edit; a headteacher of another cluster setting cannot', async () => {
		const bidId = await createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.meadow, title: 'Writers only' });
		await expectRefusal(
			saveSection(db, actors.headOrchard, { bidId, section: 'evaluation', version: 0, content: { evaluation: 'x' } }),
			'FORBIDDEN',
			/lead and partner/
		);
		await expect(
			saveSection(db, actors.headMeadow, { bidId, section: 'evaluation', version: 0, content: { evaluation: 'Termly review' } })
		).resolves.toMatchObject({ sectionVersion: 1 });
	});

	it('two people saving the same section from the same version: one wins, the other gets a conflict and nothing is lost silently', async () => {
		const bidId = await createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.meadow, title: 'Co-writing' });
		await addPartner(db, actors.sencoMeadow, { bidId, settingId: ids.castle });
		const results = await Promise.allSettled([
			saveSection(db, actors.sencoMeadow, { bidId, section: 'overview', version: 0, content: { title: 'Co-writing', summary: 'Meadowside text' } }),
			saveSection(db, actors.sencoCastle, { bidId, section: 'overview', version: 0, content: { title: 'Co-writing', summary: 'Castlebrook text' } })
		]);
		const fulfilled = results.filter((r) => r.status === 'fulfilled');
		const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(fulfilled).toHaveLength(1);
		expect(rejected).toHaveLength(1);
		expect((rejected[0].reason as DomainError).code).toBe('CONFLICT');
		expect((rejected[0].reason as DomainError).message).toMatch(/Someone else saved/);
		// Different sections never collide.
		await expect(
			Promise.all([
				saveSection(db, actors.sencoMeadow, { bidId, section: 'evaluation', version: 0, content: { evaluation: 'A' } }),
				saveSection(db, actors.sencoCastle, { bidId, section: 'need', version: 0, content: { needs: ['semh'], phases: ['primary'], cohortSize: 12 } })
			])
		).resolves.toHaveLength(2);
	});

	it('the requested amount is computed from the budget less pledged money, never typed', async () => {
		const bidId = await createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.meadow, title: 'Totals' });
		await saveSection(db, actors.sencoMeadow, {
			bidId,
			section: 'budget',
			version: 0,
			content: {
				lines: [
					{ item: 'Training', category: 'training', costPence: 250_050 },
					{ item: 'Kit', category: 'resources', costPence: 49_950 }
				]
			}
		});
		await saveSection(db, actors.sencoMeadow, {
			bidId,
			section: 'pledges',
			version: 0,
			content: { pledges: [{ settingId: ids.meadow, moneyPence: 100_000, staffHours: 10, staffDescription: '' }] }
		});
		const detail = await bidDetail(db, actors.sencoMeadow, bidId);
		expect(detail.money).toEqual({ totalCostPence: 300_000, pledgedPence: 100_000, requestedPence: 200_000 });
		const stored = await db.selectFrom('bid').select('requested_pence').where('id', '=', bidId).executeTakeFirstOrThrow();
		expect(stored.requested_pence).toBe(200_000);
	});

	it('only that setting’s headteacher confirms its pledge, and a changed pledge needs confirming again', async () => {
		const bidId = await createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.meadow, title: 'Pledges' });
		await addPartner(db, actors.sencoMeadow, { bidId, settingId: ids.castle });
		const v = (await bidDetail(db, actors.sencoMeadow, bidId)).bid.section_versions.pledges ?? 0;
		await saveSection(db, actors.sencoCastle, {
			bidId,
			section: 'pledges',
			version: v,
			content: { pledges: [{ settingId: ids.castle, moneyPence: 50_000, staffHours: 0, staffDescription: '' }] }
		});
		const version = v + 1;
		await expectRefusal(confirmPledge(db, actors.sencoCastle, { bidId, settingId: ids.castle, sectionVersion: version }), 'FORBIDDEN', /headteacher/);
		await expectRefusal(confirmPledge(db, actors.headMeadow, { bidId, settingId: ids.castle, sectionVersion: version }), 'FORBIDDEN');
		await expectRefusal(confirmPledge(db, actors.headCastle, { bidId, settingId: ids.castle, sectionVersion: version - 1 }), 'CONFLICT');
		await confirmPledge(db, actors.headCastle, { bidId, settingId: ids.castle, sectionVersion: version });
		let pledge = await db.selectFrom('bid_pledge').selectAll().where('bid_id', '=', bidId).where('setting_id', '=', ids.castle).executeTakeFirstOrThrow();
		expect(pledge.confirmed_by).toBe(ids.headCastle);
		await saveSection(db, actors.headCastle, {
			bidId,
			section: 'pledges',
			version: version,
			content: { pledges: [{ settingId: ids.castle, moneyPence: 60_000, staffHours: 0, staffDescription: '' }] }
		});
		pledge = await db.selectFrom('bid_pledge').selectAll().where('bid_id', '=', bidId).where('setting_id', '=', ids.castle).executeTakeFirstOrThrow();
		expect(pledge.confirmed_at).toBeNull();
	});

	it('a submission with sections missing is refused with the list, and nothing changes', async () => {
		const bidId = await createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.meadow, title: 'Incomplete' });
		const detail = await bidDetail(db, actors.headMeadow, bidId);
		const error = await expectRefusal(submitBid(db, actors.headMeadow, { bidId, version: detail.bid.version }), 'BAD_REQUEST', /not ready/);
		expect(Object.keys(error.fieldErrors ?? {})).toEqual(expect.arrayContaining(['overview', 'need', 'measures', 'budget', 'pledges', 'milestones', 'evaluation']));
		const bid = await db.selectFrom('bid').select(['status', 'submission_no']).where('id', '=', bidId).executeTakeFirstOrThrow();
		expect(bid).toEqual({ status: 'draft', submission_no: 0 });
	});

	it('only the lead headteacher submits; a SENCO and a partner headteacher cannot', async () => {
		const bidId = await readyBid(roundId);
		const { version } = (await bidDetail(db, actors.headMeadow, bidId)).bid;
		await expectRefusal(submitBid(db, actors.sencoMeadow, { bidId, version }), 'FORBIDDEN', /lead setting’s headteacher/);
		await expectRefusal(submitBid(db, actors.headCastle, { bidId, version }), 'FORBIDDEN');
		await submitBid(db, actors.headMeadow, { bidId, version });
		// The submission is frozen with its hash: the stored text can be shown never to have changed.
		const frozen = await db.selectFrom('bid_submission').select(['snapshot', 'content_hash']).where('bid_id', '=', bidId).executeTakeFirstOrThrow();
		expect(frozen.snapshot.title).toBe((await bidDetail(db, actors.headMeadow, bidId)).content.title);
		expect(frozen.content_hash).toBe(snapshotHash(frozen.snapshot));
		// Editing a submitted bid is refused.
		await expectRefusal(
			saveSection(db, actors.sencoMeadow, { bidId, section: 'evaluation', version: 1, content: { evaluation: 'changed' } }),
			'BAD_REQUEST',
			/submitted/
		);
	});

	it('a request above the round maximum cannot be submitted', async () => {
		const bidId = await readyBid(roundId, 3_500_000);
		const { version } = (await bidDetail(db, actors.headMeadow, bidId)).bid;
		const error = await expectRefusal(submitBid(db, actors.headMeadow, { bidId, version }), 'BAD_REQUEST');
		expect(error.fieldErrors?.budget?.[0]).toMatch(/maximum request/);
	});
});

describe('pledges: each setting writes its own, and only its headteacher confirms it', () => {
	let roundId: number;
	beforeAll(async () => {
		roundId = await openRound(db, actors.officer, roundInput({ name: 'Pledge round' }));
	});

	it('a partner’s SENCO cannot change the lead’s pledge (nothing is written, the lead’s stays confirmed); each changes their own', async () => {
		const bidId = await readyBid(roundId, 500_000);
		const pledgesVersion = (await bidDetail(db, actors.sencoCastle, bidId)).bid.section_versions.pledges ?? 0;
		const both = (meadowPence: number, castlePence: number) => ({
			pledges: [
				{ settingId: ids.meadow, moneyPence: meadowPence, staffHours: 0, staffDescription: '' },
				{ settingId: ids.castle, moneyPence: castlePence, staffHours: 20, staffDescription: 'SENCO time' }
			]
		});
		await expectRefusal(
			saveSection(db, actors.sencoCastle, { bidId, section: 'pledges', version: pledgesVersion, content: both(1, 100_000) }),
			'FORBIDDEN',
			/Only the headteacher or SENCO of Meadowside Primary can change its pledge/
		);
		// Not even with their own change alongside: the whole save is refused.
		await expectRefusal(
			saveSection(db, actors.headCastle, { bidId, section: 'pledges', version: pledgesVersion, content: both(1, 5) }),
			'FORBIDDEN',
			/Meadowside Primary/
		);
		const rows = await db.selectFrom('bid_pledge').select(['setting_id', 'money_pence', 'confirmed_at']).where('bid_id', '=', bidId).orderBy('setting_id').execute();
		expect(rows.find((r) => r.setting_id === ids.meadow)).toMatchObject({ money_pence: 100_000, confirmed_at: expect.any(Date) });
		expect(rows.find((r) => r.setting_id === ids.castle)).toMatchObject({ money_pence: 100_000, confirmed_at: expect.any(Date) });
		// The lead's people may not change the partner's pledge either.
		await expectRefusal(
			saveSection(db, actors.sencoMeadow, { bidId, section: 'pledges', version: pledgesVersion, content: both(100_000, 7) }),
			'FORBIDDEN',
			/Castlebrook Academy/
		);
		// The partner's SENCO changes their own row: theirs needs confirming again, the lead's stays confirmed.
		await saveSection(db, actors.sencoCastle, { bidId, section: 'pledges', version: pledgesVersion, content: both(100_000, 80_000) });
		const after = await db.selectFrom('bid_pledge').select(['setting_id', 'money_pence', 'confirmed_at']).where('bid_id', '=', bidId).execute();
		expect(after.find((r) => r.setting_id === ids.meadow)).toMatchObject({ money_pence: 100_000, confirmed_at: expect.any(Date) });
		expect(after.find((r) => r.setting_id === ids.castle)).toMatchObject({ money_pence: 80_000, confirmed_at: null });
		// The page lets each person edit only their own setting's row.
		expect((await bidDetail(db, actors.sencoCastle, bidId)).can.writePledgeFor).toEqual([ids.castle]);
		expect((await bidDetail(db, actors.headMeadow, bidId)).can.writePledgeFor).toEqual([ids.meadow]);
		expect((await bidDetail(db, actors.headOrchard, bidId)).can.writePledgeFor).toEqual([]);
		// Only the partner's headteacher confirms it: not its SENCO, not the lead's headteacher.
		const v = (await bidDetail(db, actors.headCastle, bidId)).bid.section_versions.pledges ?? 0;
		await expectRefusal(confirmPledge(db, actors.sencoCastle, { bidId, settingId: ids.castle, sectionVersion: v }), 'FORBIDDEN', /headteacher of that setting/);
		await expectRefusal(confirmPledge(db, actors.headMeadow, { bidId, settingId: ids.castle, sectionVersion: v }), 'FORBIDDEN', /headteacher of that setting/);
		await confirmPledge(db, actors.headCastle, { bidId, settingId: ids.castle, sectionVersion: v });
	});
});
