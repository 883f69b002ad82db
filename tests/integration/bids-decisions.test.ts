import { beforeAll, describe, expect, it } from 'vitest';
import { type Actor, loadActor } from '../../src/lib/server/auth/actor';
import { DomainError } from '../../src/lib/server/errors';
import { bidStatusLabel } from '../../src/lib/bids/model';
import { addPartner, closeRound, confirmPledge, createBid, decideBid, endorseBid, moveBid, openRound, removePartner, saveSection, submitBid, updateMilestone } from '../../src/lib/server/bids/commands';
import { bidDetail, roundDetail } from '../../src/lib/server/bids/queries';
import { actors, db, expectRefusal, ids, inDays, person, readyBid, roundInput, setting, toReview, useBidsCounty } from './bids-fixture';

// Endorsement and decisions: who endorses, returns, approvals within the pot, withdrawal and closing.
useBidsCounty();

describe('bids: endorsement, decisions and money', () => {
	let roundId: number;
	beforeAll(async () => {
		roundId = await openRound(db, actors.officer, roundInput({ name: 'Decision round', potPence: 2_000_000, maxRequestPence: 2_000_000 }));
	});

	it('endorsement needs headteachers of cluster settings outside the bid, of the exact submitted version; then it goes to officers', async () => {
		const bidId = await readyBid(roundId, 500_000);
		const detail = await bidDetail(db, actors.headMeadow, bidId);
		await submitBid(db, actors.headMeadow, { bidId, version: detail.bid.version });
		const submissionNo = 1;
		await expectRefusal(endorseBid(db, actors.outsider, { bidId, settingId: ids.elsewhere, submissionNo, decision: 'endorse', reason: '' }), 'FORBIDDEN');
		await expectRefusal(endorseBid(db, actors.sencoCastle, { bidId, settingId: ids.castle, submissionNo, decision: 'endorse', reason: '' }), 'FORBIDDEN');
		await expectRefusal(endorseBid(db, actors.headOrchard, { bidId, settingId: ids.orchard, submissionNo: 2, decision: 'endorse', reason: '' }), 'CONFLICT');
		await endorseBid(db, actors.headOrchard, { bidId, settingId: ids.orchard, submissionNo, decision: 'object', reason: 'Duplicates our offer' });
		await expectRefusal(endorseBid(db, actors.headOrchard, { bidId, settingId: ids.orchard, submissionNo, decision: 'endorse', reason: '' }), 'CONFLICT');
		// The bid's own settings have no say: lead and partner headteachers are refused, and nothing is written.
		await expectRefusal(
			endorseBid(db, actors.headCastle, { bidId, settingId: ids.castle, submissionNo, decision: 'endorse', reason: '' }),
			'FORBIDDEN',
			/Castlebrook Academy is part of this bid, so it cannot endorse or object/
		);
		await expectRefusal(
			endorseBid(db, actors.headMeadow, { bidId, settingId: ids.meadow, submissionNo, decision: 'endorse', reason: '' }),
			'FORBIDDEN',
			/Meadowside Primary is part of this bid/
		);
		const views = await db.selectFrom('bid_endorsement').select('setting_id').where('bid_id', '=', bidId).execute();
		expect(views.map((v) => v.setting_id)).toEqual([ids.orchard]);
		// The page counts only the other settings: Orchard and Willow (the round asks for 2).
		const during = await bidDetail(db, actors.headWillow, bidId);
		expect(during.endorsements).toMatchObject({ needed: 2, settingCount: 2, endorsing: 0, needWords: '2 of 2 other settings must endorse' });
		expect(during.can.endorseAs.map((s) => s.settingId)).toEqual([ids.willow]);
		expect((await bidDetail(db, actors.headCastle, bidId)).can.endorseAs).toEqual([]);
		expect((await bidDetail(db, actors.officer, bidId)).bid.status).toBe('endorsement');
		await endorseBid(db, actors.headWillow, { bidId, settingId: ids.willow, submissionNo, decision: 'endorse', reason: '' });
		expect((await bidDetail(db, actors.officer, bidId)).bid.status).toBe('endorsement');
		await db.deleteFrom('bid_endorsement').where('bid_id', '=', bidId).where('setting_id', '=', ids.orchard).execute();
		await endorseBid(db, actors.headOrchard, { bidId, settingId: ids.orchard, submissionNo, decision: 'endorse', reason: '' });
		const after = await bidDetail(db, actors.officer, bidId);
		expect(after.bid.status).toBe('review');
		const notified = await db.selectFrom('notification').select('user_id').where('kind', '=', 'bid.review').execute();
		expect(notified.map((n) => n.user_id)).toEqual(expect.arrayContaining([ids.officer, ids.officer2]));
	});

	it('returned bids go back to draft; earlier endorsements lapse and endorsers see what changed', async () => {
		const bidId = await readyBid(roundId, 400_000);
		await toReview(bidId);
		let detail = await bidDetail(db, actors.officer, bidId);
		await expectRefusal(decideBid(db, actors.headMeadow, { bidId, version: detail.bid.version, decision: 'return', reason: 'x' }), 'FORBIDDEN');
		await decideBid(db, actors.officer, { bidId, version: detail.bid.version, decision: 'return', reason: 'Add a second milestone' });
		detail = await bidDetail(db, actors.sencoMeadow, bidId);
		expect(detail.bid).toMatchObject({ status: 'draft', officer_points: 'Add a second milestone' });
		// The bid page and the round's list say "Returned for changes", never "Draft" beside "submitted".
		expect(bidStatusLabel(detail.bid.status, detail.bid.submission_no)).toBe('Returned for changes');
		const listed = (await roundDetail(db, actors.sencoMeadow, roundId)).bids.find((b) => b.id === bidId);
		expect(listed && bidStatusLabel(listed.status, listed.submission_no)).toBe('Returned for changes');
		await saveSection(db, actors.sencoMeadow, {
			bidId,
			section: 'milestones',
			version: detail.bid.section_versions.milestones ?? 0,
			content: { milestones: [{ title: 'Therapist in post', dueOn: inDays(60) }, { title: 'First review', dueOn: inDays(120) }] }
		});
		detail = await bidDetail(db, actors.headMeadow, bidId);
		await submitBid(db, actors.headMeadow, { bidId, version: detail.bid.version });
		const forOrchard = await bidDetail(db, actors.headOrchard, bidId);
		expect(forOrchard.bid.submission_no).toBe(2);
		expect(forOrchard.endorsements.current).toHaveLength(0);
		expect(forOrchard.endorsements.lapsed.map((e) => e.setting_name)).toEqual(expect.arrayContaining(['Orchard Fields Primary', 'Willow Bank Primary']));
		expect(forOrchard.changesSinceEndorsed).toHaveLength(1);
		expect(forOrchard.changesSinceEndorsed[0].changes.map((c) => c.section)).toEqual(['milestones']);
		expect(forOrchard.changesSinceEndorsed[0].changes[0].after.join(' ')).toMatch(/First review/);
	});

	it('an officer approves part of a bid with conditions; the round figures follow; the decision is recorded with who and why', async () => {
		const bidId = await readyBid(roundId, 600_000);
		await toReview(bidId);
		const { version } = (await bidDetail(db, actors.officer, bidId)).bid;
		await expectRefusal(
			decideBid(db, actors.officer, { bidId, version, decision: 'approve', amountPence: 600_001, conditions: '', reason: 'Good' }),
			'BAD_REQUEST',
			/more than the bid requests/
		);
		await decideBid(db, actors.officer, { bidId, version, decision: 'approve', amountPence: 450_000, conditions: 'Termly reports', reason: 'Strong IM4 case' });
		const detail = await bidDetail(db, actors.sencoMeadow, bidId);
		expect(detail.bid).toMatchObject({ status: 'approved', approved_pence: 450_000, conditions: 'Termly reports' });
		const round = await roundDetail(db, actors.officer, roundId);
		expect(round.round.approved_pence).toBeGreaterThanOrEqual(450_000);
		expect(round.round.remaining_pence).toBe(round.round.pot_pence - round.round.approved_pence);
		const audit = await db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'bid').where('subject_id', '=', bidId).where('action', '=', 'bid.approved').executeTakeFirstOrThrow();
		expect(audit).toMatchObject({ actor_id: ids.officer, reason: 'Strong IM4 case' });
		// Funded, milestone updates by writers only, then closed.
		await moveBid(db, actors.officer, { bidId, version: detail.bid.version, reason: 'Paid' }, 'fund');
		const funded = await bidDetail(db, actors.sencoMeadow, bidId);
		await expectRefusal(
			updateMilestone(db, actors.headOrchard, { bidId, milestoneId: funded.milestones[0].id, progress: 'on_track', note: 'x' }),
			'FORBIDDEN'
		);
		await updateMilestone(db, actors.sencoMeadow, { bidId, milestoneId: funded.milestones[0].id, progress: 'done', note: 'Started in May' });
		const later = await bidDetail(db, actors.officer, bidId);
		await moveBid(db, actors.officer, { bidId, version: later.bid.version, reason: 'Evaluated' }, 'close');
		expect((await bidDetail(db, actors.officer, bidId)).bid.status).toBe('closed');
	});

	it('two officers approving at the same moment can never commit more than the pot', async () => {
		const raceRound = await openRound(db, actors.officer, roundInput({ name: 'Race round', potPence: 1_000_000, maxRequestPence: 1_000_000 }));
		const first = await readyBid(raceRound, 700_000);
		const second = await readyBid(raceRound, 700_000);
		await toReview(first);
		await toReview(second);
		const v1 = (await bidDetail(db, actors.officer, first)).bid.version;
		const v2 = (await bidDetail(db, actors.officer, second)).bid.version;
		const results = await Promise.allSettled([
			decideBid(db, actors.officer, { bidId: first, version: v1, decision: 'approve', amountPence: 700_000, conditions: '', reason: 'Race A' }),
			decideBid(db, actors.officer2, { bidId: second, version: v2, decision: 'approve', amountPence: 700_000, conditions: '', reason: 'Race B' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
		expect((refused.reason as DomainError).code).toBe('CONFLICT');
		expect((refused.reason as DomainError).message).toMatch(/over its pot/);
		const round = await db.selectFrom('funding_round').select(['pot_pence', 'approved_pence']).where('id', '=', raceRound).executeTakeFirstOrThrow();
		expect(round.approved_pence).toBe(700_000);
		const approved = await db.selectFrom('bid').select('id').where('round_id', '=', raceRound).where('status', '=', 'approved').execute();
		expect(approved).toHaveLength(1);
	});

	it('the database itself refuses an approval total beyond the pot', async () => {
		const round = await openRound(db, actors.officer, roundInput({ name: 'Constraint round', potPence: 100_000, maxRequestPence: 100_000 }));
		await expect(db.updateTable('funding_round').set({ approved_pence: 100_001 }).where('id', '=', round).execute()).rejects.toThrow(/funding_round_within_pot/);
	});

	it('the lead headteacher can withdraw before a decision, not after', async () => {
		const bidId = await readyBid(roundId, 100_000);
		const detail = await bidDetail(db, actors.headMeadow, bidId);
		await expectRefusal(moveBid(db, actors.sencoMeadow, { bidId, version: detail.bid.version, reason: 'x' }, 'withdraw'), 'FORBIDDEN');
		await moveBid(db, actors.headMeadow, { bidId, version: detail.bid.version, reason: 'Funded elsewhere' }, 'withdraw');
		const after = await bidDetail(db, actors.headMeadow, bidId);
		expect(after.bid.status).toBe('withdrawn');
		await expectRefusal(moveBid(db, actors.headMeadow, { bidId, version: after.bid.version, reason: 'again' }, 'withdraw'), 'BAD_REQUEST');
	});

	it('only officers close rounds and move approved bids on; only the lead removes partners', async () => {
		const round = await openRound(db, actors.officer, roundInput({ name: 'Steps round' }));
		const bidId = await createBid(db, actors.sencoMeadow, { roundId: round, leadSettingId: ids.meadow, title: 'Steps' });
		await addPartner(db, actors.sencoMeadow, { bidId, settingId: ids.castle });
		await expectRefusal(removePartner(db, actors.sencoCastle, { bidId, settingId: ids.castle }), 'FORBIDDEN');
		await removePartner(db, actors.headMeadow, { bidId, settingId: ids.castle });
		expect(await db.selectFrom('bid_partner').select('setting_id').where('bid_id', '=', bidId).execute()).toEqual([]);
		const detail = await bidDetail(db, actors.sencoMeadow, bidId);
		await expectRefusal(moveBid(db, actors.headMeadow, { bidId, version: detail.bid.version, reason: '' }, 'fund'), 'FORBIDDEN');
		await expectRefusal(moveBid(db, actors.officer, { bidId, version: detail.bid.version, reason: '' }, 'fund'), 'BAD_REQUEST', /cannot be marked as funded/);
		const { version } = await db.selectFrom('funding_round').select('version').where('id', '=', round).executeTakeFirstOrThrow();
		await expectRefusal(closeRound(db, actors.headMeadow, { roundId: round, version, reason: 'x' }), 'FORBIDDEN');
		await closeRound(db, actors.officer, { roundId: round, version, reason: 'Deadline passed' });
		expect((await roundDetail(db, actors.officer, round)).round.status).toBe('closed');
	});

	it('acting on a closed round is refused', async () => {
		const closing = await openRound(db, actors.officer, roundInput({ name: 'Closing round' }));
		const bidId = await createBid(db, actors.sencoMeadow, { roundId: closing, leadSettingId: ids.meadow, title: 'Late' });
		await db.updateTable('funding_round').set({ status: 'closed' }).where('id', '=', closing).execute();
		await expectRefusal(createBid(db, actors.sencoMeadow, { roundId: closing, leadSettingId: ids.meadow, title: 'Later' }), 'BAD_REQUEST', /not open/);
		await expectRefusal(
			saveSection(db, actors.sencoMeadow, { bidId, section: 'evaluation', version: 0, content: { evaluation: 'x' } }),
			'BAD_REQUEST',
			/round is closed/
		);
	});
});

describe('endorsement when no other setting can endorse', () => {
	it('a bid whose settings are the whole cluster goes straight to officers, and the record says why', async () => {
		const small = await db.insertInto('cluster').values({ kind: 'locality', name: 'Deddington', parent_id: ids.district }).returning('id').executeTakeFirstOrThrow();
		await setting('dedA', 'Deddington Church School', small.id);
		await setting('dedB', 'Hempton Primary', small.id);
		await person('headDedA', 'Dee Head', { setting: ids.dedA, role: 'headteacher' });
		await person('sencoDedA', 'Dan Senco', { setting: ids.dedA, role: 'senco' });
		await person('headDedB', 'Bea Head', { setting: ids.dedB, role: 'headteacher' });
		const [headA, sencoA, headB] = await Promise.all(['headDedA', 'sencoDedA', 'headDedB'].map(async (k) => (await loadActor(db, ids[k]))!));
		const roundId = await openRound(db, actors.officer, roundInput({ clusterId: small.id, name: 'Deddington fund', endorsementRule: 'majority', endorsementValue: 0 }));
		const round = await roundDetail(db, actors.officer, roundId);
		expect(round.round.endorsement_words).toMatch(/^No other settings in this cluster can endorse, so a submitted bid goes straight to council officers/);
		expect(round.round.endorsement_words).not.toMatch(/of 0/);

		const bidId = await createBid(db, sencoA, { roundId, leadSettingId: ids.dedA, title: 'Village nurture group' });
		await addPartner(db, sencoA, { bidId, settingId: ids.dedB });
		const save = async (who: Actor, section: string, content: unknown) =>
			saveSection(db, who, {
				bidId,
				section,
				version: (await bidDetail(db, who, bidId)).bid.section_versions[section as 'overview'] ?? 0,
				content
			} as Parameters<typeof saveSection>[2]);
		await save(sencoA, 'overview', { title: 'Village nurture group', summary: 'A nurture group for both schools.' });
		await save(sencoA, 'need', { needs: ['semh'], phases: ['primary'], cohortSize: 12 });
		await save(sencoA, 'measures', { measures: [{ measure: 'IM4', outcome: 'Fewer exclusions' }] });
		await save(sencoA, 'budget', { lines: [{ item: 'Nurture lead', category: 'staffing', costPence: 400_000 }] });
		await save(headB, 'pledges', { pledges: [{ settingId: ids.dedB, moneyPence: 0, staffHours: 10, staffDescription: 'TA time' }] });
		await save(sencoA, 'milestones', { milestones: [{ title: 'Group running', dueOn: inDays(60) }] });
		await save(sencoA, 'evaluation', { evaluation: 'Boxall profiles.' });
		const pv = (await bidDetail(db, headA, bidId)).bid.section_versions.pledges ?? 0;
		await confirmPledge(db, headA, { bidId, settingId: ids.dedA, sectionVersion: pv });
		await confirmPledge(db, headB, { bidId, settingId: ids.dedB, sectionVersion: pv });
		await submitBid(db, headA, { bidId, version: (await bidDetail(db, headA, bidId)).bid.version });

		const detail = await bidDetail(db, actors.officer, bidId);
		expect(detail.bid.status).toBe('review');
		expect(detail.endorsements).toMatchObject({ needed: 0, settingCount: 0 });
		expect(detail.endorsements.needWords).toMatch(/^No other settings in this cluster can endorse/);
		const record = await db
			.selectFrom('audit_log')
			.select(['action', 'detail'])
			.where('subject_type', '=', 'bid')
			.where('subject_id', '=', bidId)
			.where('action', '=', 'bid.endorsement_complete')
			.executeTakeFirstOrThrow();
		expect(record.detail).toMatchObject({ noOtherSettings: true, endorsing: 0 });
		const feed = await db.selectFrom('activity').select('summary').where('cluster_id', '=', small.id).execute();
		expect(feed.map((f) => f.summary)).toEqual(expect.arrayContaining([expect.stringMatching(/No other settings in the cluster could endorse/)]));
		// Nobody in the bid was asked to endorse it.
		const asked = await db.selectFrom('notification').select('user_id').where('kind', '=', 'bid.endorse').where('link', '=', `/bids/${bidId}`).execute();
		expect(asked).toEqual([]);
	});
});
