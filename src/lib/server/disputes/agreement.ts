import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan } from '../policy';
import { parseInput } from '../input';
import { transact } from '../work';
import { conflict, invalid } from '../errors';
import { agreementSchema } from '$lib/schemas/disputes';
import { caseRef } from './cases';

// Taking part is voluntary: each party's agreement is recorded before anything is shared with the
// other. The officer records it on the case, against the version they saw (a 409 if someone else
// changed the case first); the history names the case by reference only.

const PARTY_WORDS = { family: 'the family’s', setting: 'the setting’s' } as const;

export async function recordAgreement(db: Database, actor: Actor | null, raw: unknown): Promise<{ bothAgreed: boolean }> {
	const input = parseInput(agreementSchema, raw);
	return transact(db, actor?.id ?? null, async (work) => {
		const { row, ref } = await caseRef(work.trx, input.caseId, true);
		assertCan(actor, { action: 'disputes.case.manage', case: ref });
		if (row.status !== 'referred') throw invalid('This case has gone to another route, so no panel agreement is needed.');
		if (row.version !== input.version) throw conflict('Someone else changed this case while you were looking at it. Check it and record the agreement again.');
		const column = input.party === 'family' ? 'family_agreed_at' : 'setting_agreed_at';
		if (row[column] !== null) throw invalid(`${PARTY_WORDS[input.party].replace(/^t/, 'T')} agreement is already recorded.`);
		const updated = await work.trx
			.updateTable('dispute_case')
			.set((eb) => ({ [column]: eb.fn('now', []), version: eb('version', '+', 1) }))
			.where('id', '=', row.id)
			.returning(['family_agreed_at', 'setting_agreed_at'])
			.executeTakeFirstOrThrow();
		const bothAgreed = updated.family_agreed_at !== null && updated.setting_agreed_at !== null;
		await work.record({
			action: 'disputes.agreement_recorded',
			subject: { type: 'dispute_case', id: row.id },
			summary: `Recorded ${PARTY_WORDS[input.party]} agreement to take part in ${row.reference}${bothAgreed ? '; both parties have agreed' : ''}`,
			detail: { party: input.party }
		});
		return { bothAgreed };
	});
}
