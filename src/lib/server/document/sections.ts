// Per-section optimistic versions: each section of a document keeps its own version in a jsonb
// column (`{ "budget": 3, "need": 1 }`), so two people writing different sections never collide and
// two writing the same one are told, with the other's text, instead of one silently overwriting
// the other. A feature calls `saveSection` inside its command's transaction, after asking the policy.
import { sql, type RawBuilder } from 'kysely';
import { notFound } from '../errors';
import { SectionConflict } from './conflict';

/** Anything a raw query runs on: the database or, as here, the command's transaction. */
export type Executor = Parameters<RawBuilder<unknown>['execute']>[0];

/** Where a document's versions live: its table, the row's id and the two version columns. */
export interface VersionedTable {
	table: string;
	id: number;
	/** Default `id`. */
	idColumn?: string;
	/** The jsonb object of section versions. Default `section_versions`. */
	sectionVersionsColumn?: string;
	/** The whole document's version, bumped on every save (what sign-off checks); null if it has none. Default `version`. */
	versionColumn?: string | null;
	/** For "… could not be found" when the row has gone. Default `That document`. */
	noun?: string;
	/** A timestamptz column set to now() on every bump (`updated_at`), in the same statement; none by default. */
	touchColumn?: string | null;
}

export interface TheirSection {
	/** The section as saved now, as its summary lines (the document's `summary`). */
	lines: string[];
	savedBy?: string | null;
}

export interface SaveSectionOptions<S extends string> extends VersionedTable {
	section: S;
	/** The section's label, for the clash's explanation. */
	label: string;
	/** The section's version the writer started from (a hidden field on the form). */
	expectedVersion: number;
	/** Writes the section's content; runs only when the versions agree, inside the same transaction. */
	write: () => Promise<void>;
	/** Reads the section as saved now, for the writer to merge with; runs only on a clash. */
	theirs: () => Promise<TheirSection>;
}

export interface SavedSection {
	/** The document's version after the save (null when the table keeps none). */
	version: number | null;
	sectionVersion: number;
}

/**
 * Locks the document's row (a no-op if the command already holds the lock), refuses with a
 * `SectionConflict` carrying the other writer's text if the section moved on since the writer
 * loaded it, else writes it and bumps the section's version and the document's.
 */
export async function saveSection<S extends string>(trx: Executor, options: SaveSectionOptions<S>): Promise<SavedSection> {
	const versions = await lockSectionVersions(trx, options);
	// The section name reaches here from a posted form: never let it find Object.prototype's keys.
	const current = Object.hasOwn(versions, options.section) ? versions[options.section] : 0;
	if (current !== options.expectedVersion) {
		const theirs = await options.theirs();
		throw new SectionConflict({
			section: options.section,
			label: options.label,
			version: current,
			theirs: theirs.lines,
			savedBy: theirs.savedBy ?? null
		});
	}
	await options.write();
	const bumped = await bumpSection(trx, options, options.section);
	return { version: bumped.version, sectionVersion: bumped.sectionVersions[options.section] };
}

/** The section versions of the document's row, locked FOR UPDATE until the transaction ends. */
export async function lockSectionVersions(trx: Executor, where: VersionedTable): Promise<Record<string, number>> {
	const { table, id, idColumn = 'id', sectionVersionsColumn = 'section_versions', noun = 'That document' } = where;
	const { rows } = await sql<{ versions: Record<string, number> | null }>`
		select ${sql.ref(sectionVersionsColumn)} as versions from ${sql.table(table)}
		where ${sql.ref(idColumn)} = ${id} for update`.execute(trx);
	if (!rows[0]) throw notFound(noun);
	return rows[0].versions ?? {};
}

export interface BumpedVersions {
	/** The document's version after the bump (null when the table keeps none). */
	version: number | null;
	/** Every section's version after the bump. */
	sectionVersions: Record<string, number>;
}

/**
 * Bumps one section's version and the document's. For a change that is not a section save, such as
 * a partner confirming a pledge, pass the section it touches, so a writer of that section who loaded
 * it before is told; pass null to bump only the document's version.
 */
export async function bumpSection(trx: Executor, where: VersionedTable, section: string | null): Promise<BumpedVersions> {
	const { table, id, idColumn = 'id', sectionVersionsColumn = 'section_versions', versionColumn = 'version' } = where;
	const versions = sql.ref(sectionVersionsColumn);
	const sectionSet =
		section === null
			? sql`${versions} = coalesce(${versions}, '{}'::jsonb)`
			: sql`${versions} = jsonb_set(coalesce(${versions}, '{}'::jsonb), array[${section}::text],
				to_jsonb(coalesce((${versions} ->> ${section}::text)::int, 0) + 1))`;
	const versionSet = versionColumn === null ? sql`` : sql`, ${sql.ref(versionColumn)} = ${sql.ref(versionColumn)} + 1`;
	const versionOut = versionColumn === null ? sql`null::int` : sql.ref(versionColumn);
	const touchSet = where.touchColumn ? sql`, ${sql.ref(where.touchColumn)} = now()` : sql``;
	const { rows } = await sql<{ version: number | null; section_versions: Record<string, number> }>`
		update ${sql.table(table)} set ${sectionSet}${versionSet}${touchSet}
		where ${sql.ref(idColumn)} = ${id}
		returning ${versionOut} as version, ${versions} as section_versions`.execute(trx);
	if (!rows[0]) throw notFound(where.noun ?? 'That document');
	return { version: rows[0].version, sectionVersions: rows[0].section_versions };
}
