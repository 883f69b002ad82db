import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import {
	addPartner,
	confirmPledge,
	createBid,
	decideBid,
	endorseBid,
	moveBid,
	openRound,
	saveSection,
	submitBid,
	updateMilestone
} from '../../src/lib/server/bids/commands';
import { bidDetail } from '../../src/lib/server/bids/queries';
import { todoFor } from '../../src/lib/server/todo';

// The home page's to-do list is worked out from the state of the work: each item appears for the
// people who can do it, and goes the moment it is done (whatever notifications say).

let test: TestDatabase;
let db: Database;
const ids = {} as Record<string, number>;
const actors = {} as Record<string, Actor>;

async function person(key: string, roles: { setting?: number; role?: 'headteacher' | 'senco'; county?: 'officer' }) {
	const { id } = await db
		.insertInto('app_user')
		.values({ email: `${key}@todo.test`, name: key, county_role: roles.county ?? null })
		.returning('id')
		.executeTakeFirstOrThrow();
	if (roles.setting && roles.role) await db.insertInto('setting_membership').values({ user_id: id, setting_id: roles.setting, role: roles.role }).execute();
	ids[key] = id;
}

async function setting(key: string, name: string, clusterId: number) {
	const { id } = await db
		.insertInto('setting')
		.values({ urn: `7${Object.keys(ids).length}${Math.floor(Math.random() * 1e5)}`, name, phase: 'primary', setting_type: 'academy', town: 'Banbury', pupil_count: 200, cluster_id: clusterId })
		.returning('id')
		.executeTakeFirstOrThrow();
	ids[key] = id;
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** Each provider's item keys for this person. */
async function todo(who: string): Promise<Record<string, string[]>> {
	const groups = await todoFor(db, actors[who]);
	return Object.fromEntries(groups.map((group) => [group.provider, group.items.map((item) => item.key)]));
}

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	const district = await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow();
	const banbury = await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: district.id }).returning('id').executeTakeFirstOrThrow();
	const bicester = await db.insertInto('cluster').values({ kind: 'locality', name: 'Bicester', parent_id: district.id }).returning('id').executeTakeFirstOrThrow();
	ids.banbury = banbury.id;
	await setting('meadow', 'Meadowside Primary', banbury.id);
	await setting('castle', 'Castlebrook Academy', banbury.id);
	await setting('orchard', 'Orchard Fields Primary', banbury.id);
	await setting('elsewhere', 'Bicester Brook Primary', bicester.id);
	await person('officer', { county: 'officer' });
	await person('headMeadow', { setting: ids.meadow, role: 'headteacher' });
	await person('sencoMeadow', { setting: ids.meadow, role: 'senco' });
	await person('headCastle', { setting: ids.castle, role: 'headteacher' });
	await person('sencoCastle', { setting: ids.castle, role: 'senco' });
	await person('headOrchard', { setting: ids.orchard, role: 'headteacher' });
	await person('outsider', { setting: ids.elsewhere, role: 'headteacher' });
	for (const key of Object.keys(ids).filter((key) => !['banbury', 'meadow', 'castle', 'orchard', 'elsewhere'].includes(key))) {
		actors[key] = (await loadActor(db, ids[key]))!;
	}
});

afterAll(async () => {
	await test?.close();
});

/** Writes every section of a bid led by Meadowside with Castlebrook as partner. */
async function writeBid(roundId: number, title: string, milestoneDue = inDays(60)): Promise<number> {
	const bidId = await createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.meadow, title });
	await addPartner(db, actors.sencoMeadow, { bidId, settingId: ids.castle });
	const save = (section: string, content: unknown, writer = actors.sencoMeadow) =>
		bidDetail(db, writer, bidId).then((d) =>
			saveSection(db, writer, { bidId, section, version: d.bid.section_versions[section as 'overview'] ?? 0, content } as Parameters<typeof saveSection>[2])
		);
	await save('overview', { title, summary: 'One therapist across three settings.' });
	await save('need', { needs: ['communication_interaction'], phases: ['primary'], cohortSize: 40 });
	await save('measures', { measures: [{ measure: 'IM4', outcome: 'Needs identified a term earlier' }] });
	await save('budget', { lines: [{ item: 'Therapist, 0.6 FTE', category: 'staffing', costPence: 1_200_000 }] });
	// Each setting writes its own pledge.
	const meadowPledge = { settingId: ids.meadow, moneyPence: 100_000, staffHours: 0, staffDescription: '' };
	await save('pledges', { pledges: [meadowPledge] });
	await save('pledges', { pledges: [meadowPledge, { settingId: ids.castle, moneyPence: 100_000, staffHours: 20, staffDescription: 'SENCO time' }] }, actors.sencoCastle);
	await save('milestones', { milestones: [{ title: 'Therapist in post', dueOn: milestoneDue }] });
	await save('evaluation', { evaluation: 'WellComm scores each term.' });
	return bidId;
}

const pledgeVersion = async (bidId: number) => (await bidDetail(db, actors.headMeadow, bidId)).bid.section_versions.pledges ?? 0;

async function submitAndEndorse(bidId: number) {
	for (const [who, settingId] of [['headMeadow', ids.meadow], ['headCastle', ids.castle]] as const) {
		await confirmPledge(db, actors[who], { bidId, settingId, sectionVersion: await pledgeVersion(bidId) });
	}
	await submitBid(db, actors.headMeadow, { bidId, version: (await bidDetail(db, actors.headMeadow, bidId)).bid.version });
	const submissionNo = (await bidDetail(db, actors.headMeadow, bidId)).bid.submission_no;
	await endorseBid(db, actors.headOrchard, { bidId, settingId: ids.orchard, submissionNo, decision: 'endorse', reason: '' });
}

describe('the to-do list, per role, both ways', () => {
	let roundId = 0;
	let bidId = 0;

	it('staff of a setting see an open round to bid in, until their setting has a bid in it', async () => {
		roundId = await openRound(db, actors.officer, {
			clusterId: ids.banbury,
			name: 'Spring pooled fund',
			potPence: 5_000_000,
			maxRequestPence: 3_000_000,
			opensOn: new Date().toISOString().slice(0, 10),
			closesOn: inDays(30),
			guidance: '',
			endorsementRule: 'count',
			endorsementValue: 1
		});
		expect((await todo('sencoMeadow'))['bids.openRound']).toEqual([`bid.openRound:${roundId}:${ids.meadow}`]);
		expect((await todo('outsider'))['bids.openRound']).toBeUndefined(); // another locality's round

		bidId = await writeBid(roundId, 'Shared speech and language therapist');
		expect((await todo('sencoMeadow'))['bids.openRound']).toBeUndefined();
		expect((await todo('headCastle'))['bids.openRound']).toBeUndefined(); // a partner in a bid there
		expect((await todo('headOrchard'))['bids.openRound']).toEqual([`bid.openRound:${roundId}:${ids.orchard}`]);
	});

	it("the lead's and partner's staff see the draft with the round's closing date, until it is submitted", async () => {
		const groups = await todoFor(db, actors.sencoCastle);
		const draft = groups.find((group) => group.provider === 'bids.finishDraft')!;
		expect(draft.items).toEqual([expect.objectContaining({ key: `bid.finishDraft:${bidId}`, link: `/bids/${bidId}`, detail: expect.stringMatching(/closes on/) })]);
		for (const who of ['sencoMeadow', 'headMeadow']) expect((await todo(who))['bids.finishDraft']).toEqual([`bid.finishDraft:${bidId}`]);
		for (const who of ['headOrchard', 'outsider', 'officer']) expect((await todo(who))['bids.finishDraft']).toBeUndefined();
	});

	it('a headteacher sees their setting’s unconfirmed pledge until they confirm it; a SENCO does not', async () => {
		expect((await todo('headCastle'))['bids.confirmPledge']).toEqual([`bid.confirmPledge:${bidId}:${ids.castle}`]);
		expect((await todo('headMeadow'))['bids.confirmPledge']).toEqual([`bid.confirmPledge:${bidId}:${ids.meadow}`]);
		expect((await todo('sencoCastle'))['bids.confirmPledge']).toBeUndefined();
		expect((await todo('headOrchard'))['bids.confirmPledge']).toBeUndefined();

		await confirmPledge(db, actors.headCastle, { bidId, settingId: ids.castle, sectionVersion: await pledgeVersion(bidId) });
		expect((await todo('headCastle'))['bids.confirmPledge']).toBeUndefined();
		expect((await todo('headMeadow'))['bids.confirmPledge']).toEqual([`bid.confirmPledge:${bidId}:${ids.meadow}`]);
		await confirmPledge(db, actors.headMeadow, { bidId, settingId: ids.meadow, sectionVersion: await pledgeVersion(bidId) });
		expect((await todo('headMeadow'))['bids.confirmPledge']).toBeUndefined();
	});

	it('headteachers of cluster settings outside the bid see it to endorse, until they have endorsed this submission', async () => {
		await submitBid(db, actors.headMeadow, { bidId, version: (await bidDetail(db, actors.headMeadow, bidId)).bid.version });
		for (const who of ['sencoMeadow', 'headMeadow', 'sencoCastle']) expect((await todo(who))['bids.finishDraft']).toBeUndefined();

		expect((await todo('headOrchard'))['bids.endorse']).toEqual([`bid.endorse:${bidId}:${ids.orchard}`]);
		// The bid's own settings, other localities and SENCOs are not asked.
		for (const who of ['headMeadow', 'headCastle', 'sencoCastle', 'outsider', 'officer']) expect((await todo(who))['bids.endorse']).toBeUndefined();

		const submissionNo = (await bidDetail(db, actors.headMeadow, bidId)).bid.submission_no;
		await endorseBid(db, actors.headOrchard, { bidId, settingId: ids.orchard, submissionNo, decision: 'endorse', reason: '' });
		expect((await todo('headOrchard'))['bids.endorse']).toBeUndefined();
	});

	it('officers see the county-wide queue of decisions, oldest first and counted beyond the limit, until decided', async () => {
		const second = await writeBid(roundId, 'Nurture group', inDays(7));
		await submitAndEndorse(second);
		const queue = (await todoFor(db, actors.officer, 1)).find((group) => group.provider === 'bids.decide')!;
		expect(queue.total).toBe(2);
		expect(queue.items.map((item) => item.key)).toEqual([`bid.decide:${bidId}`]);
		expect((await todo('officer'))['bids.decide']).toEqual([`bid.decide:${bidId}`, `bid.decide:${second}`]);
		for (const who of ['headMeadow', 'headOrchard', 'sencoMeadow']) expect((await todo(who))['bids.decide']).toBeUndefined();

		await decideBid(db, actors.officer, { bidId, version: (await bidDetail(db, actors.officer, bidId)).bid.version, decision: 'decline', reason: 'Outside the round’s aims' });
		expect((await todo('officer'))['bids.decide']).toEqual([`bid.decide:${second}`]);
		await decideBid(db, actors.officer, {
			bidId: second,
			version: (await bidDetail(db, actors.officer, second)).bid.version,
			decision: 'approve',
			amountPence: 500_000,
			conditions: '',
			reason: 'Meets IM4'
		});
		expect((await todo('officer'))['bids.decide']).toBeUndefined();

		// Funded with a milestone due within two weeks: its settings' staff are asked for an update.
		await moveBid(db, actors.officer, { bidId: second, version: (await bidDetail(db, actors.officer, second)).bid.version, reason: 'Paid' }, 'fund');
		for (const who of ['sencoMeadow', 'headCastle']) expect((await todo(who))['bids.milestones']).toEqual([`bid.milestones:${second}`]);
		for (const who of ['headOrchard', 'officer']) expect((await todo(who))['bids.milestones']).toBeUndefined();
		const milestone = (await bidDetail(db, actors.sencoMeadow, second)).milestones[0];
		await updateMilestone(db, actors.sencoMeadow, { bidId: second, milestoneId: milestone.id, progress: 'done', note: 'Group started' });
		for (const who of ['sencoMeadow', 'headCastle']) expect((await todo(who))['bids.milestones']).toBeUndefined();
	});
});
