import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { transact, type Work } from '../../work';
import { conflict, invalid } from '../../errors';
import { themeSchema } from '$lib/schemas/pcf';
import { themesFromCsv } from '../rules';

// The theme list the forum and officers keep together, shared with OxPCF's tracker through CSV.

const THEMES_SUBJECT = { type: 'pcf_theme_list', id: 1 };

/**
 * Locks the list and moves its version on. With the version the page showed (adding one theme),
 * a change since is a 409: the theme may already be there under another name. An import
 * replaces by name, so it needs none.
 */
async function lockThemeList(trx: Work['trx'], seen: number | null): Promise<void> {
	const list = await trx.selectFrom('pcf_theme_list').select('version').where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
	if (seen !== null && list.version !== seen) {
		throw conflict('Someone else changed the theme list while you were adding to it. Check the list: the theme may be there already.');
	}
	await trx.updateTable('pcf_theme_list').set({ version: list.version + 1 }).where('id', '=', 1).execute();
}

export async function addTheme(db: Database, actor: Actor, raw: unknown): Promise<{ id: number }> {
	assertCan(actor, { action: 'pcf.themes.manage' });
	const input = parseInput(themeSchema, raw);
	return transact(db, actor.id, async (work) => {
		await lockThemeList(work.trx, input.listVersion);
		const row = await work.trx
			.insertInto('pcf_theme')
			.values({ name: input.name, description: input.description })
			.onConflict((oc) => oc.expression(sql`lower(name)`).doNothing())
			.returning('id')
			.executeTakeFirst();
		if (!row) throw invalid(`There is already a theme called ${input.name}`, { name: [`There is already a theme called ${input.name}`] });
		await work.record({ action: 'pcf.theme_added', subject: { type: 'pcf_theme', id: row.id }, summary: `added the theme ${input.name}` });
		return row;
	});
}

/**
 * Imports OxPCF's tracker export: new names are added, known names (any case) take the file's
 * description and retired flag. One statement however long the file; a file with any problem
 * changes nothing and names each line.
 */
export async function importThemes(db: Database, actor: Actor, csv: string): Promise<{ added: number; updated: number }> {
	assertCan(actor, { action: 'pcf.themes.manage' });
	if (csv.length > 200_000) throw invalid('The file is too large: a theme list fits in 200 KB.', { file: ['Choose a smaller file'] });
	const reading = themesFromCsv(csv);
	if (!reading.ok) throw invalid(reading.problems[0], { file: reading.problems.slice(0, 20) });
	return transact(db, actor.id, async (work) => {
		await lockThemeList(work.trx, null);
		const rows = await sql<{ inserted: boolean }>`
			insert into pcf_theme (name, description, retired)
			select * from unnest(${reading.themes.map((t) => t.name)}::text[], ${reading.themes.map((t) => t.description)}::text[], ${reading.themes.map((t) => t.retired)}::boolean[])
			on conflict (lower(name)) do update set description = excluded.description, retired = excluded.retired, version = pcf_theme.version + 1
			returning (xmax = 0) as inserted`.execute(work.trx);
		const added = rows.rows.filter((r) => r.inserted).length;
		const updated = rows.rows.length - added;
		await work.record({ action: 'pcf.themes_imported', subject: THEMES_SUBJECT, summary: `imported the theme list: ${added} added, ${updated} updated` });
		return { added, updated };
	});
}
