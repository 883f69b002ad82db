import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldErrorsOf, parseInput } from '../../src/lib/server/input';
import { DomainError } from '../../src/lib/server/errors';
import { formRefusal, prefixedIds } from '../../src/lib/server/forms';
import { refusalFor } from '../../src/lib/form-refusal';
import { assertCan, can } from '../../src/lib/server/policy';

// The write path's edges, once for every feature: a command's input is parsed with its schema and
// refused field by field in words for people; a form maps those fields to the inputs a person sees.

const schema = z.object({
	name: z.string().trim().min(1, 'Enter a name'),
	clusterId: z.number().int(),
	opensOn: z.object({ day: z.number(), month: z.number().max(12, 'Month must be 12 or less'), year: z.number() }),
	rows: z.array(z.object({ amountPence: z.number() }))
});

function refusalOf(run: () => unknown): DomainError {
	try {
		run();
	} catch (caught) {
		if (caught instanceof DomainError) return caught;
		throw caught;
	}
	throw new Error('expected a refusal');
}

describe('parseInput', () => {
	it('returns the parsed value when the input is good', () => {
		const input = { name: ' Banbury ', clusterId: 3, opensOn: { day: 1, month: 2, year: 2027 }, rows: [] };
		expect(parseInput(schema, input).name).toBe('Banbury');
	});

	it('refuses with a 400 and an error for each field, keyed by its path', () => {
		const refusal = refusalOf(() =>
			parseInput(schema, { name: '', clusterId: 'x', opensOn: { day: 1, month: 13, year: 2027 }, rows: [{ amountPence: 'lots' }] })
		);
		expect(refusal.code).toBe('BAD_REQUEST');
		expect(refusal.fieldErrors).toEqual({
			name: ['Enter a name'],
			clusterId: ['This form is out of date. Reload the page and try again.'],
			'opensOn.month': ['Month must be 12 or less'],
			'rows.0.amountPence': ['Enter an amount in pounds, like 1250 or 1250.50']
		});
	});

	it('never talks about types to people', () => {
		const errors = fieldErrorsOf(z.object({ count: z.number() }).safeParse({ count: 'many' }).error!);
		expect(errors.count).toEqual(['Enter a whole number']);
	});
});

describe('form refusals', () => {
	it('puts each error beside the input a person sees, a date part beside its part, and hidden fields in the summary', () => {
		const refusal = new DomainError('BAD_REQUEST', 'Check', {
			name: ['Enter a name'],
			'opensOn.month': ['Month must be 12 or less'],
			version: ['This form is out of date. Reload the page and try again.']
		});
		const state = formRefusal(refusal, prefixedIds('round', ['name', 'opensOn']));
		expect(state).toEqual({
			status: 400,
			message: '',
			errors: { 'round-name': ['Enter a name'], 'round-opensOn-month': ['Month must be 12 or less'] },
			conflict: false
		});
		const hiddenOnly = formRefusal(new DomainError('BAD_REQUEST', 'Check', { version: ['Out of date'] }), prefixedIds('round', ['name']));
		expect(hiddenOnly.message).toBe('Out of date');
	});

	it('says a conflict in the summary even when a field is named', () => {
		const state = formRefusal(new DomainError('CONFLICT', 'Someone else saved first.', { name: ['Changed'] }), prefixedIds('f', ['name']));
		expect(state).toMatchObject({ status: 409, conflict: true, message: 'Someone else saved first.' });
	});

	it('is read by the form it names, and no other', () => {
		const answer = { form: 'rename', message: '', errors: {}, values: {}, conflict: false };
		expect(refusalFor(answer, 'rename')).toBe(answer);
		expect(refusalFor(answer, 'merge')).toBeNull();
		expect(refusalFor(null, 'rename')).toBeNull();
	});
});

describe('assertCan', () => {
	const officer = { id: 1, name: 'O', email: 'o@x.test', countyRole: 'officer' as const, settingRoles: [], clusterRoles: [], clusterIds: [] };
	const head = { ...officer, id: 2, countyRole: null };

	it('lets through what the policy allows', () => {
		expect(() => assertCan(officer, { action: 'county.view' })).not.toThrow();
	});

	it('refuses with the policy’s own reason, as a FORBIDDEN refusal', () => {
		const refusal = refusalOf(() => assertCan(head, { action: 'county.view' }));
		expect(refusal.code).toBe('FORBIDDEN');
		expect(refusal.message).toBe((can(head, { action: 'county.view' }) as { reason: string }).reason);
	});

	it('refuses anyone not signed in', () => {
		expect(refusalOf(() => assertCan(null, { action: 'county.view' })).message).toBe('You need to sign in first.');
	});
});
