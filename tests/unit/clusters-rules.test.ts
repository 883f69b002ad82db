import { describe, expect, it } from 'vitest';
import {
	canCreateLocalityIn,
	canMerge,
	canMoveSetting,
	canRename,
	canRetire,
	clusterChangedMessage,
	nameTakenMessage,
	planRoleMerge,
	settingChangedMessage,
	type ClusterFacts
} from '../../src/lib/server/clusters/rules';
import { createLocalitySchema, mergeLocalitiesSchema, moveSettingSchema, renameClusterSchema, retireLocalitySchema } from '../../src/lib/schemas/clusters';
import { fieldErrorsOf as fieldErrors } from '../../src/lib/server/input';

const cherwell: ClusterFacts = { id: 1, name: 'Cherwell', kind: 'district', status: 'active', parentId: null };
const vale: ClusterFacts = { id: 2, name: 'Vale of White Horse', kind: 'district', status: 'active', parentId: null };
const locality = (id: number, name: string, parentId = cherwell.id, status = 'active'): ClusterFacts => ({
	id,
	name,
	kind: 'locality',
	status,
	parentId
});
const banbury = locality(10, 'Banbury');
const bicester = locality(11, 'Bicester');
const kidlington = locality(12, 'Kidlington', cherwell.id, 'retired');
const abingdon = locality(20, 'Abingdon', vale.id);

const reasonsOf = (result: { allowed: boolean; reasons?: string[] }) => (result.allowed ? [] : (result.reasons ?? []));

describe('canMerge', () => {
	it('allows two active localities of the same district', () => {
		expect(canMerge(banbury, bicester)).toEqual({ allowed: true });
	});

	it('refuses merging a locality into itself', () => {
		expect(reasonsOf(canMerge(banbury, banbury))).toEqual(['Choose a different locality cluster: one cannot be merged into itself.']);
	});

	it('refuses localities of different districts and says how to change district instead', () => {
		const reasons = reasonsOf(canMerge(banbury, abingdon));
		expect(reasons).toHaveLength(1);
		expect(reasons[0]).toContain('Banbury and Abingdon are in different districts');
		expect(reasons[0]).toContain('move settings one by one');
	});

	it('refuses a retired source or target', () => {
		expect(reasonsOf(canMerge(kidlington, banbury))).toEqual(['Kidlington has already been retired.']);
		expect(reasonsOf(canMerge(banbury, kidlington))).toEqual(['Kidlington has been retired, so nothing can be merged into it.']);
	});

	it('refuses district clusters', () => {
		expect(reasonsOf(canMerge(cherwell, vale))[0]).toContain('Only locality clusters can be merged');
	});
});

describe('canRetire', () => {
	it('allows an active locality with no settings', () => {
		expect(canRetire(banbury, 0)).toEqual({ allowed: true });
	});

	it('refuses a locality that still has settings and says to move or merge them first', () => {
		expect(reasonsOf(canRetire(banbury, 3))).toEqual([
			'Banbury still has 3 settings. Move them to another locality cluster, or merge Banbury into another locality cluster, first.'
		]);
		expect(reasonsOf(canRetire(banbury, 1))[0]).toContain('still has 1 setting.');
	});

	it('refuses a district or an already retired locality', () => {
		expect(reasonsOf(canRetire(cherwell, 0))[0]).toContain('Only locality clusters can be retired');
		expect(reasonsOf(canRetire(kidlington, 0))).toEqual(['Kidlington has already been retired.']);
	});
});

describe('canRename and canCreateLocalityIn', () => {
	it('allows renaming an active cluster of either kind but not a retired one', () => {
		expect(canRename(banbury).allowed).toBe(true);
		expect(canRename(cherwell).allowed).toBe(true);
		expect(reasonsOf(canRename(kidlington))[0]).toContain('has been retired');
	});

	it('adds localities only under an active district', () => {
		expect(canCreateLocalityIn(cherwell).allowed).toBe(true);
		expect(reasonsOf(canCreateLocalityIn(banbury))[0]).toContain('Banbury is a locality cluster');
		expect(reasonsOf(canCreateLocalityIn({ ...cherwell, status: 'retired' }))[0]).toContain('has been retired');
	});
});

describe('canMoveSetting', () => {
	it('allows moving to an active locality anywhere in the county', () => {
		expect(canMoveSetting('Meadowside Primary', banbury, bicester).allowed).toBe(true);
		expect(canMoveSetting('Meadowside Primary', banbury, abingdon).allowed).toBe(true);
	});

	it('refuses moving to where the setting already is, to a district or to a retired locality', () => {
		expect(reasonsOf(canMoveSetting('Meadowside Primary', banbury, banbury))[0]).toBe(
			'Meadowside Primary is already in Banbury. Choose a different locality cluster.'
		);
		expect(reasonsOf(canMoveSetting('Meadowside Primary', banbury, vale))[0]).toContain('is a district');
		expect(reasonsOf(canMoveSetting('Meadowside Primary', banbury, kidlington))[0]).toContain('Kidlington has been retired');
	});
});

describe('planRoleMerge', () => {
	it('moves roles the target lacks and skips a person’s identical role held there already', () => {
		const plan = planRoleMerge(
			[
				{ id: 1, userId: 7, role: 'cluster_lead' },
				{ id: 2, userId: 8, role: 'cluster_lead' }
			],
			[{ userId: 7, role: 'cluster_lead' }]
		);
		expect(plan.move.map((r) => r.id)).toEqual([2]);
		expect(plan.duplicates.map((r) => r.id)).toEqual([1]);
	});
});

describe('conflict messages', () => {
	it('say someone else changed it and what it is now', () => {
		expect(clusterChangedMessage({ name: 'Bicester North', status: 'active', version: 3 })).toBe(
			'Someone else changed this cluster while you were working on it. It is now called Bicester North. ' +
				'The page now shows the latest details: check them and try again.'
		);
		expect(clusterChangedMessage({ name: 'Bicester North', status: 'retired', version: 4, mergedIntoName: 'Bicester' })).toContain(
			'It is now called Bicester North and has been merged into Bicester.'
		);
		expect(clusterChangedMessage({ name: 'Kidlington', status: 'retired', version: 2 })).toContain('and has been retired.');
		expect(settingChangedMessage('Meadowside Primary', 'Bicester')).toContain('Someone else changed Meadowside Primary');
		expect(settingChangedMessage('Meadowside Primary', 'Bicester')).toContain('It is now in Bicester.');
	});

	it('say which name is taken, and where', () => {
		expect(nameTakenMessage('Banbury', 'Cherwell')).toBe(
			'There is already an active locality cluster called Banbury in Cherwell. Choose a different name.'
		);
	});
});

describe('cluster schemas', () => {
	it('trim names and collapse inner spaces', () => {
		const parsed = createLocalitySchema.parse({ districtId: 1, name: '  Bicester   North ' });
		expect(parsed.name).toBe('Bicester North');
	});

	it('give field-by-field errors for a missing district, a short name and a long reason', () => {
		const result = createLocalitySchema.safeParse({ districtId: undefined, name: ' B ', reason: 'x'.repeat(1001) });
		expect(result.success).toBe(false);
		if (result.success) return;
		const errors = fieldErrors(result.error);
		expect(errors.districtId).toEqual(['Choose the district the locality cluster belongs to']);
		expect(errors.name).toEqual(['Name must be at least 2 characters']);
		expect(errors.reason).toEqual(['Reason must be 1000 characters or fewer']);
	});

	it('refuse a name over 80 characters and an empty one', () => {
		const long = renameClusterSchema.safeParse({ clusterId: 1, name: 'x'.repeat(81), version: 1, reason: 'Tidy' });
		expect(long.success).toBe(false);
		if (!long.success) expect(fieldErrors(long.error).name).toEqual(['Name must be 80 characters or fewer']);
		const empty = renameClusterSchema.safeParse({ clusterId: 1, name: '   ', version: 1, reason: 'Tidy' });
		if (!empty.success) expect(fieldErrors(empty.error).name?.[0]).toBe('Enter a name for the locality cluster');
		expect(empty.success).toBe(false);
	});

	it('require a reason to rename, merge, retire or move', () => {
		const cases = [
			renameClusterSchema.safeParse({ clusterId: 1, name: 'Banbury', version: 1, reason: '  ' }),
			mergeLocalitiesSchema.safeParse({ sourceId: 1, targetId: 2, sourceVersion: 1, targetVersion: 1, reason: '' }),
			retireLocalitySchema.safeParse({ clusterId: 1, version: 1 }),
			moveSettingSchema.safeParse({ settingId: 1, toClusterId: 2, version: 1, reason: '' })
		];
		for (const result of cases) {
			expect(result.success).toBe(false);
			if (!result.success) expect(fieldErrors(result.error).reason?.[0]).toMatch(/^Enter why you are/);
		}
	});

	it('refuse merging a locality into itself as an error on the target field', () => {
		const result = mergeLocalitiesSchema.safeParse({ sourceId: 4, targetId: 4, sourceVersion: 1, targetVersion: 1, reason: 'Same' });
		expect(result.success).toBe(false);
		if (!result.success) expect(fieldErrors(result.error).targetId?.[0]).toContain('cannot be merged into itself');
	});

	it('treat a non-numeric id or version from a form as a field error, not a crash', () => {
		const result = moveSettingSchema.safeParse({ settingId: Number('abc'), toClusterId: Number(''), version: Number.NaN, reason: 'x' });
		expect(result.success).toBe(false);
		if (!result.success) {
			const errors = fieldErrors(result.error);
			expect(errors.settingId).toEqual(['Choose the setting to move']);
			expect(errors.toClusterId).toEqual(['Choose the locality cluster to move the setting to']);
			expect(errors.version).toEqual(['This page is out of date. Reload it and try again.']);
		}
	});
});
