import { describe, expect, it } from 'vitest';
import { type Actor, loadActor } from '../../src/lib/server/auth/actor';
import { addPartner, confirmPledge, createBid, decideBid, endorseBid, moveBid, openRound, removePartner, saveSection, submitBid, updateMilestone } from '../../src/lib/server/bids/commands';
import { bidDetail } from '../../src/lib/server/bids/queries';
import { moveSetting } from '../../src/lib/server/clusters';
import { actors, db, expectRefusal, ids, inDays, person, roundInput, setting, useBidsCounty } from './bids-fixture';

// A setting moved to another cluster loses every write on its old cluster's bids.
useBidsCounty();

describe('a setting moved to another cluster loses every write on its old cluster’s bids', () => {
	/**
	 * A fresh locality per command: lead, partner and two other settings, each with a headteacher
	 * and a SENCO, a round, and a bid at the stage the command needs. Then `mover`'s setting moves
	 * to Bicester and the command, asked by that setting's person (loaded afresh, as each request
	 * does), must be refused with nothing written.
	 */
	let n = 0;
	async function locality(stage: 'draft' | 'ready' | 'endorsement' | 'funded') {
		n += 1;
		const place = await db.insertInto('cluster').values({ kind: 'locality', name: `Moveton ${n}`, parent_id: ids.district }).returning('id').executeTakeFirstOrThrow();
		const k = (name: string) => `m${n}${name}`;
		for (const name of ['lead', 'partner', 'other', 'other2']) {
			await setting(k(name), `Moveton ${n} ${name} school`, place.id);
			await person(k(`${name}Head`), `Head of ${name} ${n}`, { setting: ids[k(name)], role: 'headteacher' });
			await person(k(`${name}Senco`), `SENCO of ${name} ${n}`, { setting: ids[k(name)], role: 'senco' });
		}
		const who = async (key: string) => (await loadActor(db, ids[k(key)]))!;
		const roundId = await openRound(db, actors.officer, roundInput({ clusterId: place.id, name: `Moveton ${n} fund`, endorsementRule: 'count', endorsementValue: 1 }));
		const leadSenco = await who('leadSenco');
		const bidId = await createBid(db, leadSenco, { roundId, leadSettingId: ids[k('lead')], title: 'Moving bid' });
		await addPartner(db, leadSenco, { bidId, settingId: ids[k('partner')] });
		if (stage !== 'draft') {
			const save = async (actor: Actor, section: string, content: unknown) =>
				saveSection(db, actor, { bidId, section, version: (await bidDetail(db, actor, bidId)).bid.section_versions[section as 'overview'] ?? 0, content } as Parameters<typeof saveSection>[2]);
			await save(leadSenco, 'overview', { title: 'Moving bid', summary: 'Shared outreach.' });
			await save(leadSenco, 'need', { needs: ['semh'], phases: ['primary'], cohortSize: 10 });
			await save(leadSenco, 'measures', { measures: [{ measure: 'IM4', outcome: 'Earlier help' }] });
			await save(leadSenco, 'budget', { lines: [{ item: 'Outreach', category: 'staffing', costPence: 300_000 }] });
			await save(leadSenco, 'milestones', { milestones: [{ title: 'Started', dueOn: inDays(40) }] });
			await save(leadSenco, 'evaluation', { evaluation: 'Termly review.' });
			const pv = (await bidDetail(db, leadSenco, bidId)).bid.section_versions.pledges ?? 0;
			await confirmPledge(db, await who('leadHead'), { bidId, settingId: ids[k('lead')], sectionVersion: pv });
			await confirmPledge(db, await who('partnerHead'), { bidId, settingId: ids[k('partner')], sectionVersion: pv });
		}
		if (stage === 'endorsement' || stage === 'funded') {
			await submitBid(db, await who('leadHead'), { bidId, version: (await bidDetail(db, leadSenco, bidId)).bid.version });
		}
		if (stage === 'funded') {
			await endorseBid(db, await who('other2Head'), { bidId, settingId: ids[k('other2')], submissionNo: 1, decision: 'endorse', reason: '' });
			let v = (await bidDetail(db, actors.officer, bidId)).bid.version;
			await decideBid(db, actors.officer, { bidId, version: v, decision: 'approve', amountPence: 300_000, conditions: '', reason: 'Yes' });
			v = (await bidDetail(db, actors.officer, bidId)).bid.version;
			await moveBid(db, actors.officer, { bidId, version: v, reason: 'Paid' }, 'fund');
		}
		return {
			roundId,
			bidId,
			ids: (name: string) => ids[k(name)],
			/** Moves the setting to Bicester (as an officer does in county set-up) and loads its person afresh. */
			async moveAndLoad(settingName: string, personKey: string) {
				const row = await db.selectFrom('setting').select('version').where('id', '=', ids[k(settingName)]).executeTakeFirstOrThrow();
				await moveSetting(db, actors.officer, { settingId: ids[k(settingName)], toClusterId: ids.bicester, version: row.version, reason: 'Boundary change' });
				return who(personKey);
			}
		};
	}

	/** `work` starts only after the counts are taken, so its refusal is never left unhandled meanwhile. */
	async function expectNothingWritten(bidId: number, work: () => Promise<unknown>) {
		const before = await db.selectFrom('bid').select(['version', 'status']).where('id', '=', bidId).executeTakeFirstOrThrow();
		const audits = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		const error = await expectRefusal(work(), 'FORBIDDEN');
		expect(error.message).toMatch(/open to its members|not in the Moveton|headteacher or SENCO of/);
		expect(await db.selectFrom('bid').select(['version', 'status']).where('id', '=', bidId).executeTakeFirstOrThrow()).toEqual(before);
		expect(await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual(audits);
	}

	it('viewing is refused after the move, as before', async () => {
		const place = await locality('draft');
		const moved = await place.moveAndLoad('partner', 'partnerSenco');
		await expectRefusal(bidDetail(db, moved, place.bidId), 'FORBIDDEN', /open to its members/);
	});

	it.each(['overview', 'need', 'measures', 'budget', 'pledges', 'milestones', 'evaluation'] as const)('saving the %s section', async (section) => {
		const place = await locality('draft');
		const version = (await bidDetail(db, actors.officer, place.bidId)).bid.section_versions[section] ?? 0;
		const moved = await place.moveAndLoad('partner', 'partnerSenco');
		const content = {
			overview: { title: 'Taken', summary: 'x' },
			need: { needs: ['semh'], phases: ['primary'], cohortSize: 1 },
			measures: { measures: [{ measure: 'IM4', outcome: 'x' }] },
			budget: { lines: [{ item: 'x', category: 'staffing', costPence: 1 }] },
			pledges: { pledges: [{ settingId: place.ids('partner'), moneyPence: 1, staffHours: 0, staffDescription: '' }] },
			milestones: { milestones: [{ title: 'x', dueOn: inDays(30) }] },
			evaluation: { evaluation: 'x' }
		}[section];
		await expectNothingWritten(place.bidId, () => saveSection(db, moved, { bidId: place.bidId, section, version, content } as Parameters<typeof saveSection>[2]));
	});

	it('starting a bid for the moved setting in its old cluster’s round', async () => {
		const place = await locality('draft');
		const moved = await place.moveAndLoad('other', 'otherSenco');
		await expectRefusal(createBid(db, moved, { roundId: place.roundId, leadSettingId: place.ids('other'), title: 'Late' }), 'FORBIDDEN', /not in the Moveton/);
	});

	it('adding or removing partners (the lead setting moved)', async () => {
		const place = await locality('draft');
		const moved = await place.moveAndLoad('lead', 'leadSenco');
		await expectNothingWritten(place.bidId, () => addPartner(db, moved, { bidId: place.bidId, settingId: place.ids('other') }));
		await expectNothingWritten(place.bidId, () => removePartner(db, moved, { bidId: place.bidId, settingId: place.ids('partner') }));
	});

	it('confirming the moved setting’s pledge', async () => {
		const place = await locality('draft');
		const v = (await bidDetail(db, actors.officer, place.bidId)).bid.section_versions.pledges ?? 0;
		const moved = await place.moveAndLoad('partner', 'partnerHead');
		await expectNothingWritten(place.bidId, () => confirmPledge(db, moved, { bidId: place.bidId, settingId: place.ids('partner'), sectionVersion: v }));
	});

	it('signing off and submitting, and withdrawing (the lead setting moved)', async () => {
		const place = await locality('ready');
		const version = (await bidDetail(db, actors.officer, place.bidId)).bid.version;
		const moved = await place.moveAndLoad('lead', 'leadHead');
		await expectNothingWritten(place.bidId, () => submitBid(db, moved, { bidId: place.bidId, version }));
		await expectNothingWritten(place.bidId, () => moveBid(db, moved, { bidId: place.bidId, version, reason: 'Moved away' }, 'withdraw'));
	});

	it('endorsing or objecting for a setting that moved away', async () => {
		const place = await locality('endorsement');
		const moved = await place.moveAndLoad('other', 'otherHead');
		for (const decision of ['endorse', 'object'] as const) {
			await expectNothingWritten(
				place.bidId,
				() => endorseBid(db, moved, { bidId: place.bidId, settingId: place.ids('other'), submissionNo: 1, decision, reason: 'x' })
			);
		}
	});

	it('updating a milestone of a funded bid', async () => {
		const place = await locality('funded');
		const milestone = await db.selectFrom('bid_milestone').select('id').where('bid_id', '=', place.bidId).executeTakeFirstOrThrow();
		const moved = await place.moveAndLoad('partner', 'partnerSenco');
		await expectNothingWritten(
			place.bidId,
			() => updateMilestone(db, moved, { bidId: place.bidId, milestoneId: milestone.id, progress: 'done', note: 'Done' })
		);
	});
});
