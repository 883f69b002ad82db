import { z } from 'zod';
import { allowedProcedure, router } from '../procedures';
import {
	accountStatusSchema,
	grantRoleSchema,
	inviteSchema,
	peopleFilterSchema,
	revokeRoleSchema,
	setCountyRoleSchema
} from '$lib/schemas/people';
import { idSchema } from '$lib/schemas/common';
import { cursorOf, pageCursorSchema, pageInput } from '$lib/schemas/pages';
import {
	deactivate,
	grantRole,
	invitePerson,
	listPeople,
	mailOutbox,
	personDetail,
	reactivate,
	revokeRole,
	setCountyRole
} from '../../people';

const personInput = z.object({ userId: idSchema() });
const viewProcedure = allowedProcedure({ action: 'people.view' });
const manageProcedure = allowedProcedure({ action: 'people.manage' });

/** People administration for council officers. The commands ask the policy again for the finer rules, on the rows they lock. */
export const peopleRouter = router({
	list: viewProcedure
		.input(peopleFilterSchema.extend(pageCursorSchema.shape).optional())
		.query(({ ctx, input }) => listPeople(ctx.db, input ?? {}, cursorOf(input))),
	detail: viewProcedure.input(personInput).query(({ ctx, input }) => personDetail(ctx.db, input.userId)),
	invite: manageProcedure.input(inviteSchema).mutation(({ ctx, input }) => invitePerson(ctx.db, ctx.actor, input)),
	grantRole: manageProcedure.input(grantRoleSchema).mutation(({ ctx, input }) => grantRole(ctx.db, ctx.actor, input)),
	revokeRole: manageProcedure.input(revokeRoleSchema).mutation(({ ctx, input }) => revokeRole(ctx.db, ctx.actor, input)),
	setCountyRole: manageProcedure.input(setCountyRoleSchema).mutation(({ ctx, input }) => setCountyRole(ctx.db, ctx.actor, input)),
	deactivate: manageProcedure.input(accountStatusSchema).mutation(({ ctx, input }) => deactivate(ctx.db, ctx.actor, input)),
	reactivate: manageProcedure.input(accountStatusSchema).mutation(({ ctx, input }) => reactivate(ctx.db, ctx.actor, input)),
	mailOutbox: allowedProcedure({ action: 'mail.viewOutbox' })
		.input(pageInput)
		.query(({ ctx, input }) => mailOutbox(ctx.db, cursorOf(input)))
});
