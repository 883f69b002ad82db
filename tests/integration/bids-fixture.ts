// The pooled-funding tests' shared county: one locality (Banbury) with four settings, their
// headteachers and SENCOs, officers, a PCF representative and a cluster lead; and the steps that
// bring a bid to a stage. Each test file that calls useBidsCounty() gets its own database.
import { afterAll, beforeAll } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { type Actor, loadActor } from '../../src/lib/server/auth/actor';
import { ukToday } from '../../src/lib/dates';
import { addPartner, confirmPledge, createBid, endorseBid, openRound, saveSection, submitBid } from '../../src/lib/server/bids/commands';
import { bidDetail } from '../../src/lib/server/bids/queries';

let test: TestDatabase;
/** This file's own database (a live binding: set before the first test runs). */
export let db: Database;
export const ids = {} as Record<string, number>;
export const actors = {} as Record<string, Actor>;

export { expectRefused as expectRefusal } from './refusals';

export async function person(key: string, name: string, roles: { setting?: number; role?: 'headteacher' | 'senco'; county?: 'officer'; cluster?: number; clusterRole?: 'pcf_rep' | 'cluster_lead' }) {
	const { id } = await db
		.insertInto('app_user')
		.values({ email: `${key}@bids.test`, name, county_role: roles.county ?? null })
		.returning('id')
		.executeTakeFirstOrThrow();
	if (roles.setting && roles.role) await db.insertInto('setting_membership').values({ user_id: id, setting_id: roles.setting, role: roles.role }).execute();
	if (roles.cluster && roles.clusterRole) await db.insertInto('cluster_role').values({ user_id: id, cluster_id: roles.cluster, role: roles.clusterRole }).execute();
	ids[key] = id;
}

export async function setting(key: string, name: string, clusterId: number) {
	const { id } = await db
		.insertInto('setting')
		.values({ urn: `8${Object.keys(ids).length}${Math.floor(Math.random() * 1e5)}`, name, phase: 'primary', setting_type: 'academy', town: 'Banbury', pupil_count: 200, cluster_id: clusterId })
		.returning('id')
		.executeTakeFirstOrThrow();
	ids[key] = id;
}

// UK dates, as the portal's date rules count them (UTC would be a day behind for an hour in summer).
export const today = () => ukToday();
export const inDays = (n: number) => new Date(Date.parse(`${ukToday()}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Each test file that calls this gets a fresh database with the Banbury locality, its settings and people. */
export function useBidsCounty(): void {
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
}

export const roundInput = (overrides: Partial<Parameters<typeof openRound>[2]> = {}) => ({
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
export async function readyBid(roundId: number, requestPence = 1_000_000): Promise<number> {
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

export async function toReview(bidId: number) {
	const detail = await bidDetail(db, actors.headMeadow, bidId);
	await submitBid(db, actors.headMeadow, { bidId, version: detail.bid.version });
	const submissionNo = (await bidDetail(db, actors.headMeadow, bidId)).bid.submission_no;
	await endorseBid(db, actors.headOrchard, { bidId, settingId: ids.orchard, submissionNo, decision: 'endorse', reason: '' });
	await endorseBid(db, actors.headWillow, { bidId, settingId: ids.willow, submissionNo, decision: 'endorse', reason: '' });
}
