import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { DomainError } from '../../src/lib/server/errors';
import { ukToday } from '../../src/lib/dates';
import { bidStatusLabel } from '../../src/lib/bids/model';
import { snapshotHash } from '../../src/lib/document';
import {
	addPartner,
	closeRound,
	confirmPledge,
	createBid,
	decideBid,
	endorseBid,
	moveBid,
	openRound,
	removePartner,
	saveSection,
	submitBid,
	updateMilestone
} from '../../src/lib/server/bids/commands';
import { bidDetail, roundDetail } from '../../src/lib/server/bids/queries';
import { appRouter } from '../../src/lib/server/trpc/router';
import { moveSetting, setLeadRounds } from '../../src/lib/server/clusters';
import { grantRole } from '../../src/lib/server/people';

let test: TestDatabase;
let db: Database;
const ids = {} as Record<string, number>;
const actors = {} as Record<string, Actor>;

async function expectRefusal(work: Promise<unknown>, code: DomainError['code'], text?: RegExp) {
	const error = await work.then(
		() => null,
		(e: unknown) => e
	);
	expect(error, 'expected the action to be refused').toBeInstanceOf(DomainError);
	expect((error as DomainError).code).toBe(code);
	if (text) expect((error as DomainError).message).toMatch(text);
	return error as DomainError;
}

async function person(key: string, name: string, roles: { setting?: number; role?: 'headteacher' | 'senco'; county?: 'officer'; cluster?: number; clusterRole?: 'pcf_rep' | 'cluster_lead' }) {
	const { id } = await db
		.insertInto('app_user')
		.values({ email: `${key}@bids.test`, name, county_role: roles.county ?? null })
		.returning('id')
		.executeTakeFirstOrThrow();
	if (roles.setting && roles.role) await db.insertInto('setting_membership').values({ user_id: id, setting_id: roles.setting, role: roles.role }).execute();
	if (roles.cluster && roles.clusterRole) await db.insertInto('cluster_role').values({ user_id: id, cluster_id: roles.cluster, role: roles.clusterRole }).execute();
	ids[key] = id;
}

async function setting(key: string, name: string, clusterId: number) {
	const { id } = await db
		.insertInto('setting')
		.values({ urn: `8${Object.keys(ids).length}${Math.floor(Math.random() * 1e5)}`, name, phase: 'primary', setting_type: 'academy', town: 'Banbury', pupil_count: 200, cluster_id: clusterId })
		.returning('id')
		.executeTakeFirstOrThrow();
	ids[key] = id;
}

// UK dates, as the portal's date rules count them (UTC would be a day behind for an hour in summer).
const today = () => ukToday();
const inDays = (n: number) => new Date(Date.parse(`${ukToday()}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	const district = await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow();
	const banbury = await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: district.id }).returning('id').executeTakeFirstOrThrow();
	const bicester = await db.insertInto('cluster').values({ kind: 'locality', name: 'Bicester', parent_id: district.id }).returning('id').executeTakeFirstOrThrow();
	ids.district = district.id;
	ids.banbury = banbury.id;
	ids.bicester = bicester.id;
	await setting('meadow', 'Meadowside Primary', banbury.id);
	await setting('castle', 'Castlebrook Academy', banbury.id);
	await setting('orchard', 'Orchard Fields Primary', banbury.id);
	await setting('willow', 'Willow Bank Primary', banbury.id);
	await setting('elsewhere', 'Bicester Brook Primary', bicester.id);
	await person('officer', 'Olive Officer', { county: 'officer' });
	await person('officer2', 'Oscar Officer', { county: 'officer' });
	await person('headMeadow', 'Helen Head', { setting: ids.meadow, role: 'headteacher' });
	await person('sencoMeadow', 'Sam Senco', { setting: ids.meadow, role: 'senco' });
	await person('headCastle', 'Harry Head', { setting: ids.castle, role: 'headteacher' });
	await person('sencoCastle', 'Sally Senco', { setting: ids.castle, role: 'senco' });
	await person('headOrchard', 'Hana Head', { setting: ids.orchard, role: 'headteacher' });
	await person('headWillow', 'Wendy Head', { setting: ids.willow, role: 'headteacher' });
	await person('outsider', 'Olga Outsider', { setting: ids.elsewhere, role: 'headteacher' });
	await person('pcf', 'Pat Parent', { cluster: district.id, clusterRole: 'pcf_rep' });
	await person('lead', 'Lee Lead', { cluster: banbury.id, clusterRole: 'cluster_lead' });
	for (const key of ['officer', 'officer2', 'headMeadow', 'sencoMeadow', 'headCastle', 'sencoCastle', 'headOrchard', 'headWillow', 'outsider', 'pcf', 'lead']) {
		actors[key] = (await loadActor(db, ids[key]))!;
	}
});

afterAll(async () => {
	await test?.close();
});

const roundInput = (overrides: Partial<Parameters<typeof openRound>[2]> = {}) => ({
	clusterId: ids.banbury,
	name: 'Spring pooled fund',
	potPence: 5_000_000,
	maxRequestPence: 3_000_000,
	opensOn: today(),
	closesOn: inDays(30),
	guidance: 'Bids that move IM3 and IM4 first.',
	endorsementRule: 'count' as const,
	endorsementValue: 2,
	...overrides
});

/** A complete bid from Meadowside with Castlebrook as partner, ready for the lead head to submit. */
async function readyBid(roundId: number, requestPence = 1_000_000): Promise<number> {
	const bidId = await createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.meadow, title: 'Shared speech and language therapist' });
	await addPartner(db, actors.sencoMeadow, { bidId, settingId: ids.castle });
	const save = (section: string, content: unknown) =>
		bidDetail(db, actors.sencoMeadow, bidId).then((d) =>
			saveSection(db, actors.sencoMeadow, {
				bidId,
				section,
				version: d.bid.section_versions[section as 'overview'] ?? 0,
				content
			} as Parameters<typeof saveSection>[2])
		);
	await save('overview', { title: 'Shared speech and language therapist', summary: 'One therapist across three settings.' });
	await save('need', { needs: ['communication_interaction'], phases: ['primary'], cohortSize: 40 });
	await save('measures', { measures: [{ measure: 'IM4', outcome: 'Needs identified a term earlier' }] });
	await save('budget', { lines: [{ item: 'Therapist, 0.6 FTE', category: 'staffing', costPence: requestPence + 200_000 }] });
	// Each setting's own people write its pledge: the lead's SENCO, then the partner's (leaving the lead's row as it is).
	await save('pledges', { pledges: [{ settingId: ids.meadow, moneyPence: 100_000, staffHours: 0, staffDescription: '' }] });
	const pledgesVersion = (await bidDetail(db, actors.sencoCastle, bidId)).bid.section_versions.pledges ?? 0;
	await saveSection(db, actors.sencoCastle, {
		bidId,
		section: 'pledges',
		version: pledgesVersion,
		content: {
			pledges: [
				{ settingId: ids.meadow, moneyPence: 100_000, staffHours: 0, staffDescription: '' },
				{ settingId: ids.castle, moneyPence: 100_000, staffHours: 20, staffDescription: 'SENCO time' }
			]
		}
	});
	await save('milestones', { milestones: [{ title: 'Therapist in post', dueOn: inDays(60) }] });
	await save('evaluation', { evaluation: 'WellComm scores each term.' });
	const pledgeVersion = (await bidDetail(db, actors.headMeadow, bidId)).bid.section_versions.pledges ?? 0;
	await confirmPledge(db, actors.headMeadow, { bidId, settingId: ids.meadow, sectionVersion: pledgeVersion });
	await confirmPledge(db, actors.headCastle, { bidId, settingId: ids.castle, sectionVersion: pledgeVersion });
	return bidId;
}

async function toReview(bidId: number) {
	const detail = await bidDetail(db, actors.headMeadow, bidId);
	await submitBid(db, actors.headMeadow, { bidId, version: detail.bid.version });
	const submissionNo = (await bidDetail(db, actors.headMeadow, bidId)).bid.submission_no;
	await endorseBid(db, actors.headOrchard, { bidId, settingId: ids.orchard, submissionNo, decision: 'endorse', reason: '' });
	await endorseBid(db, actors.headWillow, { bidId, settingId: ids.willow, submissionNo, decision: 'endorse', reason: '' });
}

describe('funding rounds', () => {
	it('an officer opens a round; a SENCO, an outsider and a cluster lead without permission cannot', async () => {
		const roundId = await openRound(db, actors.officer, roundInput());
		expect(roundId).toBeGreaterThan(0);
		const audit = await db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'funding_round').where('subject_id', '=', roundId).execute();
		expect(audit[0]).toMatchObject({ action: 'round.opened', actor_id: ids.officer });
		const before = await db.selectFrom('funding_round').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		for (const who of ['sencoMeadow', 'outsider', 'lead', 'pcf']) {
			await expectRefusal(openRound(db, actors[who], roundInput()), 'FORBIDDEN', /council officers/);
		}
		const after = await db.selectFrom('funding_round').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(Number(after.n)).toBe(Number(before.n));
	});

	it('a cluster lead can open a round once an officer allows it for their cluster, and not after it is withdrawn', async () => {
		const version = async () => (await db.selectFrom('cluster').select('version').where('id', '=', ids.banbury).executeTakeFirstOrThrow()).version;
		await expectRefusal(
			setLeadRounds(db, actors.lead, { clusterId: ids.banbury, allowed: true, version: await version(), reason: 'Let me' }),
			'FORBIDDEN'
		);
		await setLeadRounds(db, actors.officer, { clusterId: ids.banbury, allowed: true, version: await version(), reason: 'Steering group asked' });
		const audit = await db
			.selectFrom('audit_log')
			.selectAll()
			.where('subject_type', '=', 'cluster')
			.where('action', '=', 'cluster.lead_rounds_allowed')
			.executeTakeFirstOrThrow();
		expect(audit).toMatchObject({ actor_id: ids.officer, reason: 'Steering group asked' });
		await expect(openRound(db, actors.lead, roundInput({ name: 'Lead round' }))).resolves.toBeGreaterThan(0);
		await expectRefusal(
			setLeadRounds(db, actors.officer, { clusterId: ids.banbury, allowed: false, version: 1, reason: 'Stale' }),
			'CONFLICT'
		);
		await setLeadRounds(db, actors.officer, { clusterId: ids.banbury, allowed: false, version: await version(), reason: 'Back to officers' });
		await expectRefusal(openRound(db, actors.lead, roundInput({ name: 'Too late' })), 'FORBIDDEN');
	});

	it('round figures are visible to cluster members and refused to other clusters', async () => {
		const roundId = await openRound(db, actors.officer, roundInput({ name: 'Visible round' }));
		const detail = await roundDetail(db, actors.pcf, roundId);
		expect(detail.round).toMatchObject({ pot_pence: 5_000_000, approved_pence: 0, remaining_pence: 5_000_000, requested_pence: 0 });
		await expectRefusal(roundDetail(db, actors.outsider, roundId), 'FORBIDDEN', /Banbury/);
	});
});

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
			await trx.deleteFrom('bid_pledge').where('bid_id', '=', bidId).where('setting_id', '=', ids.castle).execute();
			await trx.deleteFrom('bid_partner').where('bid_id', '=', bidId).where('setting_id', '=', ids.castle).execute();
			save = saveSection(db, actors.sencoCastle, { bidId, section: 'evaluation', version: 0, content: { evaluation: 'Saved after removal' } }).then(
				() => null,
				(e: unknown) => e
			);
			for (let waited = 0; waited < 100; waited++) {
				const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted`.execute(db);
				if (rows[0].n > 0) break;
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

/** A refused call's messages by field, as the API's error formatter gives them. */
const fieldErrorsOf = (cause: unknown): Record<string, string[] | undefined> => (cause instanceof z.ZodError ? z.flattenError(cause).fieldErrors : {});

describe('bids through the API', () => {
	const caller = (actor: Actor | null) => appRouter.createCaller({ db, io: undefined, actor, session: null, event: {} as never });

	it('refuses a stranger, accepts a member, and rejects malformed money field by field', async () => {
		const roundId = await openRound(db, actors.officer, roundInput({ name: 'API round' }));
		await expect(caller(actors.outsider).bids.round({ roundId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(caller(actors.sencoMeadow).bids.round({ roundId })).resolves.toMatchObject({ round: { name: 'API round' } });
		await expect(caller(null).bids.round({ roundId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		for (const potPence of ['-5', 'lots', '1.234', '100000001']) {
			const error = await caller(actors.officer)
				.bids.openRound({ ...roundInput(), potPence })
				.then(() => null, (e: { code: string; cause?: unknown }) => e);
			expect(error?.code, potPence).toBe('BAD_REQUEST');
		}
		const error = await caller(actors.officer)
			.bids.openRound({ ...roundInput(), maxRequestPence: 9_000_000 })
			.then(() => null, (e: Error) => e);
		expect(error?.message).toMatch(/Maximum request cannot be more than the pot/);
	});

	it('refuses round dates that are absurd, past or reversed, naming the field, and opens none', async () => {
		const before = (await caller(actors.officer).bids.rounds({ clusterId: ids.banbury })).length;
		const refused = async (dates: { opensOn?: unknown; closesOn?: unknown }) => {
			const error = await caller(actors.officer)
				.bids.openRound({ ...roundInput({ name: 'Odd dates' }), ...dates } as never)
				.then(() => null, (e: { code: string; cause?: unknown }) => e);
			expect(error?.code, JSON.stringify(dates)).toBe('BAD_REQUEST');
			return fieldErrorsOf(error?.cause);
		};
		expect((await refused({ opensOn: '0000-01-01' })).opensOn?.[0]).toMatch(/^Opening date must be a real date/);
		expect((await refused({ opensOn: '2001-01-01' })).opensOn?.[0]).toBe('Opening date must be today or in the future');
		expect((await refused({ closesOn: '9999-12-30' })).closesOn?.[0]).toMatch(/^Closing date must be within 2 years of today/);
		expect((await refused({ closesOn: inDays(-1) })).closesOn?.[0]).toBe('Closing date must be in the future');
		expect((await refused({ closesOn: today() })).closesOn?.[0]).toBe('Closing date must be in the future');
		expect((await refused({ opensOn: inDays(400) })).opensOn?.[0]).toMatch(/^Opening date must be within 1 year of today/);
		expect((await refused({ opensOn: inDays(20), closesOn: inDays(10) })).closesOn?.[0]).toBe('Closing date must be after the opening date');
		expect((await refused({ closesOn: '2027-02-30' })).closesOn?.[0]).toMatch(/^Closing date must be a real date/);
		expect((await refused({ closesOn: '' })).closesOn?.[0]).toBe('Enter the closing date');
		// The form's day, month and year fields go through the same rules; a missing part is named.
		expect((await refused({ closesOn: { day: '1', month: '', year: '2027' } })).closesOn?.[0]).toBe('Closing date must include a month');
		expect(await caller(actors.officer).bids.rounds({ clusterId: ids.banbury })).toHaveLength(before);
		await expect(
			caller(actors.officer).bids.openRound({ ...roundInput({ name: 'Typed dates' }), closesOn: { day: inDays(30).slice(8), month: inDays(30).slice(5, 7), year: inDays(30).slice(0, 4) } } as never)
		).resolves.toBeGreaterThan(0);
	});

	it('refuses a milestone due in the past or decades ahead, naming the field, and keeps the saved ones', async () => {
		const roundId = await openRound(db, actors.officer, roundInput({ name: 'Milestone dates' }));
		const bidId = await createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.meadow, title: 'Milestone dates bid' });
		const save = (dueOn: string) =>
			caller(actors.sencoMeadow)
				.bids.saveSection({ bidId, section: 'milestones', version: 0, content: { milestones: [{ title: 'Therapist in post', dueOn }] } })
				.then(() => null, (e: { code: string; cause?: unknown }) => e);
		for (const [dueOn, message] of [
			['2020-06-30', /^Due date must be today or in the future/],
			[inDays(-1), /^Due date must be today or in the future/],
			['2100-01-01', /^Due date must be within 5 years of today/]
		] as const) {
			const error = await save(dueOn);
			expect(error?.code, dueOn).toBe('BAD_REQUEST');
			expect(JSON.stringify(fieldErrorsOf(error?.cause)), dueOn).toMatch(message.source.replace('^', ''));
		}
		expect((await bidDetail(db, actors.sencoMeadow, bidId)).content.milestones).toEqual([]);
		expect(await save(inDays(60))).toBeNull();
	});
});

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
