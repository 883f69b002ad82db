import { sql } from 'kysely';
import type { Database } from '../../../db';
import type { Actor } from '../../../auth/actor';
import { transact, type Work } from '../../../work';
import { conflict, invalid, notFound } from '../../../errors';
import { assertCan } from '../../../policy';
import { parseInput } from '../../../input';
import { freeze, saveSection } from '../../../document';
import { missingBySection } from '$lib/document';
import { ukToday } from '$lib/dates';
import { moveFor } from '$lib/capital/flow';
import { applicationDocument, applicationFigures, PROCESS_SECTIONS, SECTION_SPECS } from '$lib/capital/applications/document';
import { CAPACITY_LABELS, BODY_CAPACITIES, type ApplicationContent } from '$lib/capital/applications/model';
import { applicationRoom } from '$lib/capital/applications/live';
import { programmeRoom } from '$lib/capital/live';
import { saveApplicationSectionSchema, signApplicationSchema, startApplicationSchema, submitApplicationSchema } from '$lib/schemas/capital-applications';
import { lockApplication, signerSettings, type ApplicationRow, type Trx } from '../access';
import { applicationBase, applicationMissing, applicationWarnings, assumptionsOf } from '../checks';
import { lineFindings, parseAnswers } from '../rules';
import type { ApplicationRef } from '../policy';

// Starting an application, writing its sections, signing it and submitting it. Each command is one
// transaction: it locks the application, asks the policy on the locked row, writes, and records
// who, what and why once, telling the application's room.

export const changedEvent = (row: { id: number }, version: number, section: string | null) => [
	{ room: applicationRoom(row.id), kind: 'application.changed' as const, payload: { applicationId: row.id, version, section } }
];

/**
 * A move of stage changes the application and the places pipeline: its room hears it, and so does
 * the programme's room, whose number the sufficiency dashboard's remembered figures are keyed on.
 */
export const stageChangedEvents = (row: { id: number }, version: number) => [
	...changedEvent(row, version, null),
	{ room: programmeRoom, kind: 'capital.changed' as const, payload: { subject: 'application' as const, id: row.id, version } }
];

async function lineOf(trx: Trx, lineId: number) {
	return trx.selectFrom('capital_line').selectAll().where('id', '=', lineId).executeTakeFirstOrThrow();
}

/** The signatures given on this version of the application. */
export async function signaturesOn(trx: Trx | Database, applicationId: number, version: number) {
	return trx
		.selectFrom('capital_application_signature')
		.select(['setting_id as settingId', 'capacity'])
		.where('application_id', '=', applicationId)
		.where('application_version', '=', version)
		.execute();
}

export async function startApplication(db: Database, actor: Actor, raw: unknown): Promise<{ id: number; reference: string }> {
	const input = parseInput(startApplicationSchema, raw);
	return transact(db, actor.id, async (work) => {
		const round = await work.trx
			.selectFrom('capital_round as r')
			.innerJoin('capital_round_line as rl', 'rl.round_id', 'r.id')
			.select(['r.id', 'r.name', 'r.status', 'r.closes_on'])
			.where('r.id', '=', input.roundId)
			.where('rl.line_id', '=', input.lineId)
			.forShare('r')
			.executeTakeFirst();
		if (!round) throw notFound('That round or line');
		const line = await lineOf(work.trx, input.lineId);
		const settingIds = [...new Set([input.settingId, ...input.coveredSettingIds])];
		const settings = await work.trx
			.selectFrom('setting as s')
			.innerJoin('cluster as c', 'c.id', 's.cluster_id')
			.select(['s.id', 's.name', 's.setting_type as settingType', sql<number>`coalesce(c.parent_id, c.id)`.as('districtId')])
			.where('s.id', 'in', settingIds)
			.forShare('s')
			.execute();
		if (settings.length !== settingIds.length) throw notFound('That setting');
		const status = round.status === 'open' && round.closes_on >= ukToday() ? 'open' : 'closed';
		assertCan(actor, { action: 'capital.application.start', round: { status }, line: { eligibleSettingTypes: line.eligible_setting_types, name: line.name }, settings });
		const lead = settings.find((s) => s.id === input.settingId)!;
		if (settings.some((s) => s.districtId !== lead.districtId)) {
			throw invalid('The schools in one application must be in the same district.', { coveredSettingIds: ['Choose schools in the same district as the lead school'] });
		}
		const open = await work.trx
			.selectFrom('capital_application')
			.select('reference')
			.where('setting_id', '=', lead.id)
			.where('line_id', '=', line.id)
			.where('stage', 'not in', ['withdrawn', 'declined'])
			.executeTakeFirst();
		if (open && line.process !== 'scheme') throw invalid(`${lead.name} already has an application to ${line.name} (${open.reference}).`);
		const { next } = await sql<{ next: number }>`select nextval(pg_get_serial_sequence('capital_application', 'id'))::int as next`
			.execute(work.trx)
			.then((r) => r.rows[0]);
		const reference = `CAP-${String(next).padStart(5, '0')}`;
		await work.trx
			.insertInto('capital_application')
			.values({ id: next, reference, round_id: round.id, line_id: line.id, setting_id: lead.id, district_id: lead.districtId, title: input.title, created_by: actor.id })
			.execute();
		const covered = settings.filter((s) => s.id !== lead.id);
		if (covered.length) await work.trx.insertInto('capital_application_setting').values(covered.map((s) => ({ application_id: next, setting_id: s.id }))).execute();
		if (line.process === 'rollout') {
			// The register shows the school has applied (it is on the register from the start).
			await work.trx
				.insertInto('capital_rollout')
				.values({ setting_id: lead.id, line_id: line.id, status: 'application', application_id: next, updated_by: actor.id })
				.onConflict((oc) => oc.column('setting_id').doUpdateSet({ status: 'application', application_id: next, updated_by: actor.id, updated_at: sql`now()`, version: sql`capital_rollout.version + 1` }))
				.execute();
		}
		await work.record({
			action: 'capital.application_started',
			subject: { type: 'capital_application', id: next },
			summary: `Started ${reference} for ${lead.name}${covered.length ? ` and ${covered.map((s) => s.name).join(', ')}` : ''} (${line.name}, ${round.name})`,
			detail: { lineId: line.id, roundId: round.id, settingIds },
			events: changedEvent({ id: next }, 1, null)
		});
		return { id: next, reference };
	});
}

/** Refuses unless the application can be written now, and its process has this section. */
function requireSection(row: ApplicationRow, section: string) {
	if (!PROCESS_SECTIONS[row.process].some((s) => s === section)) throw notFound('That section');
}

/**
 * Saves one section if nobody else saved it since the writer loaded it (the kit's per-section
 * versions); on a clash the kit's SectionConflict carries the other person's text. The line's
 * hard rules (places within its range, the most a base may receive) refuse field by field; the
 * benchmark only warns, in what this returns.
 */
export async function saveApplicationSection(db: Database, actor: Actor, raw: unknown): Promise<{ version: number; sectionVersion: number; warnings: string[] }> {
	const input = parseInput(saveApplicationSectionSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		assertCan(actor, { action: 'capital.application.edit', application: ref });
		requireSection(row, input.section);
		const { answers, errors } = parseAnswers(input.section, input.answers);
		if (Object.keys(errors).length) throw invalid('Check the answers and try again.', Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, [v]])));
		const content: ApplicationContent = { ...row.content, [input.section]: answers };
		const line = assumptionsOf(await lineOf(work.trx, row.line_id));
		const figures = applicationFigures(row.process, content);
		const findings = lineFindings(row.process, line, figures);
		const here = Object.entries(findings.refusals).filter(([key]) => key.startsWith(`${input.section}.`));
		if (here.length) throw invalid('Check the answers and try again.', Object.fromEntries(here.map(([key, message]) => [key.split('.')[1], [message]])));
		const label = SECTION_SPECS[input.section].label;
		const saved = await saveSection(work.trx, {
			table: 'capital_application',
			id: row.id,
			touchColumn: 'updated_at',
			noun: 'That application',
			section: input.section,
			label,
			expectedVersion: input.version,
			write: async () => {
				await work.trx
					.updateTable('capital_application')
					.set({
						content: sql`jsonb_set(content, array[${input.section}::text], ${JSON.stringify(answers)}::jsonb)`,
						places: figures.places && figures.places > 0 ? figures.places : null,
						requested_pence: figures.requestedPence,
						opening_year: figures.openingYear && figures.openingYear >= 2020 && figures.openingYear <= 2100 ? figures.openingYear : null,
						delivery_route: figures.deliveryRoute,
						...(row.process === 'rollout' ? { band: figures.band } : {})
					})
					.where('id', '=', row.id)
					.execute();
			},
			theirs: async () => {
				const last = await work.trx
					.selectFrom('audit_log as a')
					.leftJoin('app_user as u', 'u.id', 'a.actor_id')
					.select('u.name')
					.where('a.subject_type', '=', 'capital_application')
					.where('a.subject_id', '=', row.id)
					.where('a.action', '=', 'capital.application_section_saved')
					.where(sql<boolean>`a.detail ->> 'section' = ${input.section}`)
					.orderBy('a.id', 'desc')
					.limit(1)
					.executeTakeFirst();
				return { lines: applicationDocument(row.process).sections[input.section].summary(row.content), savedBy: last?.name ?? null };
			}
		});
		const version = saved.version ?? row.version + 1;
		await work.record({
			action: 'capital.application_section_saved',
			subject: { type: 'capital_application', id: row.id },
			summary: `Saved ${label.toLowerCase()}`,
			detail: { section: input.section, version },
			events: changedEvent(row, version, input.section)
		});
		return { version, sectionVersion: saved.sectionVersion, warnings: findings.warnings };
	});
}

/**
 * Records a signature for this version of the application. A person signs as the headteacher,
 * principal, owner or manager, or childminder; a governing body's, a trust's or a landowner's
 * sign-off is recorded by the setting's headteacher with the name of who signed for it.
 */
export async function signApplication(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(signApplicationSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		const setting = (await signerSettings(work.trx, ref)).find((s) => s.id === input.settingId);
		if (!setting) throw notFound('That setting');
		assertCan(actor, { action: 'capital.application.sign', application: ref, setting, as: input.capacity });
		if (input.version !== row.version) {
			throw conflict('The application has changed since you read it. Read it again before signing.');
		}
		const body = BODY_CAPACITIES.includes(input.capacity);
		if (body && !input.signedForName) throw invalid('Say who signed.', { signedForName: ['Give the name of the person who signed for them'] });
		const inserted = await work.trx
			.insertInto('capital_application_signature')
			.values({
				application_id: row.id,
				setting_id: setting.id,
				capacity: input.capacity,
				signed_by: actor.id,
				signed_for_name: body ? input.signedForName : '',
				application_version: row.version
			})
			.onConflict((oc) => oc.columns(['application_id', 'setting_id', 'capacity', 'application_version']).doNothing())
			.returning('id')
			.executeTakeFirst();
		if (!inserted) return { version: row.version };
		const as = CAPACITY_LABELS[input.capacity];
		await work.record({
			action: 'capital.application_signed',
			subject: { type: 'capital_application', id: row.id },
			summary: body ? `Recorded the sign-off of ${as} of ${setting.name}, signed by ${input.signedForName}` : `Signed for ${setting.name} as ${as}`,
			detail: { settingId: setting.id, capacity: input.capacity, applicationVersion: row.version },
			events: changedEvent(row, row.version, null)
		});
		return { version: row.version };
	});
}

export async function submissionFacts(trx: Trx | Database, row: ApplicationRow, ref: ApplicationRef) {
	const [line, settings, signed] = await Promise.all([
		trx.selectFrom('capital_line').selectAll().where('id', '=', row.line_id).executeTakeFirstOrThrow(),
		signerSettings(trx, ref),
		signaturesOn(trx, row.id, row.version)
	]);
	return { process: row.process, line: assumptionsOf(line), settings, signed };
}

/**
 * Submits (or resubmits after more information was asked for) the version everyone signed: what
 * is missing is listed by section and nothing is written; otherwise the content is frozen with
 * its hash and the application moves to submitted.
 */
export async function submitApplication(db: Database, actor: Actor, raw: unknown): Promise<{ submissionNo: number; hash: string }> {
	const input = parseInput(submitApplicationSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		assertCan(actor, { action: 'capital.application.edit', application: ref });
		const move = moveFor(row.process, row.stage, 'submit');
		if (!move.ok) throw invalid(move.reason);
		if (input.version !== row.version) throw conflict('The application has changed since you read it. Check your answers again before submitting.');
		if (row.stage === 'draft') {
			const round = await work.trx.selectFrom('capital_round').select(['status', 'closes_on', 'name']).where('id', '=', row.round_id).forShare().executeTakeFirstOrThrow();
			if (round.status !== 'open' || round.closes_on < ukToday()) throw invalid(`${round.name} is closed, so new applications can no longer be submitted.`, { submission: ['The round is closed'] });
		}
		const facts = await submissionFacts(work.trx, row, ref);
		const missing = applicationMissing(row.id, row.content, facts);
		if (missing.length) {
			const bySection: Record<string, string[]> = {};
			for (const [section, messages] of Object.entries(missingBySection(missing))) if (messages) bySection[section] = messages;
			throw invalid('The application is not finished yet. Complete these first.', bySection);
		}
		const submissionNo = row.submission_no + 1;
		const { hash } = await freeze(work.trx, {
			table: 'capital_application_submission',
			hashColumn: 'snapshot_hash',
			values: { application_id: row.id, submission_no: submissionNo, submitted_by: actor.id },
			content: row.content
		});
		const { version } = await work.trx
			.updateTable('capital_application')
			.set((eb) => ({ stage: move.to, submission_no: submissionNo, submitted_at: sql`now()`, updated_at: sql`now()`, version: eb('version', '+', 1) }))
			.where('id', '=', row.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		await recordMove(work, row, version, submissionNo > 1 ? `Resubmitted ${row.reference} with more information` : `Submitted ${row.reference}`, 'capital.application_submitted', null, {
			submissionNo,
			hash,
			warnings: applicationWarnings(row.content, facts)
		});
		return { submissionNo, hash };
	});
}

/** The record every move leaves: who, what, why, and the application's room told. */
export async function recordMove(work: Work, row: ApplicationRow, version: number, summary: string, action: string, reason: string | null, detail: Record<string, unknown> = {}) {
	await work.record({
		action,
		subject: { type: 'capital_application', id: row.id },
		summary,
		reason,
		detail: { from: row.stage, ...detail },
		activity: undefined,
		events: stageChangedEvents(row, version)
	});
}

export const applicationLink = applicationBase;
