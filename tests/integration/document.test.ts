import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { defineDocument } from '../../src/lib/document/define';
import { snapshotHash } from '../../src/lib/document/hash';
import {
	changesSinceFrozen,
	bumpSection,
	freeze,
	readFrozen,
	saveSection,
	SectionConflict,
	sectionConflictData,
	type Executor
} from '../../src/lib/server/document';
import { refuseSection } from '../../src/lib/server/document/form';
import { prefixedIds } from '../../src/lib/server/forms';
import { invalid } from '../../src/lib/server/errors';

// A throwaway document in this file's own database: a visit note with two sections, written by
// two people at once, proving the kit's locking, clash and snapshot rules on real PostgreSQL.
interface VisitNote {
	intro: string;
	plan: string;
}
const visitNote = defineDocument<VisitNote, 'intro' | 'plan'>({
	noun: 'visit note',
	sections: {
		intro: { label: 'Introduction', summary: (note) => (note.intro ? [note.intro] : []) },
		plan: { label: 'Plan', summary: (note) => note.plan.split('\n').filter(Boolean) }
	},
	order: ['intro', 'plan']
});
type Section = keyof VisitNote;

let test: TestDatabase;
let db: Database;

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	await sql`create table visit_note (
		id serial primary key, version integer not null default 1, section_versions jsonb not null default '{}',
		intro text not null default '', plan text not null default '', updated_at timestamptz)`.execute(db);
	await sql`create table visit_note_snapshot (
		note_id integer not null references visit_note, number integer not null, snapshot jsonb not null,
		snapshot_hash text not null, primary key (note_id, number))`.execute(db);
});
afterAll(async () => {
	await test?.close();
});

async function newNote(): Promise<number> {
	const { rows } = await sql<{ id: number }>`insert into visit_note default values returning id`.execute(db);
	return rows[0].id;
}

async function readNote(trx: Executor, id: number): Promise<VisitNote> {
	const { rows } = await sql<VisitNote>`select intro, plan from visit_note where id = ${id}`.execute(trx);
	return rows[0];
}

/** One writer's save of one section in a transaction of its own; `pause` holds the lock a moment. */
function save(id: number, section: Section, text: string, expectedVersion: number, pause = 0) {
	return db.transaction().execute((trx) =>
		saveSection(trx, {
			table: 'visit_note',
			id,
			section,
			label: visitNote.sections[section].label,
			expectedVersion,
			write: async () => {
				await sql`update visit_note set ${sql.ref(section)} = ${text} where id = ${id}`.execute(trx);
				if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
			},
			theirs: async () => ({ lines: visitNote.sections[section].summary(await readNote(trx, id)), savedBy: 'Amira Shah' })
		})
	);
}

const refusalOf = (work: Promise<unknown>) =>
	work.then(
		() => null,
		(error: unknown) => error
	);

describe('saving sections with their own versions', () => {
	it('lets two writers in different sections both save, each section and the document moving on', async () => {
		const id = await newNote();
		const [intro, plan] = await Promise.all([save(id, 'intro', 'Visited Year 3', 0, 100), save(id, 'plan', 'Speech therapy\nReview in May', 0)]);
		expect(intro.sectionVersion).toBe(1);
		expect(plan.sectionVersion).toBe(1);
		expect([intro.version, plan.version].sort()).toEqual([2, 3]);
		expect(await readNote(db, id)).toEqual({ intro: 'Visited Year 3', plan: 'Speech therapy\nReview in May' });
	});

	it('refuses the second writer of the same section with the first writer’s saved text to merge', async () => {
		const id = await newNote();
		// The first holds the row while the second arrives, so the second waits for it, then sees its save.
		const first = save(id, 'plan', 'Speech therapy', 0, 150);
		await new Promise((resolve) => setTimeout(resolve, 30));
		const second = refusalOf(save(id, 'plan', 'Sensory room', 0));
		await expect(first).resolves.toEqual({ version: 2, sectionVersion: 1 });
		const refusal = await second;
		expect(refusal).toBeInstanceOf(SectionConflict);
		expect((refusal as SectionConflict).code).toBe('CONFLICT');
		expect((refusal as SectionConflict).message).toMatch(/Someone else saved “Plan” while you were editing/);
		expect(sectionConflictData(refusal)).toEqual({ section: 'plan', label: 'Plan', version: 1, theirs: ['Speech therapy'], savedBy: 'Amira Shah' });
		// Nothing of the refused save was written.
		expect((await readNote(db, id)).plan).toBe('Speech therapy');
	});

	it('lets the refused writer save once they start from the other’s version', async () => {
		const id = await newNote();
		await save(id, 'plan', 'Speech therapy', 0);
		expect(await refusalOf(save(id, 'plan', 'Sensory room', 0))).toBeInstanceOf(SectionConflict);
		await expect(save(id, 'plan', 'Speech therapy\nSensory room', 1)).resolves.toEqual({ version: 3, sectionVersion: 2 });
	});

	it('tells a writer of a section changed by something other than a save (a confirmation) to merge', async () => {
		const id = await newNote();
		await save(id, 'intro', 'Visited Year 3', 0);
		await expect(bumpSection(db, { table: 'visit_note', id }, 'plan')).resolves.toEqual({ version: 3, sectionVersions: { intro: 1, plan: 1 } });
		expect(await refusalOf(save(id, 'plan', 'Speech therapy', 0))).toBeInstanceOf(SectionConflict);
		// Bumping only the document leaves every section where it was.
		await expect(bumpSection(db, { table: 'visit_note', id }, null)).resolves.toEqual({ version: 4, sectionVersions: { intro: 1, plan: 1 } });
		await expect(save(id, 'plan', 'Speech therapy', 1)).resolves.toEqual({ version: 5, sectionVersion: 2 });
	});

	it('marks when the document was last changed, in the same statement, when asked to', async () => {
		const id = await newNote();
		const updatedAt = async () => (await sql<{ updated_at: Date | null }>`select updated_at from visit_note where id = ${id}`.execute(db)).rows[0].updated_at;
		await bumpSection(db, { table: 'visit_note', id }, 'plan');
		expect(await updatedAt()).toBeNull();
		await bumpSection(db, { table: 'visit_note', id, touchColumn: 'updated_at' }, null);
		expect(await updatedAt()).toBeInstanceOf(Date);
	});

	it('answers a clash on a form with 409, the typing kept and the summary linking to the two versions', async () => {
		const id = await newNote();
		await save(id, 'plan', 'Speech therapy', 0);
		const clash = await refusalOf(save(id, 'plan', 'Sensory room', 0));
		const { status, data } = refuseSection(clash, 'save', { plan: 'Sensory room' }, prefixedIds('save', ['plan']));
		expect(status).toBe(409);
		expect(data).toMatchObject({ form: 'save', message: '', conflict: true, values: { plan: 'Sensory room' } });
		expect(data.errors).toEqual({ 'save-conflict': [expect.stringMatching(/Someone else saved “Plan”/)] });
		expect(data.sectionConflict).toMatchObject({ version: 1, theirs: ['Speech therapy'] });
	});

	it('answers any other refusal as refuseForm does, with no clash', () => {
		const { status, data } = refuseSection(invalid('Write the plan', { plan: ['Write the plan'] }), 'save', { plan: '' }, prefixedIds('save', ['plan']));
		expect(status).toBe(400);
		expect(data).toMatchObject({ errors: { 'save-plan': ['Write the plan'] }, conflict: false, sectionConflict: null });
	});

	it('counts a section name that only Object.prototype knows as never saved', async () => {
		const id = await newNote();
		const saved = await db.transaction().execute((trx) =>
			saveSection(trx, { table: 'visit_note', id, section: 'constructor', label: 'x', expectedVersion: 0, write: async () => {}, theirs: async () => ({ lines: [] }) })
		);
		expect(saved).toEqual({ version: 2, sectionVersion: 1 });
	});

	it('says the document could not be found when its row has gone', async () => {
		const refusal = await refusalOf(save(999_999, 'intro', 'Nobody', 0));
		expect(refusal).toMatchObject({ code: 'NOT_FOUND' });
	});
});

describe('frozen snapshots', () => {
	const where = { table: 'visit_note_snapshot', hashColumn: 'snapshot_hash' };

	it('stores the signed-off content with a hash that is stable and changes when the content does', async () => {
		const id = await newNote();
		const signed: VisitNote = { intro: 'Visited Year 3', plan: 'Speech therapy' };
		const { hash } = await freeze(db, { ...where, values: { note_id: id, number: 1 }, content: signed });
		expect(hash).toBe(snapshotHash({ plan: 'Speech therapy', intro: 'Visited Year 3' }));
		const frozen = await readFrozen<VisitNote>(db, { ...where, key: { note_id: id, number: 1 } });
		expect(frozen).toEqual({ content: signed, hash, intact: true });

		const changed = await freeze(db, { ...where, values: { note_id: id, number: 2 }, content: { ...signed, plan: 'Sensory room' } });
		expect(changed.hash).not.toBe(hash);
	});

	it('notices a stored snapshot edited after it was frozen', async () => {
		const id = await newNote();
		await freeze(db, { ...where, values: { note_id: id, number: 1 }, content: { intro: 'A', plan: 'B' } });
		await sql`update visit_note_snapshot set snapshot = jsonb_set(snapshot, '{plan}', '"C"') where note_id = ${id}`.execute(db);
		expect((await readFrozen<VisitNote>(db, { ...where, key: { note_id: id, number: 1 } }))?.intact).toBe(false);
	});

	it('says what changed since an endorsed snapshot, and nothing when it is the same', async () => {
		const id = await newNote();
		const endorsed: VisitNote = { intro: 'Visited Year 3', plan: 'Speech therapy\nReview in May' };
		await freeze(db, { ...where, values: { note_id: id, number: 1 }, content: endorsed });
		const key = { ...where, key: { note_id: id, number: 1 } };

		const since = await changesSinceFrozen(db, visitNote, key, { ...endorsed, plan: 'Speech therapy\nReview in June' });
		expect(since).toEqual({
			unchanged: false,
			changes: [
				{
					section: 'plan',
					label: 'Plan',
					before: ['Speech therapy', 'Review in May'],
					after: ['Speech therapy', 'Review in June'],
					removed: ['Review in May'],
					added: ['Review in June']
				}
			]
		});
		expect(await changesSinceFrozen(db, visitNote, key, { ...endorsed })).toEqual({ unchanged: true, changes: [] });
		expect(await changesSinceFrozen(db, visitNote, { ...where, key: { note_id: id, number: 9 } }, endorsed)).toBeNull();
	});
});
