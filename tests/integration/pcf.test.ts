import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addFeedback, addPoint, answerPoint, approvePosition, checkPoint, deliverPoint, importThemes, publishAnswers, savePosition, setWatch, withdrawPoint } from '../../src/lib/server/pcf/commands';
import { adviceForBid, publicChoices, publicPoints, publicStamp, themesCsv } from '../../src/lib/server/pcf/queries';
import { decideBid } from '../../src/lib/server/bids/commands';
import { publicDistrictPicker, publicDistrictSearch } from '../../src/lib/server/pickers';
import { bidDetail } from '../../src/lib/server/bids/queries';
import { ukToday } from '../../src/lib/dates';
import { actors, db, expectRefusal, ids, usePcfCounty } from './pcf-fixture';
import { inDays } from './bids-fixture';

// PCF advice against a real PostgreSQL, in the order of the forum's journey: a position with
// themed points, the lead's approval, families' aggregated feedback, answers by the owner and an
// officer (never the point's author or another setting's SENCO), the two checks, the public page
// (published points only, never a name), the officer's decision and delivery.

usePcfCounty();

const versionOf = async (pointId: number) => (await db.selectFrom('pcf_point').select('version').where('id', '=', pointId).executeTakeFirstOrThrow()).version;
const pointsWritten = async () => Number((await sql<{ n: string }>`select count(*) as n from pcf_point`.execute(db)).rows[0].n);
const NOW = ukToday();

describe('the forum’s position', () => {
	it('is written only by the district’s group, and only from submission', async () => {
		await expectRefusal(savePosition(db, actors.pcfOxford, { bidId: ids.bid, version: 0, stance: 'concerns', summary: '' }), 'FORBIDDEN', /Cherwell PCF advisory group/);
		await expectRefusal(savePosition(db, actors.pcf, { bidId: ids.draftBid, version: 0, stance: 'concerns', summary: '' }), 'FORBIDDEN', /once it has been submitted/);
		await expectRefusal(savePosition(db, actors.sencoMeadow, { bidId: ids.bid, version: 0, stance: 'support', summary: '' }), 'FORBIDDEN');
		await expectRefusal(adviceForBid(db, actors.pcfOxford, ids.bid), 'FORBIDDEN');
		await expectRefusal(adviceForBid(db, actors.outsider, ids.bid), 'FORBIDDEN');
		await savePosition(db, actors.pcf, { bidId: ids.bid, version: 0, stance: 'support_with_conditions', summary: 'We support a shared therapist if families are told how to ask for it.' });
		// A second writer on the old version is told, not overwritten.
		await expectRefusal(savePosition(db, actors.pcfLead, { bidId: ids.bid, version: 0, stance: 'object', summary: '' }), 'CONFLICT');
	});

	it('is watched by the group’s choice, within its district', async () => {
		await setWatch(db, actors.pcf, { districtId: ids.district, bidId: ids.bid, watch: true });
		await setWatch(db, actors.pcf, { districtId: ids.district, bidId: ids.bid, watch: true });
		expect(await db.selectFrom('pcf_watch').select('id').execute()).toHaveLength(1);
		await expectRefusal(setWatch(db, actors.pcfOxford, { districtId: ids.oxford, bidId: ids.bid, watch: true }), 'BAD_REQUEST', /not in Oxford/);
		await expectRefusal(setWatch(db, actors.pcfOxford, { districtId: ids.district, bidId: ids.bid, watch: true }), 'FORBIDDEN');
	});

	it('has distinct themed points; bad input writes nothing', async () => {
		const before = await pointsWritten();
		await expectRefusal(addPoint(db, actors.pcf, { bidId: ids.bid, body: '   ', themeIds: [] }), 'BAD_REQUEST', /Check what you entered/);
		await expectRefusal(addPoint(db, actors.pcf, { bidId: ids.bid, body: 'x'.repeat(2001), themeIds: [] }), 'BAD_REQUEST');
		await expectRefusal(addPoint(db, actors.pcf, { bidId: ids.bid, body: 'Fine', themeIds: [999999] }), 'BAD_REQUEST', /no longer on the list/);
		await expectRefusal(addPoint(db, actors.pcfOxford, { bidId: ids.bid, body: 'From elsewhere', themeIds: [] }), 'FORBIDDEN');
		expect(await pointsWritten()).toBe(before);
		ids.pointA = (await addPoint(db, actors.pcf, { bidId: ids.bid, body: 'Tell families at each setting how to ask for the therapist.', themeIds: [ids.communication] })).pointId;
		ids.pointB = (await addPoint(db, actors.pcf, { bidId: ids.bid, body: 'Sessions should not mean a longer journey for children.', themeIds: [ids.transport] })).pointId;
		const advice = await adviceForBid(db, actors.pcf, ids.bid);
		expect(advice.points.map((p) => p.themes.map((t) => t.name))).toEqual([['Communication with families'], ['Transport']]);
	});

	it('counts as the group’s once the lead, who did not draft it, approves it with when and where', async () => {
		const { position } = await adviceForBid(db, actors.pcf, ids.bid);
		// The points cannot be answered before the lead approves.
		await expectRefusal(answerPoint(db, actors.sencoMeadow, { pointId: ids.pointA, version: await versionOf(ids.pointA), answer: 'partly', text: 'Leaflets', changeBy: '' }), 'BAD_REQUEST', /not approved yet/);
		await expectRefusal(approvePosition(db, actors.pcf, { bidId: ids.bid, version: position!.version, agreedOn: NOW, agreedWhere: 'Group meeting' }), 'FORBIDDEN', /Only the lead/);
		await expectRefusal(approvePosition(db, actors.pcfLead, { bidId: ids.bid, version: position!.version, agreedOn: '2099-01-01', agreedWhere: 'Group meeting' }), 'BAD_REQUEST');
		await expectRefusal(approvePosition(db, actors.pcfLead, { bidId: ids.bid, version: position!.version, agreedOn: NOW, agreedWhere: '' }), 'BAD_REQUEST');
		await approvePosition(db, actors.pcfLead, { bidId: ids.bid, version: position!.version, agreedOn: NOW, agreedWhere: 'Cherwell group meeting' });
		const approved = (await adviceForBid(db, actors.officer, ids.bid)).position!;
		expect(approved.approved_by_name).toBe('Lena Lead-Rep');
		expect(approved.agreed_where).toBe('Cherwell group meeting');
		const history = await db.selectFrom('audit_log').select(['action', 'actor_id']).where('subject_type', '=', 'bid').where('subject_id', '=', ids.bid).where('action', 'like', 'pcf.%').orderBy('id').execute();
		expect(history.map((h) => h.action)).toEqual(['pcf.position_drafted', 'pcf.watch_added', 'pcf.watch_added', 'pcf.position_approved']);
	});

	it('is joined by families’ aggregated feedback: source, date and count, never who', async () => {
		await expectRefusal(addFeedback(db, actors.pcf, { bidId: ids.bid, source: 'survey', heardOn: inDays(3), raisedCount: 12, body: 'x', themeIds: [] }), 'BAD_REQUEST', /future/);
		await expectRefusal(addFeedback(db, actors.pcf, { bidId: ids.bid, source: 'gossip', heardOn: NOW, raisedCount: 12, body: 'x', themeIds: [] }), 'BAD_REQUEST');
		await expectRefusal(addFeedback(db, actors.pcf, { bidId: ids.bid, source: 'survey', heardOn: NOW, raisedCount: 0, body: 'x', themeIds: [] }), 'BAD_REQUEST');
		ids.feedback = (await addFeedback(db, actors.pcf, { bidId: ids.bid, source: 'send_connect', heardOn: NOW, raisedCount: 14, body: 'Parents want to know who the therapist is.', themeIds: [ids.communication] })).pointId;
		const row = await db.selectFrom('pcf_point').select(['author_id', 'raised_count', 'source']).where('id', '=', ids.feedback).executeTakeFirstOrThrow();
		expect(row).toEqual({ author_id: null, raised_count: 14, source: 'send_connect' });
	});
});

describe('answers', () => {
	it('come from the proposal’s owner or an officer: not a partner’s or another setting’s SENCO, a representative, or the point’s author', async () => {
		const version = await versionOf(ids.pointA);
		const answer = { pointId: ids.pointA, version, answer: 'will_change', text: 'A leaflet for every family', changeBy: NOW };
		await expectRefusal(answerPoint(db, actors.sencoCastle, answer), 'FORBIDDEN', /Only staff of the setting leading/);
		await expectRefusal(answerPoint(db, actors.outsider, answer), 'FORBIDDEN');
		await expectRefusal(answerPoint(db, actors.pcf, answer), 'FORBIDDEN', /You raised this point/);
		await expectRefusal(answerPoint(db, actors.pcfLead, answer), 'FORBIDDEN');
		await expectRefusal(answerPoint(db, actors.sencoMeadow, { ...answer, changeBy: '' }), 'BAD_REQUEST', /date the change will be made/);
		await expectRefusal(answerPoint(db, actors.sencoMeadow, { ...answer, answer: 'not_changed', text: ' ' }), 'BAD_REQUEST', /why/);
	});

	it('given twice at once: one wins and the other is told who answered', async () => {
		const version = await versionOf(ids.pointA);
		const results = await Promise.allSettled([
			answerPoint(db, actors.sencoMeadow, { pointId: ids.pointA, version, answer: 'will_change', text: 'A leaflet for every family', changeBy: NOW }),
			answerPoint(db, actors.officer, { pointId: ids.pointA, version, answer: 'partly', text: 'The website only', changeBy: '' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(lost.reason.code).toBe('CONFLICT');
		expect(lost.reason.message).toMatch(/(Sam Senco|Olive Officer) answered this point/);
		// Settle on the owner's answer for the rest of the journey.
		await answerPoint(db, actors.sencoMeadow, { pointId: ids.pointA, version: await versionOf(ids.pointA), answer: 'will_change', text: 'A leaflet for every family', changeBy: NOW });
		await answerPoint(db, actors.officer, { pointId: ids.pointB, version: await versionOf(ids.pointB), answer: 'not_changed', text: 'Sessions are held at each child’s own setting already.', changeBy: '' });
	});

	it('are drafts, unseen by the forum, until published together', async () => {
		const forumView = await adviceForBid(db, actors.pcf, ids.bid);
		expect(forumView.points.find((p) => p.id === ids.pointA)?.answer).toBeNull();
		expect(forumView.points.find((p) => p.id === ids.pointA)?.status).toBe('waiting');
		await expectRefusal(publishAnswers(db, actors.pcf, { bidId: ids.bid }), 'FORBIDDEN');
		expect(await publishAnswers(db, actors.headMeadow, { bidId: ids.bid })).toEqual({ published: 2 });
		const after = await adviceForBid(db, actors.pcf, ids.bid);
		expect(after.points.find((p) => p.id === ids.pointA)?.status).toBe('changing');
		expect(after.points.find((p) => p.id === ids.pointB)?.status).toBe('answered');
		expect(after.points.find((p) => p.id === ids.feedback)?.status).toBe('waiting');
		// A published answer stands.
		await expectRefusal(answerPoint(db, actors.sencoMeadow, { pointId: ids.pointA, version: await versionOf(ids.pointA), answer: 'partly', text: 'Less', changeBy: '' }), 'CONFLICT');
	});
});

describe('the officer’s decision', () => {
	it('is warned of unanswered points and must say how the advice was considered', async () => {
		const { bid } = await bidDetail(db, actors.officer, ids.bid);
		const approve = { bidId: ids.bid, version: bid.version, decision: 'approve', amountPence: 1_000_000, conditions: '', reason: 'Meets IM4' };
		const refusal = await expectRefusal(decideBid(db, actors.officer, approve), 'BAD_REQUEST', /Say how the PCF advisory group’s advice was considered\. 1 of its 3 points has no published answer yet/);
		expect(refusal.fieldErrors?.adviceConsidered).toHaveLength(1);
		await decideBid(db, actors.officer, { ...approve, adviceConsidered: 'Approved on condition the leaflet goes to every family, as the forum asked.' });
		const stored = await db.selectFrom('bid').select(['status', 'pcf_advice_considered']).where('id', '=', ids.bid).executeTakeFirstOrThrow();
		expect(stored).toEqual({ status: 'approved', pcf_advice_considered: 'Approved on condition the leaflet goes to every family, as the forum asked.' });
		const record = await db.selectFrom('audit_log').select(['detail']).where('action', '=', 'bid.approved').where('subject_id', '=', ids.bid).executeTakeFirstOrThrow();
		expect(record.detail).toMatchObject({ adviceConsidered: stored.pcf_advice_considered, summary: expect.stringMatching(/How the PCF advisory group’s advice was considered: Approved on condition/) });
	});

	it('needs no such words on a bid without advice', async () => {
		const detail = await bidDetail(db, actors.officer, ids.draftBid);
		// The draft bid cannot be decided at all, so this proves the rule on its tally instead.
		const { adviceOnBid, adviceConsideredProblem } = await import('../../src/lib/server/pcf/advice-record');
		expect(adviceConsideredProblem(await adviceOnBid(db, detail.bid.id), '')).toBeNull();
	});
});

describe('you said, we did', () => {
	it('shows nothing until an officer and the PCF lead have each checked a point, neither its author nor its answerer', async () => {
		expect((await publicPoints(db, { districtId: null, themeId: null, clusterId: null, status: null }, null)).points).toEqual([]);
		const stampBefore = await publicStamp(db, ids.district);
		const versionA = await versionOf(ids.pointA);
		await expectRefusal(checkPoint(db, actors.pcf, { pointId: ids.pointA, version: versionA, as: 'lead' }), 'FORBIDDEN');
		await expectRefusal(checkPoint(db, actors.sencoMeadow, { pointId: ids.pointA, version: versionA, as: 'officer' }), 'FORBIDDEN');
		await expectRefusal(checkPoint(db, actors.officer, { pointId: ids.feedback, version: await versionOf(ids.feedback), as: 'officer' }), 'BAD_REQUEST', /Publish the answer/);
		expect((await checkPoint(db, actors.officer, { pointId: ids.pointA, version: versionA, as: 'officer' })).published).toBe(false);
		expect((await publicPoints(db, { districtId: null, themeId: null, clusterId: null, status: null }, null)).points).toEqual([]);
		expect((await checkPoint(db, actors.pcfLead, { pointId: ids.pointA, version: await versionOf(ids.pointA), as: 'lead' })).published).toBe(true);
		// Point B was answered by Olive Officer: she may not make its officer check.
		await expectRefusal(checkPoint(db, actors.officer, { pointId: ids.pointB, version: await versionOf(ids.pointB), as: 'officer' }), 'FORBIDDEN', /someone else must check/);
		await checkPoint(db, actors.officer2, { pointId: ids.pointB, version: await versionOf(ids.pointB), as: 'officer' });
		await checkPoint(db, actors.pcfLead, { pointId: ids.pointB, version: await versionOf(ids.pointB), as: 'lead' });
		expect(await publicStamp(db, ids.district)).not.toBe(stampBefore);
		expect(await publicStamp(db, ids.oxford)).toBe('none');
	});

	it('shows the anonymous visitor published points only, filtered by theme, cluster and status, with no name anywhere', async () => {
		const all = await publicPoints(db, { districtId: ids.district, themeId: null, clusterId: null, status: null }, null);
		expect(all.points.map((p) => p.id).sort()).toEqual([ids.pointA, ids.pointB].sort());
		expect((await publicPoints(db, { districtId: ids.oxford, themeId: null, clusterId: null, status: null }, null)).points).toEqual([]);
		expect((await publicPoints(db, { districtId: null, themeId: ids.transport, clusterId: null, status: null }, null)).points.map((p) => p.id)).toEqual([ids.pointB]);
		expect((await publicPoints(db, { districtId: null, themeId: null, clusterId: ids.banbury, status: 'changing' }, null)).points.map((p) => p.id)).toEqual([ids.pointA]);
		expect((await publicPoints(db, { districtId: null, themeId: null, clusterId: ids.bicester, status: null }, null)).points).toEqual([]);
		const text = JSON.stringify(all);
		const names = await db.selectFrom('app_user').select('name').execute();
		for (const { name } of names) expect(text, `${name} on a public page`).not.toContain(name);
		expect(text).not.toMatch(/@bids\.test/);
	});

	it('offers a district’s own local clusters to filter by, none until a district is chosen, and keeps a cluster chosen by its link', async () => {
		const none = await publicChoices(db, { districtId: null, clusterId: null });
		expect(none.clusters).toEqual([]);
		expect(Object.keys(none).sort()).toEqual(['clusters', 'themes']);
		const localities = await db.selectFrom('cluster').select('id').where('parent_id', '=', ids.district).where('status', '=', 'active').execute();
		const own = await publicChoices(db, { districtId: ids.district, clusterId: null });
		expect(own.clusters.map((c) => c.id).sort()).toEqual(localities.map((l) => l.id).sort());
		expect(own.clusters.map((c) => c.id)).toContain(ids.banbury);
		expect((await publicChoices(db, { districtId: ids.oxford, clusterId: null })).clusters).toEqual([]);
		expect((await publicChoices(db, { districtId: null, clusterId: ids.banbury })).clusters.map((c) => c.id)).toEqual([ids.banbury]);
	});

	it('finds the district by a search open to everyone: districts only, by name alone, the chosen one kept; a search too long is refused with the field’s words', async () => {
		const district = await db.selectFrom('cluster').select(['id', 'name']).where('id', '=', ids.district).executeTakeFirstOrThrow();
		const banbury = await db.selectFrom('cluster').select('name').where('id', '=', ids.banbury).executeTakeFirstOrThrow();
		const found = await publicDistrictSearch(db, district.name.slice(0, 4).toLowerCase());
		expect(found.options).toContainEqual({ value: String(district.id), label: district.name });
		expect((await publicDistrictSearch(db, banbury.name)).options).toEqual([]);
		expect(await publicDistrictSearch(db, '')).toEqual({ options: [], more: false });
		const tooLong = await expectRefusal(publicDistrictSearch(db, 'x'.repeat(500)), 'BAD_REQUEST', /Check what you entered|characters or fewer/);
		expect(tooLong.fieldErrors?.query?.[0]).toMatch(/characters or fewer/);
		const picker = await publicDistrictPicker(db, { query: 'x'.repeat(500), chosen: ids.district });
		expect(picker).toMatchObject({ query: '', options: [], chosen: { value: String(district.id), label: district.name } });
		expect((await publicDistrictPicker(db, { query: null, chosen: ids.banbury })).chosen).toBeNull();
	});

	it('follows a "will change" to delivery with evidence, and can be withdrawn', async () => {
		await expectRefusal(deliverPoint(db, actors.sencoMeadow, { pointId: ids.pointA, version: await versionOf(ids.pointA), deliveredOn: NOW, evidence: '' }), 'BAD_REQUEST', /Check what you entered/);
		await expectRefusal(deliverPoint(db, actors.sencoMeadow, { pointId: ids.pointB, version: await versionOf(ids.pointB), deliveredOn: NOW, evidence: 'x' }), 'BAD_REQUEST', /Only a published “we will change”/);
		await deliverPoint(db, actors.sencoMeadow, { pointId: ids.pointA, version: await versionOf(ids.pointA), deliveredOn: NOW, evidence: 'Leaflet sent to 412 families in the autumn newsletter' });
		expect((await publicPoints(db, { districtId: null, themeId: null, clusterId: null, status: 'delivered' }, null)).points.map((p) => p.id)).toEqual([ids.pointA]);
		await expectRefusal(withdrawPoint(db, actors.pcf, { pointId: ids.pointB, version: await versionOf(ids.pointB), reason: 'x' }), 'FORBIDDEN');
		await expectRefusal(withdrawPoint(db, actors.pcfLead, { pointId: ids.pointB, version: await versionOf(ids.pointB), reason: '' }), 'BAD_REQUEST');
		await withdrawPoint(db, actors.pcfLead, { pointId: ids.pointB, version: await versionOf(ids.pointB), reason: 'The school is small enough to be recognised' });
		expect((await publicPoints(db, { districtId: null, themeId: null, clusterId: null, status: null }, null)).points.map((p) => p.id)).toEqual([ids.pointA]);
	});
});

describe('the theme list', () => {
	it('round-trips through OxPCF’s CSV: known names updated, new ones added, a bad file changes nothing', async () => {
		await expectRefusal(themesCsv(db, actors.sencoMeadow), 'FORBIDDEN');
		const csv = await themesCsv(db, actors.pcf);
		expect(csv.split('\n')[0]).toBe('name,description,retired');
		const edited = `${csv.replace('Transport,,no', 'transport,Getting there,no')}Short breaks,,no\n`;
		expect(await importThemes(db, actors.officer, edited)).toEqual({ added: 1, updated: 2 });
		const before = await db.selectFrom('pcf_theme').selectAll().orderBy('id').execute();
		await expectRefusal(importThemes(db, actors.officer, 'name,retired\nNew one,no\n,no\n'), 'BAD_REQUEST', /Line 3/);
		expect(await db.selectFrom('pcf_theme').selectAll().orderBy('id').execute()).toEqual(before);
		expect(before.find((t) => t.id === ids.transport)).toMatchObject({ name: 'Transport', description: 'Getting there' });
		await expectRefusal(importThemes(db, actors.outsider, csv), 'FORBIDDEN');
	});

	it('tells someone adding a theme that the list changed since they opened it', async () => {
		const { addTheme } = await import('../../src/lib/server/pcf/commands');
		const count = (await db.selectFrom('pcf_theme').select('id').execute()).length;
		await expectRefusal(addTheme(db, actors.pcf, { listVersion: 1, name: 'Travel', description: '' }), 'CONFLICT', /changed the theme list/);
		expect(await db.selectFrom('pcf_theme').select('id').execute()).toHaveLength(count);
		const { version } = await db.selectFrom('pcf_theme_list').select('version').executeTakeFirstOrThrow();
		await addTheme(db, actors.pcf, { listVersion: version, name: 'Travel', description: '' });
	});
});

describe('a point added after approval', () => {
	it('takes the position back to the lead, while published answers stand', async () => {
		await addPoint(db, actors.pcf, { bidId: ids.bid, body: 'A named contact for families at each setting.', themeIds: [] });
		const advice = await adviceForBid(db, actors.pcfLead, ids.bid);
		expect(advice.position?.approved_at).toBeNull();
		expect(advice.can.approve).toBe(true);
		expect(advice.points.find((p) => p.id === ids.pointA)?.status).toBe('delivered');
	});
});
