import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addPoint, answerPoint, approvePosition, checkPoint, publishAnswers, savePosition } from '../../src/lib/server/pcf/commands';
import { adviceFor, publicPoints } from '../../src/lib/server/pcf/queries';
import { adviceOnBid } from '../../src/lib/server/pcf/advice-record';
import { ukToday } from '../../src/lib/dates';
import { openRound } from '../../src/lib/server/bids/commands';
import { withFormPost } from '../../src/lib/server/form-posts';
import type { DomainError } from '../../src/lib/server/errors';
import { roundInput } from './bids-fixture';
import { actors, db, expectRefusal, ids, usePcfCounty } from './pcf-fixture';

// A themed response across a whole funding round against a real PostgreSQL: the group's position
// and points attach to the round (every bid of the district in it) with the same approval by the
// lead, answers (a council officer's, never a setting's), two checks and public page as one bid's;
// another district's representative is refused and nothing is written; a decision on any bid of
// the round is told of the round's points.

usePcfCounty();

const NOW = ukToday();
const versionOf = async (pointId: number) => (await db.selectFrom('pcf_point').select('version').where('id', '=', pointId).executeTakeFirstOrThrow()).version;
const written = async () => Number((await sql<{ n: string }>`select (select count(*) from pcf_point) + (select count(*) from pcf_position) as n`.execute(db)).rows[0].n);
const everything = { districtId: null, clusterId: null, themeId: null, status: null };

describe('the group’s themed response across a round', () => {
	it('is refused to another district’s representative and to setting staff, writing nothing', async () => {
		const before = await written();
		await expectRefusal(savePosition(db, actors.pcfOxford, { roundId: ids.round, version: 0, stance: 'concerns', summary: '' }), 'FORBIDDEN', /Only the Cherwell PCF advisory group/);
		await expectRefusal(savePosition(db, actors.sencoMeadow, { roundId: ids.round, version: 0, stance: 'support', summary: '' }), 'FORBIDDEN');
		await expectRefusal(adviceFor(db, actors.pcfOxford, { roundId: ids.round }), 'FORBIDDEN');
		await expectRefusal(adviceFor(db, actors.outsider, { roundId: ids.round }), 'FORBIDDEN');
		expect(await written()).toBe(before);
	});

	it('refuses a round that does not exist, or naming a bid and a round at once, as input problems', async () => {
		await expectRefusal(savePosition(db, actors.pcf, { roundId: 999_999, version: 0, stance: 'concerns', summary: '' }), 'NOT_FOUND');
		const both = await expectRefusal(addPoint(db, actors.pcf, { roundId: ids.round, bidId: ids.bid, body: 'Both', themeIds: [] }), 'BAD_REQUEST');
		expect(Object.keys(both.fieldErrors ?? {})).toContain('bidId');
	});

	it('is drafted with themed points by the group and approved by its lead, apart from any one bid’s', async () => {
		await savePosition(db, actors.pcf, { roundId: ids.round, version: 0, stance: 'concerns', summary: 'Across the round, bids say little about families.' });
		ids.roundPoint = (await addPoint(db, actors.pcf, { roundId: ids.round, body: 'Every bid should say how families will hear about it.', themeIds: [ids.communication] })).pointId;
		const row = await db.selectFrom('pcf_point').select(['round_id', 'bid_id', 'district_id']).where('id', '=', ids.roundPoint).executeTakeFirstOrThrow();
		expect(row).toEqual({ round_id: ids.round, bid_id: null, district_id: ids.district });
		// The bid's own advice does not carry it.
		expect((await adviceFor(db, actors.pcf, ids.bid)).points).toEqual([]);
		const { position } = await adviceFor(db, actors.pcf, { roundId: ids.round });
		await expectRefusal(approvePosition(db, actors.pcf, { roundId: ids.round, version: position!.version, agreedOn: NOW, agreedWhere: 'Meeting' }), 'FORBIDDEN', /Only the lead/);
		await approvePosition(db, actors.pcfLead, { roundId: ids.round, version: position!.version, agreedOn: NOW, agreedWhere: 'Cherwell group meeting' });
		const history = await db.selectFrom('audit_log').select('action').where('subject_type', '=', 'funding_round').where('subject_id', '=', ids.round).where('action', 'like', 'pcf.%').orderBy('id').execute();
		expect(history.map((h) => h.action)).toEqual(['pcf.position_drafted', 'pcf.position_approved']);
	});

	it('is answered by a council officer, never by a bid’s setting, and a decision on a bid of the round is told of it', async () => {
		expect(await adviceOnBid(db, ids.bid)).toEqual({ points: 1, unanswered: 1 });
		await expectRefusal(
			answerPoint(db, actors.sencoMeadow, { pointId: ids.roundPoint, version: await versionOf(ids.roundPoint), answer: 'partly', text: 'We will, in part', changeBy: '' }),
			'FORBIDDEN',
			/Only a council officer can answer the forum’s points on a whole funding round/
		);
		await expectRefusal(publishAnswers(db, actors.sencoMeadow, { roundId: ids.round }), 'FORBIDDEN');
		await answerPoint(db, actors.officer, { pointId: ids.roundPoint, version: await versionOf(ids.roundPoint), answer: 'partly', text: 'The round’s guidance now asks each bid how families will hear of it.', changeBy: '' });
		expect(await publishAnswers(db, actors.officer, { roundId: ids.round })).toEqual({ published: 1 });
		expect(await adviceOnBid(db, ids.bid)).toEqual({ points: 1, unanswered: 0 });
	});

	it('is public only after both checks, as the round, with no names', async () => {
		await expectRefusal(checkPoint(db, actors.officer, { pointId: ids.roundPoint, version: await versionOf(ids.roundPoint), as: 'officer' }), 'FORBIDDEN', /You wrote this point or its answer/);
		await expectRefusal(checkPoint(db, actors.pcfOxford, { pointId: ids.roundPoint, version: await versionOf(ids.roundPoint), as: 'lead' }), 'FORBIDDEN');
		expect(await checkPoint(db, actors.officer2, { pointId: ids.roundPoint, version: await versionOf(ids.roundPoint), as: 'officer' })).toEqual({ published: false });
		expect((await publicPoints(db, everything, null)).points).toEqual([]);
		expect(await checkPoint(db, actors.pcfLead, { pointId: ids.roundPoint, version: await versionOf(ids.roundPoint), as: 'lead' })).toEqual({ published: true });
		const { points } = await publicPoints(db, everything, null);
		expect(points.map((p) => [p.id, p.proposal, p.status])).toEqual([[ids.roundPoint, 'Every bid in PCF round', 'answered']]);
		expect(JSON.stringify(points)).not.toMatch(/Pat Parent|Lena Lead-Rep|Olive Officer/);
	});
});

describe('the round’s advice when two people act at once, or one form is sent twice', () => {
	const settled = <T>(work: Promise<T>) => work.then(() => null, (error: unknown) => error as DomainError);
	const asPost = <T>(token: string, form: string, userId: number, command: () => Promise<T>) => withFormPost({ token, form, fingerprint: 'same fields', userId }, command).result;
	const auditCount = async (roundId: number, action: string) =>
		(await db.selectFrom('audit_log').select('id').where('subject_type', '=', 'funding_round').where('subject_id', '=', roundId).where('action', '=', action).execute()).length;
	let round = 0;

	it('is never approved by the lead who drafted it', async () => {
		round = await openRound(db, actors.officer, roundInput({ name: 'PCF race round', potPence: 5_000_000, maxRequestPence: 3_000_000 }));
		await savePosition(db, actors.pcfLead, { roundId: round, version: 0, stance: 'concerns', summary: 'Drafted by the lead.' });
		await expectRefusal(approvePosition(db, actors.pcfLead, { roundId: round, version: 1, agreedOn: NOW, agreedWhere: 'Meeting' }), 'FORBIDDEN', /You drafted this position/);
		// Another representative's draft, the lead may approve.
		await savePosition(db, actors.pcf, { roundId: round, version: 1, stance: 'concerns', summary: 'Drafted by Pat.' });
		expect(await auditCount(round, 'pcf.position_approved')).toBe(0);
	});

	it('is approved once when the lead approves from two pages at once; the other is told it already was', async () => {
		const approve = () => approvePosition(db, actors.pcfLead, { roundId: round, version: 2, agreedOn: NOW, agreedWhere: 'Cherwell group meeting' });
		const errors = await Promise.all([settled(approve()), settled(approve())]);
		const refused = errors.filter((e) => e !== null);
		expect(refused).toHaveLength(1);
		expect(refused[0].code).toBe('CONFLICT');
		expect(refused[0].message).toMatch(/changed since you opened it|already been approved/);
		expect(await auditCount(round, 'pcf.position_approved')).toBe(1);
	});

	it('publishes drafted answers once when two officers publish at once; the other is told there is nothing left', async () => {
		const { pointId } = await addPoint(db, actors.pcf, { roundId: round, body: 'Say how families hear of each bid.', themeIds: [] });
		const { position } = await adviceFor(db, actors.pcf, { roundId: round });
		await approvePosition(db, actors.pcfLead, { roundId: round, version: position!.version, agreedOn: NOW, agreedWhere: 'Cherwell group meeting' });
		await answerPoint(db, actors.officer, { pointId, version: await versionOf(pointId), answer: 'not_changed', text: 'The guidance already asks it.', changeBy: '' });
		const errors = await Promise.all([settled(publishAnswers(db, actors.officer, { roundId: round })), settled(publishAnswers(db, actors.officer2, { roundId: round }))]);
		const refused = errors.filter((e) => e !== null);
		expect(refused).toHaveLength(1);
		expect(refused[0].code).toBe('BAD_REQUEST');
		expect(refused[0].message).toMatch(/no drafted answers to publish/);
		expect(await auditCount(round, 'pcf.answers_published')).toBe(1);
	});

	it('has one effect when the same form post arrives twice, at once or later', async () => {
		const form = '/(app)/pcf/rounds/[roundId] point';
		const token = randomUUID();
		const add = () => addPoint(db, actors.pcf, { roundId: round, body: 'Sent twice by a double click.', themeIds: [] });
		const [first, second] = await Promise.all([asPost(token, form, ids.pcf, add), asPost(token, form, ids.pcf, add)]);
		expect(second).toEqual(first);
		expect(await asPost(token, form, ids.pcf, add)).toEqual(first);
		const rows = await db.selectFrom('pcf_point').select('id').where('round_id', '=', round).where('body', '=', 'Sent twice by a double click.').execute();
		expect(rows.map((r) => r.id)).toEqual([first.pointId]);
		// A new render of the form (a new token) is a new point.
		await asPost(randomUUID(), form, ids.pcf, add);
		expect(await db.selectFrom('pcf_point').select('id').where('round_id', '=', round).where('body', '=', 'Sent twice by a double click.').execute()).toHaveLength(2);
	});
});
