import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { notFound } from '../../errors';
import { assertCan, can, isCountyStaff } from '../../policy';
import { auditEntries, auditEntryOf, auditHistory } from '../../audit';
import { districtPage } from '../../workspace/queries';
import { idAmong, idWindow, keysetPage, type Cursor, type Keyset, type KeyKind } from '../../paging';
import { textMatches } from '../../search';
import { ukToday } from '$lib/dates';
import { missingBySection } from '$lib/document';
import { movesFrom } from '$lib/capital/flow';
import { PROCESS_SECTIONS } from '$lib/capital/applications/document';
import { CAPACITY_LABELS, type DistrictNeed } from '$lib/capital/applications/model';
import type { RegisterStatus } from '$lib/capital/flow';
import { loadApplication, signerSettings } from './access';
import { applicationMissing, applicationWarnings } from './checks';
import { signaturesNeeded } from './rules';
import { evidenceList } from './commands/files';
import { submissionFacts } from './commands/writing';

// What the application pages and the API read. Each asks the policy first.

export const REGISTER_PAGE_SIZE = 25;
export const APPLICATIONS_PAGE_SIZE = 25;

/** A district's need figures (zeros until an officer keeps them); null for no such cluster. */
export async function districtNeed(db: Database, districtId: number): Promise<DistrictNeed | null> {
	return (await districtNeeds(db, [districtId]))[0] ?? null;
}

/** Several districts' need figures in one read, in the order of `districtIds`. */
async function districtNeeds(db: Database, districtIds: number[]): Promise<DistrictNeed[]> {
	if (districtIds.length === 0) return [];
	const rows = await db
		.selectFrom('cluster as c')
		.leftJoin('capital_district_need as n', 'n.district_id', 'c.id')
		.select(['c.id', 'c.name', 'n.forecast_demand', 'n.planned_places', 'n.out_of_area', 'n.independent', 'n.need_mix', 'n.as_of', 'n.version'])
		.where('c.id', 'in', districtIds)
		.execute();
	const byId = new Map(
		rows.map((row) => [
			row.id,
			{
				districtId: row.id,
				districtName: row.name,
				forecastDemand: row.forecast_demand ?? 0,
				plannedPlaces: row.planned_places ?? 0,
				outOfArea: row.out_of_area ?? 0,
				independent: row.independent ?? 0,
				needMix: row.need_mix ?? {},
				asOf: row.as_of,
				version: row.version ?? 0
			}
		])
	);
	return districtIds.flatMap((id) => byId.get(id) ?? []);
}

/** Everything the overview, section and check pages show about one application. */
export async function applicationDetail(db: Database, actor: Actor, id: number) {
	const { row, ref } = await loadApplication(db, id);
	assertCan(actor, { action: 'capital.application.view', application: ref });
	const [facts, settings, signatures, evidence, need, history, round] = await Promise.all([
		submissionFacts(db, row, ref),
		signerSettings(db, ref),
		db
			.selectFrom('capital_application_signature as s')
			.innerJoin('app_user as u', 'u.id', 's.signed_by')
			.innerJoin('setting as t', 't.id', 's.setting_id')
			.select(['s.id', 's.setting_id', 't.name as setting_name', 's.capacity', 's.signed_for_name', 's.application_version', 's.signed_at', 'u.name as signed_by'])
			.where('s.application_id', '=', id)
			.orderBy('s.id', 'desc')
			.limit(50)
			.execute(),
		evidenceList(db, actor, id),
		districtNeed(db, row.district_id),
		auditHistory(db, { subjects: [{ type: 'capital_application', ids: [id] }] }, 100),
		db.selectFrom('capital_round').select(['id', 'name', 'status', 'closes_on']).where('id', '=', row.round_id).executeTakeFirstOrThrow()
	]);
	const missing = applicationMissing(id, row.content, facts);
	const mayEdit = can(actor, { action: 'capital.application.edit', application: ref }).allowed;
	const officer = can(actor, { action: 'capital.application.officer', application: ref }).allowed;
	const needed = signaturesNeeded(settings).map((n) => {
		const setting = settings.find((s) => s.id === n.settingId)!;
		const given = signatures.find((s) => s.setting_id === n.settingId && s.capacity === n.capacity && s.application_version === row.version);
		const decision = can(actor, { action: 'capital.application.sign', application: ref, setting, as: n.capacity });
		return { ...n, signed: given ? { by: given.signed_by, forName: given.signed_for_name, at: given.signed_at.toISOString() } : null, maySign: decision.allowed, refusal: decision.allowed ? null : decision.reason };
	});
	return {
		application: {
			id: row.id,
			reference: row.reference,
			title: row.title,
			stage: row.stage,
			process: row.process,
			lineName: row.line_name,
			version: row.version,
			sectionVersions: row.section_versions,
			submissionNo: row.submission_no,
			submittedAt: row.submitted_at?.toISOString() ?? null,
			places: row.places,
			requestedPence: row.requested_pence,
			band: row.band,
			openingYear: row.opening_year,
			districtId: row.district_id
		},
		content: row.content,
		round: { ...round, accepting: round.status === 'open' && round.closes_on >= ukToday() },
		sections: PROCESS_SECTIONS[row.process],
		settings: settings.map((s) => ({ id: s.id, name: s.name })),
		missing,
		missingBySection: missingBySection(missing),
		warnings: applicationWarnings(row.content, facts),
		signatures: needed,
		signatureHistory: signatures.map((s) => ({ ...s, capacity: CAPACITY_LABELS[s.capacity], signed_at: s.signed_at.toISOString() })),
		files: evidence.files,
		filesWithheld: evidence.withheld,
		need,
		timeline: history.map((e) => ({ id: e.id, action: e.action, at: e.at, who: e.actorName, reason: e.reason, detail: e.detail })),
		can: {
			edit: mayEdit,
			withdraw: can(actor, { action: 'capital.application.withdraw', application: ref }).allowed && movesFrom(row.process, row.stage).includes('withdraw'),
			officer,
			moves: officer ? movesFrom(row.process, row.stage).filter((m) => ['ask_for_information', 'start_assessment', ...(row.process === 'rollout' ? ['approve', 'defer', 'start_delivery', 'open'] : [])].includes(m)) : []
		}
	};
}
export type ApplicationDetail = Awaited<ReturnType<typeof applicationDetail>>;

/**
 * The applications a person may see, newest first, a page at a time: an officer sees every one;
 * setting staff their settings'; district cluster leads and PCF representatives their district's
 * once submitted.
 */
export const APPLICATIONS_KEY: KeyKind[] = ['int'];

export async function applicationsPage(db: Database, actor: Actor, cursor: Cursor | null) {
	const settingIds = actor.settingRoles.map((r) => r.settingId);
	const districtIds = actor.clusterRoles.filter((r) => r.role === 'cluster_lead' || r.role === 'pcf_rep').map((r) => r.clusterId);
	const staff = isCountyStaff(actor);
	const query = db
		.selectFrom('capital_application as a')
		.innerJoin('setting as s', 's.id', 'a.setting_id')
		.innerJoin('capital_line as l', 'l.id', 'a.line_id')
		.select(['a.id', 'a.reference', 'a.title', 'a.stage', 'a.places', 'a.requested_pence', 's.name as setting_name', 'l.name as line_name']);
	const byId: Keyset<{ id: number }> = { order: [sql`a.id`], direction: 'desc', keyOf: (row) => [row.id], cursor, size: APPLICATIONS_PAGE_SIZE };
	if (staff) return keysetPage(query, byId);
	// Their settings' (lead or partner) and their districts' submitted ones, each read a page at a time.
	const visible = (from: Cursor | null) =>
		query.where(
			idAmong('a.id', [
				...(settingIds.length
					? [
							idWindow(db.selectFrom('capital_application as own').select('own.id').where('own.setting_id', 'in', settingIds), 'own.id', byId, from),
							idWindow(db.selectFrom('capital_application_setting as c').select('c.application_id as id').where('c.setting_id', 'in', settingIds), 'c.application_id', byId, from)
						]
					: []),
				...(districtIds.length
					? [idWindow(db.selectFrom('capital_application as d').select('d.id').where('d.district_id', 'in', districtIds).where('d.stage', '!=', 'draft'), 'd.id', byId, from)]
					: [])
			])
		);
	return keysetPage(visible, byId);
}

/** What a person may start: open rounds' lines, and their own settings of a kind each line takes. */
export async function startOptions(db: Database, actor: Actor) {
	const settingIds = actor.settingRoles.map((r) => r.settingId);
	if (settingIds.length === 0) return { choices: [] };
	const rows = await db
		.selectFrom('capital_round as r')
		.innerJoin('capital_round_line as rl', 'rl.round_id', 'r.id')
		.innerJoin('capital_line as l', 'l.id', 'rl.line_id')
		.innerJoin('setting as s', (join) => join.on('s.id', 'in', settingIds).on(sql<boolean>`s.setting_type = any(l.eligible_setting_types)`))
		.select(['r.id as round_id', 'r.name as round_name', 'r.closes_on', 'l.id as line_id', 'l.name as line_name', 'l.process', 's.id as setting_id', 's.name as setting_name'])
		.where('r.status', '=', 'open')
		.where('r.closes_on', '>=', ukToday())
		.orderBy('r.closes_on')
		.orderBy('l.name')
		.orderBy('s.name')
		.limit(100)
		.execute();
	return { choices: rows };
}

/** The rollout register, by school name, searched and filtered, a page at a time. */
export const REGISTER_KEY: KeyKind[] = ['text', 'int'];

export async function registerPage(db: Database, actor: Actor, filter: { search: string; districtId: number | null; status: RegisterStatus | null }, cursor: Cursor | null) {
	assertCan(actor, { action: 'capital.register.view' });
	let query = db
		.selectFrom('capital_rollout as r')
		.innerJoin('setting as s', 's.id', 'r.setting_id')
		.innerJoin('cluster as c', 'c.id', 's.cluster_id')
		.leftJoin('cluster as d', 'd.id', 'c.parent_id')
		.leftJoin('capital_application as a', 'a.id', 'r.application_id')
		.select(['s.id', 's.name', 's.town', 'r.status', 'r.planned_year', 'r.band', 'r.application_id', 'a.reference', sql<string>`coalesce(d.name, c.name)`.as('district_name')]);
	if (filter.search) query = query.where(textMatches('s.name', filter.search));
	if (filter.status) query = query.where('r.status', '=', filter.status);
	if (filter.districtId) query = query.where((eb) => eb.or([eb('c.parent_id', '=', filter.districtId), eb('c.id', '=', filter.districtId)]));
	const page = await keysetPage(query, { order: [sql`s.name`, sql`s.id`], direction: 'asc', keyOf: (row) => [row.name, row.id], cursor, size: REGISTER_PAGE_SIZE });
	// The district filter is a search (England has hundreds): the page builds it with districtFilterPicker.
	const [counts, lines] = await Promise.all([
		db.selectFrom('capital_rollout').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute(),
		db.selectFrom('capital_line').select(['id', 'name']).where('process', '=', 'rollout').orderBy('name').execute()
	]);
	return { page, counts, lines };
}

/**
 * The officers' need figures page: a page of active districts by name (keyset, as /clusters
 * pages them), each with its figures, and the changes to those districts' figures with who, when
 * and why, newest first.
 */
export async function districtNeedsPage(db: Database, actor: Actor, cursor: Cursor | null) {
	assertCan(actor, { action: 'capital.need.manage' });
	const districts = await districtPage(db, { activeOnly: true, cursor });
	const ids = districts.items.map((d) => d.id);
	const [needs, history] = await Promise.all([
		districtNeeds(db, ids),
		auditEntries(db, { subjects: [{ type: 'cluster', ids }] })
			.where('a.action', '=', 'capital.district_need_changed')
			.orderBy('a.created_at', 'desc')
			.orderBy('a.id', 'desc')
			.limit(50)
			.execute()
	]);
	return {
		needs,
		previous: districts.previous,
		next: districts.next,
		history: history.map(auditEntryOf).map((e) => ({ id: e.id, action: e.action, at: e.at, who: e.actorName, reason: e.reason, detail: e.detail }))
	};
}

export async function requireDistrict(db: Database, id: number) {
	const row = await db.selectFrom('cluster').select(['id', 'name']).where('id', '=', id).where('kind', '=', 'district').executeTakeFirst();
	if (!row) throw notFound('That district');
	return row;
}
