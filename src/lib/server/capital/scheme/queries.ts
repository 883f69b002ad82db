import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan, can } from '../../policy';
import { notFound } from '../../errors';
import { formatDate } from '$lib/format';
import { CAPACITY_LABELS } from '$lib/capital/applications/model';
import type { YearFigures } from '$lib/capital/model';
import { movesFrom } from '$lib/capital/flow';
import { schemeMoveProblem, statutoryStepsFor } from '$lib/capital/scheme/rules';
import { loadApplication, signerSettings } from '../applications/access';
import { signaturesNeeded } from '../applications/rules';
import { agreementPdf } from './agreement';
import { confirmedSourcesFor } from '../money/queries';
import { leadGovernance, schemeFacts } from './commands';

// The scheme page: the feasibility record with its change history, the statutory steps that
// apply, the equalities impact assessment, the funding agreement and its signatures, delivery
// milestones, and which steps this person may take now (each asked of the policy; a move that
// is not ready says what is missing).

const LIST_LIMIT = 50;

export async function schemePage(db: Database, actor: Actor, applicationId: number) {
	const { row, ref } = await loadApplication(db, applicationId);
	assertCan(actor, { action: 'capital.scheme.view', application: ref });
	const scheme = await db.selectFrom('capital_scheme as s').leftJoin('app_user as e', 'e.id', 's.eia_by').selectAll('s').select('e.name as eia_by_name').where('s.application_id', '=', row.id).executeTakeFirst();
	const [facts, governance, changes, steps, agreement, milestones, settings, superseded, sources] = await Promise.all([
		schemeFacts(db, row, scheme),
		leadGovernance(db, row.setting_id),
		db
			.selectFrom('capital_scheme_change as c')
			.innerJoin('app_user as r', 'r.id', 'c.requested_by')
			.leftJoin('app_user as d', 'd.id', 'c.decided_by')
			.select(['c.id', 'c.from_pence', 'c.to_pence', 'c.reason', 'c.status', 'c.requested_by', 'c.requested_at', 'c.decided_at', 'c.decision_reason', 'c.commitment_id', 'r.name as requested_by_name', 'd.name as decided_by_name'])
			.where('c.application_id', '=', row.id)
			.orderBy('c.id', 'desc')
			.limit(LIST_LIMIT)
			.execute(),
		db
			.selectFrom('capital_statutory_step as t')
			.innerJoin('app_user as u', 'u.id', 't.updated_by')
			.select(['t.step', 't.status', 't.status_on', 't.note', 'u.name as updated_by_name'])
			.where('t.application_id', '=', row.id)
			.execute(),
		db
			.selectFrom('capital_scheme_agreement as a')
			.innerJoin('app_user as u', 'u.id', 'a.issued_by')
			.select(['a.id', 'a.agreement_version', 'a.amount_pence', 'a.places', 'a.clawback_years', 'a.conditions', 'a.status', 'a.issued_at', 'a.signed_at', 'u.name as issued_by_name'])
			.where('a.application_id', '=', row.id)
			.orderBy('a.agreement_version', 'desc')
			.limit(1)
			.executeTakeFirst(),
		db
			.selectFrom('capital_scheme_milestone')
			.select(['id', 'title', 'due_on', 'done_on'])
			.where('application_id', '=', row.id)
			.orderBy('due_on')
			.orderBy('id')
			.limit(LIST_LIMIT)
			.execute(),
		signerSettings(db, ref),
		// Versions an approved change superseded: kept, downloadable, never signed again.
		db
			.selectFrom('capital_scheme_agreement as a')
			.innerJoin('app_user as u', 'u.id', 'a.superseded_by')
			.select(['a.id', 'a.agreement_version', 'a.amount_pence', 'a.places', 'a.superseded_at', 'a.superseded_reason', 'u.name as superseded_by_name'])
			.where('a.application_id', '=', row.id)
			.where('a.status', '=', 'superseded')
			.orderBy('a.agreement_version', 'desc')
			.limit(LIST_LIMIT)
			.execute(),
		// The only sources a rise in cost can be committed from.
		confirmedSourcesFor(db, row.line_id)
	]);
	const given = agreement
		? await db
				.selectFrom('capital_scheme_agreement_signature as g')
				.innerJoin('app_user as u', 'u.id', 'g.signed_by')
				.select(['g.setting_id', 'g.capacity', 'g.signed_for_name', 'g.signed_at', 'u.name as signed_by_name'])
				.where('g.agreement_id', '=', agreement.id)
				.execute()
		: [];
	const officer = can(actor, { action: 'capital.scheme.officer', application: ref }).allowed;
	const pending = changes.find((c) => c.status === 'pending') ?? null;
	const decideCheck = pending ? can(actor, { action: 'capital.scheme.change.decide', application: ref, change: { requestedBy: pending.requested_by, requesterName: pending.requested_by_name } }) : null;
	const signatures = agreement
		? signaturesNeeded(settings).map((n) => {
				const setting = settings.find((s) => s.id === n.settingId)!;
				const signed = given.find((g) => g.setting_id === n.settingId && g.capacity === n.capacity);
				const decision = can(actor, { action: 'capital.scheme.agreement.sign', application: ref, setting, as: n.capacity });
				return {
					...n,
					signed: signed ? { by: signed.signed_by_name, forName: signed.signed_for_name, at: signed.signed_at.toISOString() } : null,
					maySign: !signed && decision.allowed
				};
			})
		: [];
	const moves = officer
		? movesFrom(row.process, row.stage)
				.filter((m) => m === 'start_feasibility' || m === 'start_statutory' || m === 'start_delivery' || m === 'open' || m === 'issue_agreement')
				.map((move) => ({ move, problem: schemeMoveProblem(move, facts) }))
		: [];
	const years = (profile: YearFigures) => Object.keys(profile).map(Number).sort((a, b) => a - b);
	const stage = row.stage;
	return {
		application: { id: row.id, reference: row.reference, title: row.title, stage, version: row.version, places: row.places, requested_pence: row.requested_pence, lineName: row.line_name },
		scheme: scheme
			? {
					surveyDoneOn: scheme.survey_done_on,
					costedTotalPence: scheme.costed_total_pence,
					contingencyPence: scheme.contingency_pence,
					planningNeeded: scheme.planning_needed,
					approvedPence: scheme.approved_pence,
					eia: scheme.eia_on ? { on: scheme.eia_on, summary: scheme.eia_summary ?? '', by: scheme.eia_by_name ?? '' } : null
				}
			: null,
		facts: { approvedPence: facts.approvedPence, committedPence: facts.committedPence },
		governance,
		steps: statutoryStepsFor(governance, scheme?.planning_needed ?? false).map((step) => {
			const recorded = steps.find((s) => s.step === step);
			return { step, status: recorded?.status ?? 'not_started', on: recorded?.status_on ?? null, note: recorded?.note ?? '', by: recorded?.updated_by_name ?? null };
		}),
		changes: changes.map((c) => ({ ...c, requested_at: c.requested_at.toISOString(), decided_at: c.decided_at?.toISOString() ?? null })),
		pendingChange: pending ? { id: pending.id, fromPence: pending.from_pence, toPence: pending.to_pence, newMoneyPence: Math.max(0, pending.to_pence - facts.committedPence) } : null,
		agreement: agreement ? { ...agreement, issued_at: agreement.issued_at.toISOString(), signed_at: agreement.signed_at?.toISOString() ?? null } : null,
		superseded: superseded.map((a) => ({ ...a, superseded_at: a.superseded_at?.toISOString() ?? null })),
		signatures,
		milestones,
		sources: decideCheck?.allowed ? sources.map((s) => ({ id: s.id, name: s.name, years: years(s.profile) })) : [],
		moves,
		may: {
			feasibility: officer && ['feasibility', 'statutory', 'in_delivery'].includes(stage),
			statutory: officer && ['feasibility', 'statutory'].includes(stage),
			eia: officer && ['approved_in_principle', 'feasibility', 'statutory'].includes(stage),
			milestones: officer && ['agreement', 'in_delivery'].includes(stage),
			decide: decideCheck?.allowed === true,
			// After an approved change has moved the agreed terms (the reissue command checks again under its locks).
			reissue:
				officer &&
				['agreement', 'in_delivery'].includes(stage) &&
				agreement !== undefined &&
				pending === null &&
				scheme !== undefined &&
				(scheme.approved_pence !== agreement.amount_pence || row.places !== agreement.places)
		},
		why: { decide: pending && decideCheck && !decideCheck.allowed && officer ? decideCheck.reason : null }
	};
}
export type SchemePage = Awaited<ReturnType<typeof schemePage>>;

/** The funding agreement as a PDF, through the policy; each look is logged. */
export async function downloadAgreement(db: Database, actor: Actor, applicationId: number, agreementId: number): Promise<{ name: string; content: Buffer }> {
	const { row, ref } = await loadApplication(db, applicationId);
	assertCan(actor, { action: 'capital.scheme.view', application: ref });
	const agreement = await db
		.selectFrom('capital_scheme_agreement as a')
		.innerJoin('app_user as u', 'u.id', 'a.issued_by')
		.selectAll('a')
		.select('u.name as issued_by_name')
		.where('a.id', '=', agreementId)
		.where('a.application_id', '=', row.id)
		.executeTakeFirst();
	if (!agreement) throw notFound('That funding agreement');
	const [settings, given] = await Promise.all([
		signerSettings(db, ref),
		db
			.selectFrom('capital_scheme_agreement_signature as g')
			.innerJoin('app_user as u', 'u.id', 'g.signed_by')
			.select(['g.setting_id', 'g.capacity', 'g.signed_for_name', 'g.signed_at', 'u.name'])
			.where('g.agreement_id', '=', agreement.id)
			.execute()
	]);
	await db.insertInto('capital_scheme_agreement_download').values({ agreement_id: agreement.id, user_id: actor.id }).execute();
	const content = await agreementPdf({
		reference: row.reference,
		title: row.title,
		settingNames: settings.map((s) => s.name),
		lineName: row.line_name,
		agreementVersion: agreement.agreement_version,
		amountPence: agreement.amount_pence,
		places: agreement.places,
		clawbackYears: agreement.clawback_years,
		conditions: agreement.conditions,
		statutory: agreement.statutory,
		issuedOn: formatDate(agreement.issued_at),
		issuedBy: agreement.issued_by_name,
		supersededOn: agreement.superseded_at ? formatDate(agreement.superseded_at) : null,
		signatures: signaturesNeeded(settings).map((n) => {
			const g = given.find((s) => s.setting_id === n.settingId && s.capacity === n.capacity);
			const who = g ? (g.signed_for_name ? `${g.signed_for_name} (recorded by ${g.name})` : g.name) : null;
			return { words: n.words, signed: g ? `signed by ${who} as ${CAPACITY_LABELS[n.capacity]} on ${formatDate(g.signed_at)}` : null };
		})
	});
	return { name: `funding-agreement-${row.reference}-v${agreement.agreement_version}.pdf`, content };
}
