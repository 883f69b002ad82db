import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan, can } from '../../policy';
import { notFound } from '../../errors';
import { formatDate } from '$lib/format';
import { SIGNATORIES, SIGNATORY_LABELS, type Signatory, type YearFigures } from '$lib/capital/model';
import { LIVE_GRANT_STATUSES } from '$lib/capital/grant/model';
import { loadApplication, signerSettings } from '../applications/access';
import { grantLetterPdf } from './letter';
import { confirmedSourcesFor } from '../money/queries';
import { personalSignatory } from './commands';

// The grant page: the application, its offers (every letter version, newest first) with who did
// what and when, and which steps this person may take now (each asked of the policy).

const OFFER_LIMIT = 20;
const isSignatory = (value: unknown): value is Signatory => SIGNATORIES.some((k) => k === value);

export async function grantPage(db: Database, actor: Actor, applicationId: number) {
	const { row, ref } = await loadApplication(db, applicationId);
	assertCan(actor, { action: 'capital.grant.view', application: ref });
	const [offers, line, setting, sources] = await Promise.all([
		db
			.selectFrom('capital_grant_offer as o')
			.innerJoin('app_user as ob', 'ob.id', 'o.offered_by')
			.innerJoin('capital_source as s', 's.id', 'o.source_id')
			.leftJoin('app_user as ab', 'ab.id', 'o.accepted_by')
			.leftJoin('app_user as cb', 'cb.id', 'o.claimed_by')
			.leftJoin('app_user as pb', 'pb.id', 'o.approved_by')
			.leftJoin('app_user as eb', 'eb.id', 'o.ended_by')
			.leftJoin('capital_application_file as f', 'f.id', 'o.claim_file_id')
			.select([
				'o.id', 'o.letter_version', 'o.amount_pence', 'o.year', 'o.conditions', 'o.status', 'o.offered_by', 'o.offered_at', 'o.accepted_at', 'o.accepted_as', 'o.claimed_at',
				'o.claim_amount_pence', 'o.claim_note', 'o.claim_file_id', 'o.approved_at', 'o.ended_at', 'o.end_reason', 's.name as source_name', 'ob.name as offered_by_name',
				'ab.name as accepted_by_name', 'cb.name as claimed_by_name', 'pb.name as approved_by_name', 'eb.name as ended_by_name', 'f.name as claim_file_name'
			])
			.where('o.application_id', '=', row.id)
			.orderBy('o.letter_version', 'desc')
			.limit(OFFER_LIMIT)
			.execute(),
		db.selectFrom('capital_line').select(['name', 'max_per_base_pence']).where('id', '=', row.line_id).executeTakeFirstOrThrow(),
		signerSettings(db, ref).then((settings) => settings[0]),
		// The only sources an offer can commit from.
		confirmedSourcesFor(db, row.line_id)
	]);
	const live = offers.find((o) => LIVE_GRANT_STATUSES.includes(o.status)) ?? null;
	const signatories = setting.signatories.filter(isSignatory);
	const as = personalSignatory(signatories);
	const acceptCheck = can(actor, { action: 'capital.grant.accept', application: ref, setting: { id: setting.id, name: setting.name, signatories }, as });
	const approveCheck = live ? can(actor, { action: 'capital.grant.approve_claim', application: ref, offer: { offeredBy: live.offered_by, offererName: live.offered_by_name } }) : null;
	const may = {
		offer: row.stage === 'in_assessment' && can(actor, { action: 'capital.grant.offer', application: ref }).allowed,
		accept: live?.status === 'offered' && acceptCheck.allowed,
		claim: live?.status === 'accepted' && can(actor, { action: 'capital.grant.claim', application: ref }).allowed,
		approve: live?.status === 'claimed' && approveCheck?.allowed === true,
		end: (live?.status === 'offered' || live?.status === 'accepted') && can(actor, { action: 'capital.grant.end', application: ref }).allowed
	};
	// Why an officer or the setting's staff cannot take the step that is waiting: said, not hidden.
	const isOfficer = actor.countyRole !== null;
	const why = {
		accept: live?.status === 'offered' && !acceptCheck.allowed && !isOfficer ? acceptCheck.reason : null,
		approve: live?.status === 'claimed' && approveCheck && !approveCheck.allowed && isOfficer ? approveCheck.reason : null
	};
	const years = (profile: YearFigures) => Object.keys(profile).map(Number).sort((a, b) => a - b);
	return {
		application: { id: row.id, reference: row.reference, title: row.title, stage: row.stage, version: row.version, places: row.places, requested_pence: row.requested_pence, process: row.process },
		line,
		setting: { name: setting.name, signatory: as ? SIGNATORY_LABELS[as] : null },
		offers: offers.map((o) => ({ ...o, offered_at: o.offered_at.toISOString(), accepted_at: o.accepted_at?.toISOString() ?? null, claimed_at: o.claimed_at?.toISOString() ?? null, approved_at: o.approved_at?.toISOString() ?? null, ended_at: o.ended_at?.toISOString() ?? null })),
		liveOfferId: live?.id ?? null,
		sources: may.offer ? sources.map((s) => ({ id: s.id, name: s.name, years: years(s.profile) })) : [],
		may,
		why
	};
}

/** The grant letter for one offer as a PDF; the look is logged. */
export async function downloadGrantLetter(db: Database, actor: Actor, applicationId: number, offerId: number): Promise<{ name: string; content: Buffer }> {
	const { row, ref } = await loadApplication(db, applicationId);
	assertCan(actor, { action: 'capital.grant.view', application: ref });
	const offer = await db
		.selectFrom('capital_grant_offer as o')
		.innerJoin('app_user as ob', 'ob.id', 'o.offered_by')
		.innerJoin('capital_source as s', 's.id', 'o.source_id')
		.leftJoin('app_user as ab', 'ab.id', 'o.accepted_by')
		.select(['o.id', 'o.letter_version', 'o.amount_pence', 'o.year', 'o.conditions', 'o.offered_at', 'o.accepted_at', 'o.accepted_as', 'ob.name as offered_by', 's.name as source_name', 'ab.name as accepted_by'])
		.where('o.id', '=', offerId)
		.where('o.application_id', '=', row.id)
		.executeTakeFirst();
	if (!offer) throw notFound('That grant letter');
	const [setting] = await signerSettings(db, ref);
	await db.insertInto('capital_grant_letter_download').values({ offer_id: offer.id, user_id: actor.id }).execute();
	const accepted = offer.accepted_at && offer.accepted_by ? { by: offer.accepted_by, on: formatDate(offer.accepted_at), as: isSignatory(offer.accepted_as) ? SIGNATORY_LABELS[offer.accepted_as] : 'signatory' } : null;
	const content = await grantLetterPdf({
		reference: row.reference,
		title: row.title,
		settingName: setting.name,
		lineName: row.line_name,
		letterVersion: offer.letter_version,
		amountPence: offer.amount_pence,
		year: offer.year,
		sourceName: offer.source_name,
		conditions: offer.conditions,
		offeredOn: formatDate(offer.offered_at),
		offeredBy: offer.offered_by,
		places: row.places,
		accepted
	});
	return { name: `grant-letter-${row.reference}-v${offer.letter_version}.pdf`, content };
}
