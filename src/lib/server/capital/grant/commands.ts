import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { transact, type Work } from '../../work';
import { conflict, invalid, notFound } from '../../errors';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { formatPence } from '$lib/format';
import { ukToday } from '$lib/dates';
import { moveFor, type ApplicationMove } from '$lib/capital/flow';
import { SIGNATORIES, SIGNATORY_LABELS, type Signatory } from '$lib/capital/model';
import { SUBSIDY_DECLARATION, type GrantDeclaration } from '$lib/capital/grant/model';
import { acceptOutcome, claimProblems, declarationProblems, offerCapProblems } from '$lib/capital/grant/rules';
import { acceptGrantSchema, approveClaimSchema, claimGrantSchema, endOfferSchema, offerGrantSchema } from '$lib/schemas/capital-grant';
import { lockApplication, signerSettings, type ApplicationRow, type Trx } from '../applications/access';
import { recordMove } from '../applications/commands/writing';
import { cleanFileName, sniffEvidence } from '../applications/commands/files';
import { commitLocked, spendLocked } from '../money/commands';
import { refuseFields } from '../commands/shared';
import { adviceConsideredOnApplication, adviceWords } from '../../pcf/advice-record';

// An early years grant after the decision, one transaction per step, each taking the
// application's row lock first (then, for money, the money module's source and line locks in its
// order): offer (commits confirmed money within the line's hard cap), accept (the setting's
// signatory, with the subsidy-control declaration, for one version of the letter), claim (with
// evidence of spend), approve the claim (another officer: records the spend and opens the base),
// and withdraw or record a lapse (releases the money). Each leaves who, when and why on the
// application's timeline and tells its room and the dashboard's.

/** The signatories who are people (not a governing body or trust), in the order a setting type lists them. */
const PERSONAL: readonly Signatory[] = ['owner_manager', 'childminder', 'headteacher', 'principal'];
export const personalSignatory = (signatories: readonly Signatory[]): Signatory | null => PERSONAL.find((s) => signatories.includes(s)) ?? null;

async function moveTo(trx: Trx, row: ApplicationRow, move: ApplicationMove) {
	const answer = moveFor(row.process, row.stage, move);
	if (!answer.ok) throw invalid(answer.reason);
	const decided = move === 'offer_grant' ? { decided_at: sql<Date>`now()` } : {};
	return trx
		.updateTable('capital_application')
		.set((eb) => ({ stage: answer.to, updated_at: sql<Date>`now()`, version: eb('version', '+', 1), ...decided }))
		.where('id', '=', row.id)
		.returning('version')
		.executeTakeFirstOrThrow();
}

/** The application's offer, locked, or a 404 naming it. */
async function lockOffer(trx: Trx, applicationId: number, offerId: number) {
	const offer = await trx
		.selectFrom('capital_grant_offer as o')
		.innerJoin('app_user as u', 'u.id', 'o.offered_by')
		.selectAll('o')
		.select('u.name as offerer_name')
		.where('o.id', '=', offerId)
		.where('o.application_id', '=', applicationId)
		.forUpdate('o')
		.executeTakeFirst();
	if (!offer) throw notFound('That grant offer');
	return offer;
}

async function bumpOffer(trx: Trx, offerId: number, set: Record<string, unknown>) {
	await trx
		.updateTable('capital_grant_offer')
		.set((eb) => ({ ...set, version: eb('version', '+', 1) }))
		.where('id', '=', offerId)
		.execute();
}

/**
 * An officer offers a grant on an early years application being assessed: within the line's hard
 * cap and what was asked for, and committed from confirmed money through the money module (the
 * same rules and locks as any commitment), so concurrent offers can never over-commit.
 */
export async function offerGrant(db: Database, actor: Actor, raw: unknown): Promise<{ offerId: number; letterVersion: number; version: number }> {
	const input = parseInput(offerGrantSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		assertCan(actor, { action: 'capital.grant.offer', application: ref });
		const answer = moveFor(row.process, row.stage, 'offer_grant');
		if (!answer.ok) throw invalid(answer.reason);
		if (row.version !== input.version) throw conflict(`${row.reference} changed while you were looking at it. Reload the page and check before offering.`);
		const line = await work.trx.selectFrom('capital_line').select(['name', 'max_per_base_pence']).where('id', '=', row.line_id).executeTakeFirstOrThrow();
		refuseFields(offerCapProblems({ amountPence: input.amountPence }, { name: line.name, maxPerBasePence: line.max_per_base_pence }, row.requested_pence));
		// Offering is the decision on a grant: it says how the PCF advisory group's advice was considered, when there is any.
		const considered = await adviceConsideredOnApplication(work.trx, row.id, input.adviceConsidered);
		// The commitment is for the application as it will be once offered (approved), under the money module's locks.
		const { id: commitmentId } = await commitLocked(work, actor.id, { id: row.id, stage: answer.to, line_id: row.line_id, requested_pence: row.requested_pence }, {
			kind: 'committed',
			sourceId: input.sourceId,
			year: input.year,
			amountPence: input.amountPence,
			reason: `Grant offer: ${input.reason}`
		});
		const previous = await work.trx.selectFrom('capital_grant_offer').select(sql<number>`coalesce(max(letter_version), 0)`.as('n')).where('application_id', '=', row.id).executeTakeFirstOrThrow();
		const letterVersion = Number(previous.n) + 1;
		const { id: offerId } = await work.trx
			.insertInto('capital_grant_offer')
			.values({ application_id: row.id, letter_version: letterVersion, amount_pence: input.amountPence, source_id: input.sourceId, year: input.year, commitment_id: commitmentId, conditions: input.conditions, offered_by: actor.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		const { version } = await moveTo(work.trx, row, 'offer_grant');
		await recordMove(work, row, version, `Offered a grant of ${formatPence(input.amountPence)} on ${row.reference} (grant letter version ${letterVersion})${adviceWords(considered)}`, 'capital.grant_offered', input.reason, {
			offerId,
			letterVersion,
			amountPence: input.amountPence,
			adviceConsidered: considered
		});
		await notifySetting(work, row, ref.leadSettingId, `A grant of ${formatPence(input.amountPence)} is offered on ${row.reference}`);
		return { offerId, letterVersion, version };
	});
}

async function notifySetting(work: Work, row: ApplicationRow, settingId: number, title: string) {
	const staff = await work.trx.selectFrom('setting_membership').select('user_id').where('setting_id', '=', settingId).execute();
	await work.record({
		action: 'capital.grant_notified',
		subject: { type: 'capital_application', id: row.id },
		summary: title,
		notify: { userIds: staff.map((s) => s.user_id), title, link: `/capital/applications/${row.id}/grant`, email: true }
	});
}

/**
 * The setting's signatory (by its type) accepts the offer with the subsidy-control declaration,
 * for the version of the letter they read. Accepting again is harmless: nothing changes.
 */
export async function acceptGrant(db: Database, actor: Actor, raw: unknown): Promise<{ version: number; changed: boolean }> {
	const input = parseInput(acceptGrantSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		const [lead] = await signerSettings(work.trx, ref);
		const signatories = lead.signatories.filter((s): s is Signatory => SIGNATORIES.some((k) => k === s));
		const as = personalSignatory(signatories);
		assertCan(actor, { action: 'capital.grant.accept', application: ref, setting: { id: lead.id, name: lead.name, signatories }, as });
		const offer = await lockOffer(work.trx, row.id, input.offerId);
		const outcome = acceptOutcome(offer.status);
		if (outcome.act === 'nothing') return { version: row.version, changed: false };
		if (outcome.act === 'refuse') throw invalid(outcome.reason);
		if (offer.letter_version !== input.letterVersion) {
			throw conflict(`The grant letter has changed (version ${offer.letter_version}) since you opened version ${input.letterVersion}. Read the new letter before accepting.`);
		}
		refuseFields(declarationProblems(input.otherAssistancePence, offer.amount_pence));
		const declaration: GrantDeclaration = { text: SUBSIDY_DECLARATION, otherAssistancePence: input.otherAssistancePence, letterVersion: offer.letter_version };
		await bumpOffer(work.trx, offer.id, { status: 'accepted', accepted_by: actor.id, accepted_at: sql<Date>`now()`, accepted_as: as, declaration: JSON.stringify(declaration) });
		const { version } = await moveTo(work.trx, row, 'accept_grant');
		await recordMove(work, row, version, `${actor.name} accepted the grant for ${lead.name} as ${SIGNATORY_LABELS[as!]} (letter version ${offer.letter_version}), with the subsidy-control declaration`, 'capital.grant_accepted', null, {
			offerId: offer.id,
			letterVersion: offer.letter_version,
			otherAssistancePence: input.otherAssistancePence
		});
		return { version, changed: true };
	});
}

/** The setting claims the grant with evidence of spend (kept in the evidence store, its content checked). */
export async function claimGrant(db: Database, actor: Actor, raw: unknown, file: { name: string; content: Uint8Array } | null): Promise<{ version: number; fileId: number }> {
	const input = parseInput(claimGrantSchema, raw);
	if (!file || (file.content.byteLength === 0 && file.name === '')) throw invalid('Attach evidence of spend.', { file: ['Attach evidence of spend (an invoice or receipt)'] });
	const sniffed = await sniffEvidence(file.content);
	if (!sniffed.ok) throw invalid(sniffed.message, { file: [sniffed.message] });
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		assertCan(actor, { action: 'capital.grant.claim', application: ref });
		const offer = await lockOffer(work.trx, row.id, input.offerId);
		refuseFields(claimProblems(offer.status, { amountPence: input.amountPence, hasFile: true }, offer.amount_pence));
		const name = cleanFileName(file.name);
		const { id: fileId } = await work.trx
			.insertInto('capital_application_file')
			.values({ application_id: row.id, name, media_type: sniffed.mediaType, size_bytes: file.content.byteLength, sensitive: false, description: 'Evidence of spend for the grant claim', content: Buffer.from(file.content), uploaded_by: actor.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		await bumpOffer(work.trx, offer.id, { status: 'claimed', claimed_by: actor.id, claimed_at: sql<Date>`now()`, claim_amount_pence: input.amountPence, claim_note: input.note, claim_file_id: fileId });
		const { version } = await moveTo(work.trx, row, 'claim');
		await recordMove(work, row, version, `Claimed ${formatPence(input.amountPence)} of the grant on ${row.reference}, with evidence ${name}`, 'capital.grant_claimed', input.note, { offerId: offer.id, fileId, amountPence: input.amountPence });
		return { version, fileId };
	});
}

/** A different officer from the one who offered approves the claim: the spend is recorded and the base opens. */
export async function approveClaim(db: Database, actor: Actor, raw: unknown): Promise<{ version: number; spendId: number }> {
	const input = parseInput(approveClaimSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		const offer = await lockOffer(work.trx, row.id, input.offerId);
		assertCan(actor, { action: 'capital.grant.approve_claim', application: ref, offer: { offeredBy: offer.offered_by, offererName: offer.offerer_name } });
		if (offer.status !== 'claimed' || offer.claim_amount_pence === null) throw invalid(offer.status === 'paid' ? 'This claim has already been approved.' : 'There is no claim waiting for approval on this offer.');
		const { id: spendId } = await spendLocked(work, actor.id, { id: row.id, stage: row.stage, line_id: row.line_id }, { amountPence: offer.claim_amount_pence, spentOn: ukToday(), note: `Grant claim approved: ${offer.claim_note ?? ''}`.slice(0, 500) });
		await bumpOffer(work.trx, offer.id, { status: 'paid', approved_by: actor.id, approved_at: sql<Date>`now()`, spend_id: spendId });
		const { version } = await moveTo(work.trx, row, 'open');
		await recordMove(work, row, version, `Approved the grant claim of ${formatPence(offer.claim_amount_pence)} on ${row.reference} (offered by ${offer.offerer_name}); the base is open`, 'capital.grant_claim_approved', input.reason, { offerId: offer.id, spendId });
		return { version, spendId };
	});
}

/** An officer withdraws the offer, or records that it lapsed, with a reason; its money is released. */
export async function endOffer(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(endOfferSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockApplication(work.trx, input.applicationId);
		assertCan(actor, { action: 'capital.grant.end', application: ref });
		const offer = await lockOffer(work.trx, row.id, input.offerId);
		if (offer.status !== 'offered' && offer.status !== 'accepted') {
			throw invalid(offer.status === 'claimed' ? 'The grant has been claimed: approve the claim, or ask the setting, before ending the offer.' : `This offer is already ${offer.status}.`);
		}
		if (offer.commitment_id !== null) await work.trx.deleteFrom('capital_commitment').where('id', '=', offer.commitment_id).execute();
		await bumpOffer(work.trx, offer.id, { status: input.ending, ended_by: actor.id, ended_at: sql<Date>`now()`, end_reason: input.reason });
		const { version } = await moveTo(work.trx, row, 'end_offer');
		const verb = input.ending === 'withdrawn' ? 'Withdrew the grant offer' : 'Recorded that the grant offer lapsed';
		await recordMove(work, row, version, `${verb} (letter version ${offer.letter_version}, ${formatPence(offer.amount_pence)} released) on ${row.reference}`, `capital.grant_${input.ending}`, input.reason, {
			offerId: offer.id,
			releasedCommitmentId: offer.commitment_id
		});
		return { version };
	});
}

