import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Actor } from '../../src/lib/server/auth/actor';
import { createBid, openRound } from '../../src/lib/server/bids/commands';
import { bidDetail, roundDetail } from '../../src/lib/server/bids/queries';
import { appRouter } from '../../src/lib/server/trpc/router';
import { setLeadRounds } from '../../src/lib/server/clusters';
import { actors, db, expectRefusal, ids, inDays, roundInput, today, useBidsCounty } from './bids-fixture';

// Funding rounds: who opens them, who sees their figures, and the API's checks on round and milestone dates.
useBidsCounty();

describe('funding rounds', () => {
	it('an officer opens a round; a SENCO, an outsider and a cluster lead without permission cannot', async () => {
		const roundId = await openRound(db, actors.officer, roundInput());
		expect(roundId).toBeGreaterThan(0);
		const audit = await db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'funding_round').where('subject_id', '=', roundId).execute();
		expect(audit[0]).toMatchObject({ action: 'round.opened', actor_id: ids.officer });
		const before = await db.selectFrom('funding_round').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		for (const who of ['sencoMeadow', 'outsider', 'lead', 'pcf']) {
			await expectRefusal(openRound(db, actors[who], roundInput()), 'FORBIDDEN', /council officers/);
		}
		const after = await db.selectFrom('funding_round').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(Number(after.n)).toBe(Number(before.n));
	});

	it('a cluster lead can open a round once an officer allows it for their cluster, and not after it is withdrawn', async () => {
		const version = async () => (await db.selectFrom('cluster').select('version').where('id', '=', ids.banbury).executeTakeFirstOrThrow()).version;
		await expectRefusal(
			setLeadRounds(db, actors.lead, { clusterId: ids.banbury, allowed: true, version: await version(), reason: 'Let me' }),
			'FORBIDDEN'
		);
		await setLeadRounds(db, actors.officer, { clusterId: ids.banbury, allowed: true, version: await version(), reason: 'Steering group asked' });
		const audit = await db
			.selectFrom('audit_log')
			.selectAll()
			.where('subject_type', '=', 'cluster')
			.where('action', '=', 'cluster.lead_rounds_allowed')
			.executeTakeFirstOrThrow();
		expect(audit).toMatchObject({ actor_id: ids.officer, reason: 'Steering group asked' });
		await expect(openRound(db, actors.lead, roundInput({ name: 'Lead round' }))).resolves.toBeGreaterThan(0);
		await expectRefusal(
			setLeadRounds(db, actors.officer, { clusterId: ids.banbury, allowed: false, version: 1, reason: 'Stale' }),
			'CONFLICT'
		);
		await setLeadRounds(db, actors.officer, { clusterId: ids.banbury, allowed: false, version: await version(), reason: 'Back to officers' });
		await expectRefusal(openRound(db, actors.lead, roundInput({ name: 'Too late' })), 'FORBIDDEN');
	});

	it('round figures are visible to cluster members and refused to other clusters', async () => {
		const roundId = await openRound(db, actors.officer, roundInput({ name: 'Visible round' }));
		const detail = await roundDetail(db, actors.pcf, roundId);
		expect(detail.round).toMatchObject({ pot_pence: 5_000_000, approved_pence: 0, remaining_pence: 5_000_000, requested_pence: 0 });
		await expectRefusal(roundDetail(db, actors.outsider, roundId), 'FORBIDDEN', /Banbury/);
	});
});

/** A refused call's messages by field, as the API's error formatter gives them. */
const fieldErrorsOf = (cause: unknown): Record<string, string[] | undefined> => (cause instanceof z.ZodError ? z.flattenError(cause).fieldErrors : {});

describe('bids through the API', () => {
	const caller = (actor: Actor | null) => appRouter.createCaller({ db, io: undefined, actor, session: null, event: {} as never });

	it('refuses a stranger, accepts a member, and rejects malformed money field by field', async () => {
		const roundId = await openRound(db, actors.officer, roundInput({ name: 'API round' }));
		await expect(caller(actors.outsider).bids.round({ roundId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(caller(actors.sencoMeadow).bids.round({ roundId })).resolves.toMatchObject({ round: { name: 'API round' } });
		await expect(caller(null).bids.round({ roundId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		for (const potPence of ['-5', 'lots', '1.234', '100000001']) {
			const error = await caller(actors.officer)
				.bids.openRound({ ...roundInput(), potPence })
				.then(() => null, (e: { code: string; cause?: unknown }) => e);
			expect(error?.code, potPence).toBe('BAD_REQUEST');
		}
		const error = await caller(actors.officer)
			.bids.openRound({ ...roundInput(), maxRequestPence: 9_000_000 })
			.then(() => null, (e: Error) => e);
		expect(error?.message).toMatch(/Maximum request cannot be more than the pot/);
	});

	it('refuses round dates that are absurd, past or reversed, naming the field, and opens none', async () => {
		const before = (await caller(actors.officer).bids.rounds({ clusterId: ids.banbury })).length;
		const refused = async (dates: { opensOn?: unknown; closesOn?: unknown }) => {
			const error = await caller(actors.officer)
				.bids.openRound({ ...roundInput({ name: 'Odd dates' }), ...dates } as never)
				.then(() => null, (e: { code: string; cause?: unknown }) => e);
			expect(error?.code, JSON.stringify(dates)).toBe('BAD_REQUEST');
			return fieldErrorsOf(error?.cause);
		};
		expect((await refused({ opensOn: '0000-01-01' })).opensOn?.[0]).toMatch(/^Opening date must be a real date/);
		expect((await refused({ opensOn: '2001-01-01' })).opensOn?.[0]).toBe('Opening date must be today or in the future');
		expect((await refused({ closesOn: '9999-12-30' })).closesOn?.[0]).toMatch(/^Closing date must be within 2 years of today/);
		expect((await refused({ closesOn: inDays(-1) })).closesOn?.[0]).toBe('Closing date must be in the future');
		expect((await refused({ closesOn: today() })).closesOn?.[0]).toBe('Closing date must be in the future');
		expect((await refused({ opensOn: inDays(400) })).opensOn?.[0]).toMatch(/^Opening date must be within 1 year of today/);
		expect((await refused({ opensOn: inDays(20), closesOn: inDays(10) })).closesOn?.[0]).toBe('Closing date must be after the opening date');
		expect((await refused({ closesOn: '2027-02-30' })).closesOn?.[0]).toMatch(/^Closing date must be a real date/);
		expect((await refused({ closesOn: '' })).closesOn?.[0]).toBe('Enter the closing date');
		// The form's day, month and year fields go through the same rules; a missing part is named.
		expect((await refused({ closesOn: { day: '1', month: '', year: '2027' } })).closesOn?.[0]).toBe('Closing date must include a month');
		expect(await caller(actors.officer).bids.rounds({ clusterId: ids.banbury })).toHaveLength(before);
		await expect(
			caller(actors.officer).bids.openRound({ ...roundInput({ name: 'Typed dates' }), closesOn: { day: inDays(30).slice(8), month: inDays(30).slice(5, 7), year: inDays(30).slice(0, 4) } } as never)
		).resolves.toBeGreaterThan(0);
	});

	it('refuses a milestone due in the past or decades ahead, naming the field, and keeps the saved ones', async () => {
		const roundId = await openRound(db, actors.officer, roundInput({ name: 'Milestone dates' }));
		const bidId = await createBid(db, actors.sencoMeadow, { roundId, leadSettingId: ids.meadow, title: 'Milestone dates bid' });
		const save = (dueOn: string) =>
			caller(actors.sencoMeadow)
				.bids.saveSection({ bidId, section: 'milestones', version: 0, content: { milestones: [{ title: 'Therapist in post', dueOn }] } })
				.then(() => null, (e: { code: string; cause?: unknown }) => e);
		for (const [dueOn, message] of [
			['2020-06-30', /^Due date must be today or in the future/],
			[inDays(-1), /^Due date must be today or in the future/],
			['2100-01-01', /^Due date must be within 5 years of today/]
		] as const) {
			const error = await save(dueOn);
			expect(error?.code, dueOn).toBe('BAD_REQUEST');
			expect(JSON.stringify(fieldErrorsOf(error?.cause)), dueOn).toMatch(message.source.replace('^', ''));
		}
		expect((await bidDetail(db, actors.sencoMeadow, bidId)).content.milestones).toEqual([]);
		expect(await save(inDays(60))).toBeNull();
	});
});
