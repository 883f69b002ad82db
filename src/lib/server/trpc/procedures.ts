import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Context } from './context';
import { assertCan, type PolicyCheck } from '../policy';
import { DomainError, errorReference, INTERNAL_MESSAGE } from '../errors';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../db/unavailable';
import { sectionConflictData } from '../document';
import { withIdempotencyKey } from './idempotency';
import type { Actor } from '../auth/actor';
import type { Database } from '../db';

const t = initTRPC.context<Context>().create({
	// Malformed input comes back field by field, in the same shape the forms show.
	errorFormatter({ shape, error }) {
		// The database restarting is no fault of the request: say so plainly, and answer 503 (tRPC takes
		// the response's status from `httpStatus`) so clients and balancers know to try again.
		if (isDatabaseUnavailable(error.cause)) {
			return { ...shape, message: DATABASE_UNAVAILABLE_MESSAGE, data: { ...shape.data, httpStatus: 503, stack: undefined } };
		}
		if (error.code === 'INTERNAL_SERVER_ERROR') {
			// Never the cause's own words (PostgreSQL's message names tables, values and addresses).
			const reference = errorReference(error);
			return { ...shape, message: `${INTERNAL_MESSAGE} Reference: ${reference}`, data: { ...shape.data, reference, stack: undefined } };
		}
		const fieldErrors =
			error.cause instanceof z.ZodError
				? z.flattenError(error.cause).fieldErrors
				: error.cause instanceof DomainError
					? error.cause.fieldErrors
					: undefined;
		// After a clash, the other writer's saved text rides along, so an API client can merge too.
		return { ...shape, data: { ...shape.data, fieldErrors, sectionConflict: sectionConflictData(error.cause), stack: undefined } };
	}
});

export const router = t.router;
export const mergeRouters = t.mergeRouters;

/** Turns feature errors into the matching tRPC codes, with the feature's own words. */
const domainErrors = t.middleware(async ({ next }) => {
	const result = await next();
	if (!result.ok && result.error.cause instanceof DomainError) {
		const cause = result.error.cause;
		throw new TRPCError({ code: cause.code, message: cause.message, cause });
	}
	return result;
});

/** The ladder: each rung narrows the context for the next. */
export const publicProcedure = t.procedure.use(domainErrors);

export const signedInProcedure = publicProcedure.use(({ ctx, type, path, rawInput, next }) => {
	const actor = ctx.actor;
	if (!actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'You need to sign in first.' });
	// A change sent with an Idempotency-Key is done once, however often it arrives (idempotency.ts).
	if (type === 'mutation' && ctx.idempotencyKey !== undefined) {
		return withIdempotencyKey({ key: ctx.idempotencyKey, userId: actor.id, procedure: path, input: rawInput }, () => next({ ctx: { ...ctx, actor } }));
	}
	return next({ ctx: { ...ctx, actor } });
});

/**
 * The rung for procedures the policy guards as a whole (people administration, county set-up):
 * `can(actor, check)` decides, and a refusal answers FORBIDDEN with the policy's reason. Checks
 * about a row are asked by the command, on the row it locks.
 */
export const allowedProcedure = (check: PolicyCheck) =>
	signedInProcedure.use(({ ctx, next }) => {
		assertCan(ctx.actor, check);
		return next();
	});

/** A feature command as the form actions call it: it parses its input again and asks the policy. */
export type Command<R> = (db: Database, actor: Actor, raw: unknown) => Promise<R>;

/**
 * A mutation over a feature command: the schema types the API (and refuses early), the command
 * parses the input again and asks the policy, exactly as the form actions call it.
 */
export const commandMutation = <S extends z.ZodType, R>(schema: S, command: Command<R>) =>
	signedInProcedure.input(schema).mutation(({ ctx, input }) => command(ctx.db, ctx.actor, input));
