import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/auth/actor';
import { workspaceFlaggedCases, WORKSPACE_FLAGS_SHOWN } from '../../src/lib/server/disputes';
import { cast, disputePeople, insertCase, twoDistricts } from './disputes-fixture';

// The district workspace's panel of flagged dispute cases against a real PostgreSQL: the district's
// SENDIASS officers see the flagged cases by reference, soonest due first, capped with the total;
// nobody else (the school's head and SENCO, a PCF representative, a panel member, a council officer,
// another district's officer) gets the panel or its count, and a locality workspace has none.

let test: TestDatabase;
let db: Database;
const ids = { cherwell: 0, oxford: 0, banbury: 0, school: 0 };
let people: Record<'sendiass' | 'oxfordSendiass' | 'head' | 'senco' | 'pcfRep' | 'member' | 'councilOfficer', Actor>;

const cherwell = () => ({ id: ids.cherwell, name: 'Cherwell', kind: 'district' as const });

/** A Cherwell case (with the child's initials, which the panel must never show), flagged as told. */
async function flaggedCase(flags: { key: string; level: 'approaching' | 'past'; due: string }[], districtId = ids.cherwell): Promise<{ id: number; reference: string }> {
	const row = await insertCase(db, ids, { district_id: districtId, child_initials: 'QZ', tried: 'A meeting with Mrs Allen' });
	if (flags.length) await db.insertInto('dispute_flag').values(flags.map((f) => ({ case_id: row.id, district_id: districtId, key: f.key, level: f.level, what: `Target ${f.key}`, due_on: f.due }))).execute();
	return row;
}

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	Object.assign(ids, await twoDistricts(db, '910501'));
	people = await disputePeople(db, ids, cast('sendiass', 'oxfordSendiass', 'head', 'senco', 'pcfRep', 'member', 'councilOfficer'));
});

afterAll(async () => {
	await test?.close();
});

describe('flagged dispute cases in the district workspace', () => {
	it('shows the district’s SENDIASS officer the flagged cases by reference, soonest due first, and none that are not flagged', async () => {
		const later = await flaggedCase([{ key: 'target_meeting', level: 'approaching', due: '2026-12-20' }]);
		const sooner = await flaggedCase([
			{ key: 'tribunal', level: 'approaching', due: '2026-12-30' },
			{ key: 'mediation', level: 'past', due: '2026-11-30' }
		]);
		await flaggedCase([]);
		await flaggedCase([{ key: 'target_meeting', level: 'past', due: '2026-11-01' }], ids.oxford);

		const panel = await workspaceFlaggedCases(db, people.sendiass, cherwell());
		expect(panel).toEqual({
			total: 2,
			cases: [
				{ id: sooner.id, reference: sooner.reference, level: 'past', what: 'Target mediation', due: '2026-11-30', flagCount: 2 },
				{ id: later.id, reference: later.reference, level: 'approaching', what: 'Target target_meeting', due: '2026-12-20', flagCount: 1 }
			]
		});
		// References and what is due only: nothing about the child or the family.
		expect(JSON.stringify(panel)).not.toMatch(/QZ|Allen|Year 4/);
	});

	it('gives nobody else the panel or its count: the school’s staff, the forum, a panel member, the council, another district’s officer, nobody signed in', async () => {
		for (const who of ['oxfordSendiass', 'head', 'senco', 'pcfRep', 'member', 'councilOfficer'] as const) {
			expect(await workspaceFlaggedCases(db, people[who], cherwell()), who).toBeNull();
		}
		expect(await workspaceFlaggedCases(db, null, cherwell())).toBeNull();
		// Oxford's officer sees Oxford's own flagged case, not Cherwell's.
		const oxford = await workspaceFlaggedCases(db, people.oxfordSendiass, { id: ids.oxford, name: 'Oxford', kind: 'district' });
		expect(oxford?.total).toBe(1);
		expect(oxford?.cases.map((c) => [c.level, c.due])).toEqual([['past', '2026-11-01']]);
		// A locality workspace has no panel, even for the officer.
		expect(await workspaceFlaggedCases(db, people.sendiass, { id: ids.banbury, name: 'Banbury', kind: 'locality' })).toBeNull();
	});

	it('lists at most a page of them and gives the total, for the link to the case list’s filter', async () => {
		for (let i = 0; i < WORKSPACE_FLAGS_SHOWN + 2; i++) await flaggedCase([{ key: 'target_outcome', level: 'approaching', due: `2027-01-${String(10 + i).padStart(2, '0')}` }]);
		const panel = await workspaceFlaggedCases(db, people.sendiass, cherwell());
		expect(panel?.cases).toHaveLength(WORKSPACE_FLAGS_SHOWN);
		expect(panel?.total).toBe(WORKSPACE_FLAGS_SHOWN + 4);
		expect(panel?.cases.map((c) => c.due)).toEqual([...(panel?.cases.map((c) => c.due) ?? [])].sort());
	});
});
