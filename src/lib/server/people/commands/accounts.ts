import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { conflict } from '../../errors';
import { transact } from '../../work';
import { accountStatusSchema } from '$lib/schemas/people';
import { assertChange, clustersOfPerson, lockPerson, membershipChanged, sameEmail } from './shared';

// Account status: an officer closes an account at once, or opens it again.

const REASON_MESSAGE = 'Check the reason and try again.';

/** Closes an account at once: no sign-in, every session ended, live connections dropped. */
export async function deactivate(db: Database, actor: Actor, raw: unknown): Promise<{ sessionsEnded: number }> {
	assertCan(actor, { action: 'people.manage' });
	const input = parseInput(accountStatusSchema, raw, REASON_MESSAGE);
	return transact(db, actor.id, async (work) => {
		const person = await lockPerson(work.trx, input.userId);
		assertChange(actor, person, 'status');
		if (!person.is_active) throw conflict(`${person.name}'s account is already deactivated.`);
		await work.trx
			.updateTable('app_user')
			.set((eb) => ({ is_active: false, deactivated_at: new Date(), version: eb('version', '+', 1) }))
			.where('id', '=', person.id)
			.execute();
		const ended = await work.trx.deleteFrom('user_session').where('user_id', '=', person.id).executeTakeFirst();
		// Their unused invitations die with the account, so a link cannot bring it back.
		await work.trx
			.updateTable('invitation')
			.set({ revoked_at: new Date() })
			.where(sameEmail(person.email))
			.where('used_at', 'is', null)
			.where('revoked_at', 'is', null)
			.execute();
		const sessionsEnded = Number(ended.numDeletedRows);
		await work.record({
			action: 'person.deactivated',
			subject: { type: 'person', id: person.id },
			summary: `Account deactivated: ${sessionsEnded} session${sessionsEnded === 1 ? '' : 's'} ended`,
			reason: input.reason,
			detail: { sessionsEnded }
		});
		await membershipChanged(work, await clustersOfPerson(work.trx, person.id), [person.id]);
		return { sessionsEnded };
	});
}

export async function reactivate(db: Database, actor: Actor, raw: unknown): Promise<void> {
	assertCan(actor, { action: 'people.manage' });
	const input = parseInput(accountStatusSchema, raw, REASON_MESSAGE);
	await transact(db, actor.id, async (work) => {
		const person = await lockPerson(work.trx, input.userId);
		assertChange(actor, person, 'status');
		if (person.is_active) throw conflict(`${person.name}'s account is already active.`);
		await work.trx
			.updateTable('app_user')
			.set((eb) => ({ is_active: true, deactivated_at: null, version: eb('version', '+', 1) }))
			.where('id', '=', person.id)
			.execute();
		await work.record({ action: 'person.reactivated', subject: { type: 'person', id: person.id }, summary: 'Account reactivated', reason: input.reason });
		await membershipChanged(work, await clustersOfPerson(work.trx, person.id), [person.id]);
	});
}
