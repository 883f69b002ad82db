import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import { countingStatements } from './statements';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { createBid, decideBid, endorseBid, openRound, saveSection, submitBid } from '../../src/lib/server/bids/commands';
import { ukToday } from '../../src/lib/dates';
import { installHub } from '../../src/lib/server/live/hub';
import { deliverMail } from '../../src/lib/server/mail';

// The heaviest bid actions tell many people: submitting tells every other setting's headteacher,
// the endorsement that completes it tells the officers, approving tells every writer. Their
// notifications, mail, live events and room counters go in set-based, so the number of SQL
// statements an action runs is the same in a district of 5 settings as in one of 200. The mail
// sent after the commit is counted with the action: it is claimed, sent and marked in batches.

const MOST_STATEMENTS = 50;

let test: TestDatabase;
let db: Database;

const inDays = (n: number) => new Date(Date.parse(`${ukToday()}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

interface District {
	bidId: number;
	/** The lead setting's headteacher and SENCO, an outside headteacher, an officer. */
	head: Actor;
	outsideHead: Actor;
	outsideSettingId: number;
	officer: Actor;
	/** People told on submission (the other settings' headteachers) and on approval (the bid's writers). */
	outsideHeads: number;
	writers: number;
}

/**
 * A district of `size` settings in four localities, each with a headteacher and a SENCO; a round
 * on the district and a complete bid led by the first setting with about half the settings as
 * partners, every pledge confirmed. Set up with few statements; only the actions are counted.
 */
async function district(tag: string, size: number): Promise<District> {
	const { id: districtId } = await db.insertInto('cluster').values({ kind: 'district', name: `District ${tag}` }).returning('id').executeTakeFirstOrThrow();
	const localities = await db
		.insertInto('cluster')
		.values([1, 2, 3, 4].map((n) => ({ kind: 'locality' as const, name: `Locality ${tag}${n}`, parent_id: districtId })))
		.returning('id')
		.execute();
	const settings = await db
		.insertInto('setting')
		.values(
			Array.from({ length: size }, (_, i) => ({
				urn: `${tag}${String(i).padStart(4, '0')}`,
				name: `Setting ${tag} ${i}`,
				phase: 'primary' as const,
				setting_type: 'academy',
				town: 'Witney',
				pupil_count: 200,
				cluster_id: localities[i % localities.length].id
			}))
		)
		.returning('id')
		.execute();
	const people = await db
		.insertInto('app_user')
		.values(settings.flatMap((_, i) => ['head', 'senco'].map((role) => ({ email: `${role}${i}@${tag}.count.test`, name: `${role} ${tag} ${i}` }))))
		.returning('id')
		.execute();
	await db
		.insertInto('setting_membership')
		.values(settings.flatMap((s, i) => (['headteacher', 'senco'] as const).map((role, r) => ({ setting_id: s.id, user_id: people[i * 2 + r].id, role }))))
		.execute();
	const officers = await db
		.insertInto('app_user')
		.values([1, 2].map((n) => ({ email: `officer${n}@${tag}.count.test`, name: `Officer ${tag} ${n}`, county_role: 'officer' as const })))
		.returning('id')
		.execute();
	const actor = async (id: number) => (await loadActor(db, id))!;
	const [head, senco, officer] = [await actor(people[0].id), await actor(people[1].id), await actor(officers[0].id)];

	const roundId = await openRound(db, officer, {
		clusterId: districtId,
		name: `Round ${tag}`,
		potPence: 50_000_000,
		maxRequestPence: 30_000_000,
		opensOn: ukToday(),
		closesOn: inDays(30),
		guidance: '',
		endorsementRule: 'count',
		endorsementValue: 1
	});
	const bidId = await createBid(db, senco, { roundId, leadSettingId: settings[0].id, title: 'Shared speech and language therapist' });
	const sections: [string, unknown][] = [
		['overview', { title: 'Shared speech and language therapist', summary: 'One therapist across the district.' }],
		['need', { needs: ['communication_interaction'], phases: ['primary'], cohortSize: 40 }],
		['measures', { measures: [{ measure: 'IM4', outcome: 'Needs identified a term earlier' }] }],
		['budget', { lines: [{ item: 'Therapist, 0.6 FTE', category: 'staffing', costPence: 1_200_000 }] }],
		['milestones', { milestones: [{ title: 'Therapist in post', dueOn: inDays(60) }] }],
		['evaluation', { evaluation: 'WellComm scores each term.' }]
	];
	for (const [section, content] of sections) {
		const { section_versions } = await db.selectFrom('bid').select('section_versions').where('id', '=', bidId).executeTakeFirstOrThrow();
		await saveSection(db, senco, { bidId, section, version: section_versions[section as 'overview'] ?? 0, content } as Parameters<typeof saveSection>[2]);
	}
	// Partners and their confirmed pledges, straight in: the actions counted below are what matters.
	const partners = settings.slice(1, Math.max(2, Math.floor(size / 2)));
	await db.insertInto('bid_partner').values(partners.map((s) => ({ bid_id: bidId, setting_id: s.id, added_by: senco.id }))).execute();
	await db.insertInto('bid_pledge').values(partners.map((s) => ({ bid_id: bidId, setting_id: s.id, money_pence: 1_000 }))).execute();
	await db.updateTable('bid_pledge').set({ confirmed_at: new Date(), confirmed_by: head.id }).where('bid_id', '=', bidId).execute();
	const outside = settings.length - 1 - partners.length;
	const outsideIndex = 1 + partners.length;
	return {
		bidId,
		head,
		outsideHead: await actor(people[outsideIndex * 2].id),
		outsideSettingId: settings[outsideIndex].id,
		officer,
		outsideHeads: outside,
		writers: (1 + partners.length) * 2
	};
}

/** Runs the three heaviest actions on the district's bid; returns each one's statement count and how many people it told. */
async function heaviestActions(place: District) {
	const counted = countingStatements(db);
	const told = async () => Number((await db.selectFrom('notification').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
	// After each commit its mail goes out through the counted handle, as the real hub sends it.
	let delivered: Promise<number> = Promise.resolve(0);
	installHub({ emit: () => undefined, deliverMail: (ids) => void (delivered = deliverMail(counted.db, ids, { send: async () => undefined })), disconnectUsers: () => undefined, disconnectSessions: () => undefined });
	const measure = async (action: (db: Database) => Promise<void>) => {
		const before = await told();
		counted.reset();
		delivered = Promise.resolve(0);
		await action(counted.db);
		const mailed = await delivered;
		return { statements: counted.count(), told: (await told()) - before, mailed };
	};
	const version = async () => (await db.selectFrom('bid').select(['version', 'submission_no']).where('id', '=', place.bidId).executeTakeFirstOrThrow());
	const submit = await measure(async (via) => submitBid(via, place.head, { bidId: place.bidId, version: (await version()).version }));
	const endorse = await measure(async (via) =>
		endorseBid(via, place.outsideHead, {
			bidId: place.bidId,
			settingId: place.outsideSettingId,
			submissionNo: (await version()).submission_no,
			decision: 'endorse',
			reason: ''
		})
	);
	const approve = await measure(async (via) =>
		decideBid(via, place.officer, { bidId: place.bidId, version: (await version()).version, decision: 'approve', amountPence: 500_000, conditions: '', reason: 'Meets the round’s aims' })
	);
	const { status } = await db.selectFrom('bid').select('status').where('id', '=', place.bidId).executeTakeFirstOrThrow();
	installHub(undefined);
	return { submit, endorse, approve, status };
}

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
});

afterAll(() => test?.close());

describe('the statements the heaviest bid actions run', () => {
	it('are few, and the same for a district of 5 settings as for one of 200', async () => {
		const small = await district('5', 5);
		const large = await district('200', 200);
		const few = await heaviestActions(small);
		const many = await heaviestActions(large);
		expect(many.status).toBe('approved');
		// The large district really tells many more people...
		expect(many.submit.told).toBe(large.outsideHeads);
		expect(many.submit.told).toBeGreaterThanOrEqual(99);
		expect(many.approve.told).toBe(large.writers);
		expect(many.approve.told).toBeGreaterThanOrEqual(200);
		expect(few.submit.told).toBe(small.outsideHeads);
		// Their mail went out within the counted statements.
		expect(many.submit.mailed).toBe(many.submit.told);
		expect(many.approve.mailed).toBe(many.approve.told);
		// ...with the same statements, and no more than a small fixed number.
		for (const action of ['submit', 'endorse', 'approve'] as const) {
			expect(many[action].statements, `${action}: 200 settings vs 5`).toBe(few[action].statements);
			expect(many[action].statements, action).toBeLessThanOrEqual(MOST_STATEMENTS);
		}
		// Everyone told has their notification, their mail and an event in their own room, numbered on without a gap.
		const count = async (table: 'notification' | 'mail_outbox') =>
			Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
		const events = await db.selectFrom('live_event').select(['room', 'seq']).where('kind', '=', 'notification.created').orderBy('room').orderBy('seq').execute();
		expect(events).toHaveLength(await count('notification'));
		expect(await count('mail_outbox')).toBe(await count('notification'));
		const unsent = await db.selectFrom('mail_outbox').select('id').where('sent_at', 'is', null).execute();
		expect(unsent).toEqual([]);
		const seqs = new Map<string, number[]>();
		for (const event of events) seqs.set(event.room, [...(seqs.get(event.room) ?? []), event.seq]);
		for (const numbers of seqs.values()) expect(numbers).toEqual(numbers.map((_, i) => i + 1));
	});
});
