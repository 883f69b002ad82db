import { sql } from 'kysely';
import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { absoluteUrl, mailTransport, transact, type Work } from '../../work';
import { conflict, invalid } from '../../errors';
import { approveEditionSchema, newEditionSchema, saveEditionSchema } from '$lib/schemas/pcf';
import { COUNTY_NAME, currentEditionPoints, lockEdition } from '../editions';
import { editionWaitsFor } from '../edition-rules';
import type { EditionRef } from '../policy';
import { unsubscribeLink } from '../subscriptions';

// "You said, we did" editions: a PCF representative or an officer drafts one, both co-edit it (a
// save from a page older than the saved version is refused, naming who saved), an officer and
// the PCF lead each approve the version they read (a save clears both), and the second approval
// publishes it, freezing the points it shows as they stand, and mails every confirmed subscriber
// it covers in one statement.

const subject = (id: number) => ({ type: 'pcf_edition', id });
export const editionLink = (id: number) => `/pcf/editions/${id}`;
export const publicEditionLink = (id: number) => `/you-said-we-did/editions/${id}`;

export async function createEdition(db: Database, actor: Actor, raw: unknown): Promise<{ editionId: number }> {
	const input = parseInput(newEditionSchema, raw);
	return transact(db, actor.id, async (work) => {
		let districtName = COUNTY_NAME;
		if (input.districtId !== null) {
			const district = await work.trx.selectFrom('cluster').select(['name', 'kind']).where('id', '=', input.districtId).executeTakeFirst();
			if (!district || district.kind !== 'district') throw invalid('Choose a district, or all of Oxfordshire', { districtId: ['Choose a district, or all of Oxfordshire'] });
			districtName = district.name;
		}
		const draft: EditionRef = { districtId: input.districtId, districtName, leadUserIds: [], published: false, officerApprovedBy: null, leadApprovedBy: null };
		assertCan(actor, { action: 'pcf.edition.edit', edition: draft });
		const { id } = await work.trx
			.insertInto('pcf_edition')
			.values({
				district_id: input.districtId,
				title: input.title,
				period_from: input.periodFrom,
				period_to: input.periodTo,
				introduction: input.introduction,
				created_by: actor.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await work.record({
			action: 'pcf.edition_drafted',
			subject: subject(id),
			summary: `drafted the ${districtName} edition “${input.title}” for ${input.periodFrom} to ${input.periodTo}`,
			detail: { districtId: input.districtId }
		});
		return { editionId: id };
	});
}

/** The locked edition checked against the version the page showed: a stale page is told who saved since. */
async function checkSeen(work: Work, editionId: number, version: number, seenVersion: number): Promise<void> {
	if (version !== seenVersion) {
		const last = await work.trx
			.selectFrom('audit_log as a')
			.leftJoin('app_user as u', 'u.id', 'a.actor_id')
			.select('u.name')
			.where('a.subject_type', '=', 'pcf_edition')
			.where('a.subject_id', '=', editionId)
			.orderBy('a.id', 'desc')
			.executeTakeFirst();
		throw conflict(`${last?.name ?? 'Someone else'} changed this edition while you were working on it. Check what is saved now before you try again.`);
	}
}

export async function saveEdition(db: Database, actor: Actor, raw: unknown): Promise<{ version: number }> {
	const input = parseInput(saveEditionSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockEdition(work.trx, input.editionId);
		assertCan(actor, { action: 'pcf.edition.edit', edition: ref });
		await checkSeen(work, row.id, row.version, input.version);
		const hadApprovals = row.officer_approved_at !== null || row.lead_approved_at !== null;
		const { version } = await work.trx
			.updateTable('pcf_edition')
			.set({
				title: input.title,
				period_from: input.periodFrom,
				period_to: input.periodTo,
				introduction: input.introduction,
				// An approval is of the version read: a change asks for both again.
				officer_approved_by: null,
				officer_approved_at: null,
				lead_approved_by: null,
				lead_approved_at: null,
				version: sql`version + 1`
			})
			.where('id', '=', row.id)
			.returning('version')
			.executeTakeFirstOrThrow();
		await work.record({
			action: 'pcf.edition_saved',
			subject: subject(row.id),
			summary: `saved the edition${hadApprovals ? ', so its approvals are needed again' : ''}`,
			detail: { version }
		});
		return { version };
	});
}

/** An officer's or the PCF lead's approval of the version read; the second publishes the edition and mails its subscribers. */
export async function approveEdition(db: Database, actor: Actor, raw: unknown): Promise<{ published: boolean }> {
	const input = parseInput(approveEditionSchema, raw);
	return transact(db, actor.id, async (work) => {
		const { row, ref } = await lockEdition(work.trx, input.editionId);
		assertCan(actor, { action: 'pcf.edition.approve', edition: ref, as: input.as });
		await checkSeen(work, row.id, row.version, input.version);
		if ((input.as === 'officer' ? row.officer_approved_at : row.lead_approved_at) !== null) throw conflict('That approval has already been given.');
		const publish = editionWaitsFor({ officerApproved: input.as === 'officer' || row.officer_approved_at !== null, leadApproved: input.as === 'lead' || row.lead_approved_at !== null }).length === 0;
		const now = new Date();
		// Publishing freezes what the edition shows: later deliveries, withdrawals or theme changes move today's public page, never a sent edition.
		const frozen = publish ? await currentEditionPoints(work.trx, row) : null;
		await work.trx
			.updateTable('pcf_edition')
			.set({
				...(input.as === 'officer' ? { officer_approved_by: actor.id, officer_approved_at: now } : { lead_approved_by: actor.id, lead_approved_at: now }),
				published_at: publish ? now : null,
				points_snapshot: frozen ? JSON.stringify(frozen) : null,
				version: sql`version + 1`
			})
			.where('id', '=', row.id)
			.execute();
		const mailed = publish ? await mailSubscribers(work, { id: row.id, districtId: row.district_id, title: row.title, introduction: row.introduction, districtName: ref.districtName }) : 0;
		await work.record({
			action: publish ? 'pcf.edition_published' : 'pcf.edition_approved',
			subject: subject(row.id),
			summary: `approved the edition as ${input.as === 'officer' ? 'an officer' : 'the PCF lead'}${publish ? `, and it is now published (${mailed} subscriber${mailed === 1 ? '' : 's'} emailed)` : ''}`,
			detail: { as: input.as, version: row.version, mailed, ...(frozen ? { points: frozen.length } : {}) }
		});
		return { published: publish };
	});
}

/**
 * One insert of one message for each confirmed subscriber the edition covers (its district's and
 * the county-wide ones; every subscriber for a county-wide edition), each with its own unsubscribe
 * link in the text and the List-Unsubscribe header. The statements do not grow with subscribers.
 */
async function mailSubscribers(work: Work, edition: { id: number; districtId: number | null; title: string; introduction: string; districtName: string }): Promise<number> {
	const leave = unsubscribeLink('');
	const text =
		`${edition.title}\n\nA new “you said, we did” edition for ${edition.districtName} from the Oxfordshire Parent Carer Forum and Oxfordshire County Council.\n\n` +
		`${edition.introduction}\n\nRead it (and print it) at ${absoluteUrl(publicEditionLink(edition.id))}\n\n` +
		'You are getting this because you asked for these emails. To stop them, open this link: ';
	const covered = edition.districtId === null ? sql<boolean>`true` : sql<boolean>`(s.district_id is null or s.district_id = ${edition.districtId})`;
	const mailed = await sql<{ id: number }>`
		insert into mail_outbox (to_address, subject, body_text, transport, list_unsubscribe)
		select s.email, ${`You said, we did: ${edition.title}`}, ${text} || ${leave} || s.unsubscribe_key::text, ${mailTransport()}, ${leave} || s.unsubscribe_key::text || '/one-click'
		from pcf_subscriber s
		where s.confirmed_at is not null and ${covered}
		order by s.id
		returning id`.execute(work.trx);
	work.mailIds.push(...mailed.rows.map((r) => r.id));
	return mailed.rows.length;
}
