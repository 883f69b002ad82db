import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/lib/server/errors';
import { clusterForSetUp, clusterHistory, createLocality, mergeLocalities, renameCluster, retireLocality } from '../../src/lib/server/clusters';
import { closeRound, openRound } from '../../src/lib/server/bids/commands';
import { countingStatements } from './statements';
import { activityIn, auditRows, cluster, db, ids, liveEventsFor, locality, officer, refused, setting, settingRow, snapshot, useClustersCounty } from './clusters-fixture';

// Merging and retiring localities, and what happens to a round still open in one.
useClustersCounty();

describe('merging locality clusters', () => {
	it('moves every setting, cluster role and open invitation to the target and retires the source, pointing at it', async () => {
		const source = await locality(ids.cherwell, 'Bicester West');
		const target = await locality(ids.cherwell, 'Bicester East');
		const meadowside = await setting(source, 'Meadowside Primary');
		const brookside = await setting(source, 'Brookside Nursery');
		await db
			.insertInto('cluster_role')
			.values([
				{ user_id: ids.lead, cluster_id: source, role: 'cluster_lead' },
				{ user_id: ids.otherLead, cluster_id: source, role: 'cluster_lead' },
				{ user_id: ids.otherLead, cluster_id: target, role: 'cluster_lead' }
			])
			.execute();
		const invitation = await db
			.insertInto('invitation')
			.values({
				token_hash: `hash-${source}`,
				email: 'new.lead@example.org',
				name: 'New Lead',
				grant_kind: 'cluster',
				role: 'cluster_lead',
				cluster_id: source,
				invited_by: ids.officer,
				expires_at: new Date(Date.now() + 86_400_000)
			})
			.returning('id')
			.executeTakeFirstOrThrow();

		const outcome = await mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: 1, targetVersion: 1, reason: 'Too small alone' });

		expect(await cluster(source)).toMatchObject({ status: 'retired', merged_into_id: target, version: 2 });
		expect((await cluster(source)).retired_at).toBeInstanceOf(Date);
		expect(await cluster(target)).toMatchObject({ status: 'active', version: 2 });
		expect(outcome.targetVersion).toBe(2);
		for (const id of [meadowside, brookside]) expect(await settingRow(id)).toMatchObject({ cluster_id: target, version: 2 });

		const roles = await db.selectFrom('cluster_role').select(['user_id', 'cluster_id']).where('cluster_id', 'in', [source, target]).orderBy('user_id').execute();
		// Lou already led the target, so her identical role on the source is not copied.
		expect(roles).toEqual([
			{ user_id: ids.lead, cluster_id: target },
			{ user_id: ids.otherLead, cluster_id: target }
		]);
		expect((await db.selectFrom('invitation').select('cluster_id').where('id', '=', invitation.id).executeTakeFirstOrThrow()).cluster_id).toBe(target);

		const [audit] = await auditRows('cluster', source);
		expect(audit).toMatchObject({ action: 'cluster.merged', actor_id: ids.officer, reason: 'Too small alone' });
		expect(audit.detail).toMatchObject({
			before: { source: { name: 'Bicester West', status: 'active', version: 1 }, target: { name: 'Bicester East', version: 1 } },
			after: { source: { status: 'retired', mergedIntoId: target, version: 2 }, target: { version: 2 } }
		});
		const [moved] = await auditRows('setting', meadowside);
		expect(moved).toMatchObject({ action: 'setting.moved', actor_id: ids.officer, reason: 'Too small alone' });
		expect(moved.detail).toEqual({
			viaMerge: true,
			summary: 'Moved from Bicester West to Bicester East when the clusters merged',
			before: { clusterId: source, clusterName: 'Bicester West', version: 1 },
			after: { clusterId: target, clusterName: 'Bicester East', version: 2 }
		});
		expect((await auditRows('setting', brookside)).map((a) => a.action)).toEqual(['setting.moved']);

		for (const id of [source, target]) {
			expect((await activityIn(id)).map((a) => a.summary)).toEqual(['Bicester West merged into Bicester East']);
			expect(await liveEventsFor(id, 'cluster.changed')).toHaveLength(1);
		}
		// The merge shows in the target's history too, with who did it and why.
		const { items: history } = await clusterHistory(db, target);
		expect(history[0]).toMatchObject({ action: 'cluster.merged', actorName: 'Olive Officer', reason: 'Too small alone' });
		expect(history[0].summary).toBe('Merged Bicester West into Bicester East (2 settings moved)');
	});

	it('runs the same statements for a locality of 2 settings as for one of 60, with an audit entry for each setting', async () => {
		const statementsToMerge = async (tag: string, count: number) => {
			const source = await locality(ids.cherwell, `Merge ${tag} from`);
			const target = await locality(ids.cherwell, `Merge ${tag} into`);
			const settings = await db
				.insertInto('setting')
				.values(Array.from({ length: count }, (_, i) => ({ urn: `9${tag}${String(i).padStart(4, '0')}`, name: `Merge ${tag} school ${i}`, phase: 'primary' as const, setting_type: 'academy', town: 'Bicester', pupil_count: 100, cluster_id: source })))
				.returning('id')
				.execute();
			const counted = countingStatements(db);
			await mergeLocalities(counted.db, officer, { sourceId: source, targetId: target, sourceVersion: 1, targetVersion: 1, reason: 'Fewer, larger clusters' });
			const audited = await db.selectFrom('audit_log').select('subject_id').where('action', '=', 'setting.moved').where('subject_id', 'in', settings.map((s) => s.id)).execute();
			expect(audited.map((a) => a.subject_id).sort((a, b) => a - b)).toEqual(settings.map((s) => s.id).sort((a, b) => a - b));
			return counted.count();
		};
		const few = await statementsToMerge('61', 2);
		const many = await statementsToMerge('62', 60);
		expect(many).toBe(few);
	});

	it('localities in different districts cannot be merged, and nothing changes', async () => {
		const source = await locality(ids.cherwell, 'Ambrosden');
		await setting(source, 'Ambrosden Primary');
		const before = await snapshot();
		const error = await refused(
			mergeLocalities(db, officer, { sourceId: source, targetId: ids.abingdon, sourceVersion: 1, targetVersion: 1, reason: 'Try it' }),
			'BAD_REQUEST'
		);
		expect(error.fieldErrors?.targetId?.[0]).toContain('Ambrosden and Abingdon are in different districts');
		expect(await snapshot()).toEqual(before);
	});

	it('a locality cannot be merged into itself', async () => {
		const id = await locality(ids.cherwell, 'Bodicote');
		const error = await refused(mergeLocalities(db, officer, { sourceId: id, targetId: id, sourceVersion: 1, targetVersion: 1, reason: 'Oops' }), 'BAD_REQUEST');
		expect(error.fieldErrors?.targetId?.[0]).toContain('cannot be merged into itself');
	});

	it('a stale version of either cluster is a CONFLICT and nothing changes', async () => {
		const source = await locality(ids.cherwell, 'Cropredy');
		const target = await locality(ids.cherwell, 'Wroxton');
		await setting(source, 'Cropredy Primary');
		await renameCluster(db, officer, { clusterId: target, name: 'Wroxton and Balscote', version: 1, reason: 'Wider area' });
		const before = await snapshot();
		const staleTarget = await refused(
			mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: 1, targetVersion: 1, reason: 'Join' }),
			'CONFLICT'
		);
		expect(staleTarget.message).toContain('Someone else changed the locality cluster you chose to merge into');
		expect(staleTarget.message).toContain('It is now called Wroxton and Balscote.');
		await refused(mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: 7, targetVersion: 2, reason: 'Join' }), 'CONFLICT');
		expect(await snapshot()).toEqual(before);
	});

	it('a merged locality tells a late officer where it went', async () => {
		const source = await locality(ids.cherwell, 'Hook Norton');
		const target = await locality(ids.cherwell, 'Sibford');
		await mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: 1, targetVersion: 1, reason: 'Shared staff' });
		const error = await refused(renameCluster(db, officer, { clusterId: source, name: 'Hook Norton Area', version: 1, reason: 'Late' }), 'CONFLICT');
		expect(error.message).toContain('It is now called Hook Norton and has been merged into Sibford.');
	});

	it('of two officers merging two localities into each other at once, exactly one succeeds', async () => {
		const a = await locality(ids.cherwell, 'Steeple Aston');
		const b = await locality(ids.cherwell, 'Middle Barton');
		await setting(a, 'Dr Radcliffe’s School');
		await setting(b, 'Middle Barton School');
		const results = await Promise.allSettled([
			mergeLocalities(db, officer, { sourceId: a, targetId: b, sourceVersion: 1, targetVersion: 1, reason: 'One way' }),
			mergeLocalities(db, officer, { sourceId: b, targetId: a, sourceVersion: 1, targetVersion: 1, reason: 'Other way' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const [failure] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect((failure.reason as DomainError).code).toBe('CONFLICT');
		const statuses = (await Promise.all([cluster(a), cluster(b)])).map((c) => c.status).sort();
		expect(statuses).toEqual(['active', 'retired']);
	});
});

describe('retiring a locality cluster', () => {
	it('an officer retires an empty locality, recording who and why', async () => {
		const id = await locality(ids.cherwell, 'Fringford');
		await retireLocality(db, officer, { clusterId: id, version: 1, reason: 'No schools left' });
		const row = await cluster(id);
		expect(row).toMatchObject({ status: 'retired', version: 2, merged_into_id: null });
		expect(row.retired_at).toBeInstanceOf(Date);
		const [audit] = await auditRows('cluster', id);
		expect(audit).toMatchObject({ action: 'cluster.retired', actor_id: ids.officer, reason: 'No schools left' });
		expect((await activityIn(id)).map((a) => a.summary)).toEqual(['Fringford locality cluster retired']);
		// Its name is free again for a new active locality.
		await createLocality(db, officer, { districtId: ids.cherwell, name: 'Fringford' });
	});

	it('a locality that still has settings cannot be retired: move or merge them first', async () => {
		const id = await locality(ids.cherwell, 'Ardley');
		await setting(id, 'Ardley School');
		const before = await snapshot();
		const error = await refused(retireLocality(db, officer, { clusterId: id, version: 1, reason: 'Tidy up' }), 'BAD_REQUEST');
		expect(error.message).toBe('Ardley still has 1 setting. Move it to another locality cluster, or merge Ardley into another locality cluster, first.');
		expect(await snapshot()).toEqual(before);
	});

	it('a stale version is a CONFLICT and nothing changes', async () => {
		const id = await locality(ids.cherwell, 'Souldern');
		await renameCluster(db, officer, { clusterId: id, name: 'Souldern Village', version: 1, reason: 'Name' });
		const before = await snapshot();
		await refused(retireLocality(db, officer, { clusterId: id, version: 1, reason: 'Close' }), 'CONFLICT');
		expect(await snapshot()).toEqual(before);
	});
});

describe('a locality with a funding round not yet closed', () => {
	const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
	const round = (clusterId: number, name: string) =>
		openRound(db, officer, {
			clusterId,
			name,
			potPence: 1_000_000,
			maxRequestPence: 500_000,
			opensOn: day(0),
			closesOn: day(30),
			guidance: '',
			endorsementRule: 'majority',
			endorsementValue: 0
		});

	it('is not merged: the set-up page says why before the officer confirms, the refusal is on its history, and after closing the round it merges', async () => {
		const source = await locality(ids.cherwell, 'Piddington Green');
		const target = await locality(ids.cherwell, 'Arncott Green');
		const school = await setting(source, 'Launton Primary');
		const roundId = await round(source, 'Launton pooled fund');

		// Before confirming: no merge form, the reason and a link to the round instead.
		const setUp = await clusterForSetUp(db, source);
		expect(setUp.mergeRefusal).toEqual([
			'Piddington Green has a funding round that is not closed (“Launton pooled fund”). Close it first: a cluster cannot be merged while its bids can still be written, endorsed or decided.'
		]);
		expect(setUp.openRounds).toEqual([{ id: roundId, name: 'Launton pooled fund' }]);

		const version = (await cluster(source)).version;
		const targetVersion = (await cluster(target)).version;
		const error = await refused(
			mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: version, targetVersion, reason: 'Villages together' }),
			'BAD_REQUEST'
		);
		expect(error.message).toMatch(/^Piddington Green has a funding round that is not closed/);
		expect(await cluster(source)).toMatchObject({ status: 'active', version });
		expect((await settingRow(school)).cluster_id).toBe(source);
		const { items: history } = await clusterHistory(db, source);
		expect(history[0]).toMatchObject({ action: 'cluster.merge_refused', reason: 'Villages together', actorName: officer.name });
		expect(history[0].summary).toMatch(/Launton pooled fund/);

		await closeRound(db, officer, { roundId, version: 1, reason: 'Round over' });
		expect((await clusterForSetUp(db, source)).mergeRefusal).toEqual([]);
		await mergeLocalities(db, officer, { sourceId: source, targetId: target, sourceVersion: version, targetVersion, reason: 'Villages together' });
		expect(await cluster(source)).toMatchObject({ status: 'retired', merged_into_id: target });
	});

	it('is not retired until its rounds are closed, and the page and history say so', async () => {
		const id = await locality(ids.cherwell, 'Stratton Audley');
		const first = await round(id, 'Stratton fund A');
		const second = await round(id, 'Stratton fund B');
		const setUp = await clusterForSetUp(db, id);
		expect(setUp.retireRefusal).toEqual([
			'Stratton Audley has 2 funding rounds that are not closed (“Stratton fund A”, “Stratton fund B”). Close them first: a cluster cannot be retired while its bids can still be written, endorsed or decided.'
		]);
		const version = (await cluster(id)).version;
		await refused(retireLocality(db, officer, { clusterId: id, version, reason: 'Empty now' }), 'BAD_REQUEST');
		expect((await cluster(id)).status).toBe('active');
		expect((await clusterHistory(db, id)).items[0]).toMatchObject({ action: 'cluster.retire_refused', reason: 'Empty now' });

		await closeRound(db, officer, { roundId: first, version: 1, reason: 'Done' });
		await refused(retireLocality(db, officer, { clusterId: id, version, reason: 'Empty now' }), 'BAD_REQUEST');
		await closeRound(db, officer, { roundId: second, version: 1, reason: 'Done' });
		await retireLocality(db, officer, { clusterId: id, version, reason: 'Empty now' });
		expect((await cluster(id)).status).toBe('retired');
	});

	it('a round cannot be opened in a cluster retired a moment before (the open takes the cluster row)', async () => {
		const id = await locality(ids.cherwell, 'Bucknell');
		await retireLocality(db, officer, { clusterId: id, version: 1, reason: 'Gone' });
		await refused(round(id, 'Too late'), 'FORBIDDEN');
	});
});
