import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/lib/server/errors';
import { createLocality, renameCluster } from '../../src/lib/server/clusters';
import { activityIn, auditRows, cluster, db, ids, liveEventsFor, locality, officer, refused, snapshot, useClustersCounty } from './clusters-fixture';

// Creating and renaming clusters.
useClustersCounty();

describe('creating a locality cluster', () => {
	it('an officer creates one in a district, with an audit entry, an activity line and a live event', async () => {
		const created = await createLocality(db, officer, { districtId: ids.cherwell, name: '  Bicester   North ', reason: 'Agreed at steering group' });
		const row = await cluster(created.id);
		expect(row).toMatchObject({ kind: 'locality', name: 'Bicester North', parent_id: ids.cherwell, status: 'active', version: 1 });

		const [audit] = await auditRows('cluster', created.id);
		expect(audit).toMatchObject({ action: 'cluster.created', actor_id: ids.officer, reason: 'Agreed at steering group' });
		expect(audit.detail).toMatchObject({ after: { name: 'Bicester North', districtId: ids.cherwell } });

		const [activity] = await activityIn(created.id);
		expect(activity).toMatchObject({ actor_id: ids.officer, summary: 'Bicester North locality cluster created in Cherwell' });
		expect(await liveEventsFor(created.id, 'cluster.changed')).toHaveLength(1);
		expect(await liveEventsFor(ids.cherwell, 'cluster.changed')).not.toHaveLength(0);
	});

	it('a name already used by an active locality of the district is a field error, whatever its case', async () => {
		await locality(ids.cherwell, 'Deddington');
		const before = await snapshot();
		const error = await refused(createLocality(db, officer, { districtId: ids.cherwell, name: 'deddington' }), 'BAD_REQUEST');
		expect(error.fieldErrors?.name?.[0]).toBe('There is already an active locality cluster called deddington in Cherwell. Choose a different name.');
		expect(await snapshot()).toEqual(before);
	});

	it('the same name may be used in another district', async () => {
		const created = await createLocality(db, officer, { districtId: ids.vale, name: 'Deddington' });
		expect((await cluster(created.id)).parent_id).toBe(ids.vale);
	});

	it('malformed input comes back field by field and writes nothing', async () => {
		const before = await snapshot();
		const error = await refused(createLocality(db, officer, { districtId: undefined, name: 'x', reason: 'y'.repeat(1001) }), 'BAD_REQUEST');
		expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(['districtId', 'name', 'reason']);
		expect(await snapshot()).toEqual(before);
	});

	it('a locality cannot be created under another locality', async () => {
		const error = await refused(createLocality(db, officer, { districtId: ids.abingdon, name: 'Abingdon South' }), 'BAD_REQUEST');
		expect(error.fieldErrors?.districtId?.[0]).toContain('Abingdon is a locality cluster');
	});
});

describe('renaming a cluster', () => {
	it('an officer renames one: the version goes up and the decision is recorded with before, after and why', async () => {
		const id = await locality(ids.cherwell, 'Bicester S');
		await renameCluster(db, officer, { clusterId: id, name: 'Bicester South', version: 1, reason: 'Spell it out' });
		expect(await cluster(id)).toMatchObject({ name: 'Bicester South', version: 2 });

		const [audit] = await auditRows('cluster', id);
		expect(audit).toMatchObject({ action: 'cluster.renamed', actor_id: ids.officer, reason: 'Spell it out' });
		expect(audit.detail).toMatchObject({ before: { name: 'Bicester S', version: 1 }, after: { name: 'Bicester South', version: 2 } });
		expect((await activityIn(id)).map((a) => a.summary)).toEqual(['Bicester S renamed to Bicester South']);
		const [event] = await liveEventsFor(id, 'cluster.changed');
		expect(event.payload).toEqual({ clusterId: id, version: 2, renamed: true });
	});

	it('a stale version is a CONFLICT that says what the cluster is now called, and nothing changes', async () => {
		const id = await locality(ids.cherwell, 'Heyford');
		await renameCluster(db, officer, { clusterId: id, name: 'Upper Heyford', version: 1, reason: 'Local name' });
		const before = await snapshot();
		const error = await refused(renameCluster(db, officer, { clusterId: id, name: 'Lower Heyford', version: 1, reason: 'Mine' }), 'CONFLICT');
		expect(error.message).toContain('Someone else changed this cluster while you were working on it. It is now called Upper Heyford.');
		expect(await snapshot()).toEqual(before);
	});

	it('renaming to the name of an active sibling is a field error, not a crash', async () => {
		const id = await locality(ids.cherwell, 'Adderbury');
		await locality(ids.cherwell, 'Bloxham');
		const before = await snapshot();
		const error = await refused(renameCluster(db, officer, { clusterId: id, name: 'BLOXHAM', version: 1, reason: 'Join up' }), 'BAD_REQUEST');
		expect(error.fieldErrors?.name?.[0]).toContain('already an active locality cluster called BLOXHAM in Cherwell');
		expect(await snapshot()).toEqual(before);
	});

	it('of two officers renaming at once from the same version, exactly one succeeds and the other is told', async () => {
		const id = await locality(ids.cherwell, 'Launton');
		const results = await Promise.allSettled([
			renameCluster(db, officer, { clusterId: id, name: 'Launton East', version: 1, reason: 'First' }),
			renameCluster(db, officer, { clusterId: id, name: 'Launton West', version: 1, reason: 'Second' })
		]);
		const fulfilled = results.filter((r) => r.status === 'fulfilled');
		const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(fulfilled).toHaveLength(1);
		expect(rejected).toHaveLength(1);
		expect(rejected[0].reason).toBeInstanceOf(DomainError);
		expect((rejected[0].reason as DomainError).code).toBe('CONFLICT');
		const row = await cluster(id);
		expect(row.version).toBe(2);
		expect((rejected[0].reason as DomainError).message).toContain(`It is now called ${row.name}.`);
		expect(await auditRows('cluster', id)).toHaveLength(1);
	});
});
