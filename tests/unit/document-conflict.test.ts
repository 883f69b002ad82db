import { describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { SectionConflict, conflictMessage, sectionConflictData } from '../../src/lib/server/document/conflict';
import { DomainError, conflict } from '../../src/lib/server/errors';

const clash = { section: 'budget', label: 'Budget', version: 4, theirs: ['Therapist (Staffing): £12,000.50'], savedBy: 'Amira Shah' };

describe('a clash between two writers of one section', () => {
	it('is a CONFLICT every edge already understands, in the words the bid page uses today', () => {
		const error = new SectionConflict(clash);
		expect(error).toBeInstanceOf(DomainError);
		expect(error.code).toBe('CONFLICT');
		expect(error.message).toBe(conflictMessage('Budget'));
		expect(error.message).toBe('Someone else saved “Budget” while you were editing. Their version is shown below: combine it with yours and save again.');
	});

	it('carries the other writer’s text through tRPC’s error as its cause', () => {
		const wrapped = new TRPCError({ code: 'CONFLICT', message: 'x', cause: new SectionConflict(clash) });
		expect(sectionConflictData(wrapped.cause)).toEqual(clash);
	});

	it('carries nothing for any other refusal', () => {
		expect(sectionConflictData(conflict('The bid changed since you opened it.'))).toBeNull();
		expect(sectionConflictData(new Error('boom'))).toBeNull();
		expect(sectionConflictData(undefined)).toBeNull();
	});
});
