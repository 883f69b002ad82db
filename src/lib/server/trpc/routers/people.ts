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
import { cursorSchema, pageInput } from '$lib/schemas/pages';
import { parseCursor, NEWEST_FIRST_KEY } from '../../paging';
import {
	deactivate,
	grantRole,
	invitePerson,
	listPeople,
	mailOutbox,
	personDetail,
	reactivate,
	revokeRole,
	setCountyRole,
	PERSON_KEY
} from '../../people';

const personInput = z.object({ userId: idSchema() });
const viewProcedure = allowedProcedure({ action: 'people.view' });
const manageProcedure = allowedProcedure({ action: 'people.manage' });

/** People administration for council officers. The commands ask the policy again for the finer rules, on the rows they lock. */
export const peopleRouter = router({
	list: viewProcedure
		.input(peopleFilterSchema.extend({ cursor: cursorSchema }).optional())
		.query(({ ctx, input }) => listPeople(ctx.db, input ?? {}, parseCursor(input?.cursor, PERSON_KEY))),
	detail: viewProcedure.input(personInput).query(({ ctx, input }) => personDetail(ctx.db, input.userId)),
	invite: manageProcedure.input(inviteSchema).mutation(({ ctx, input }) => invitePerson(ctx.db, ctx.actor, input)),
	grantRole: manageProcedure.input(grantRoleSchema).mutation(({ ctx, input }) => grantRole(ctx.db, ctx.actor, input)),
	revokeRole: manageProcedure.input(revokeRoleSchema).mutation(({ ctx, input }) => revokeRole(ctx.db, ctx.actor, input)),
	setCountyRole: manageProcedure.input(setCountyRoleSchema).mutation(({ ctx, input }) => setCountyRole(ctx.db, ctx.actor, input)),
	deactivate: manageProcedure.input(accountStatusSchema).mutation(({ ctx, input }) => deactivate(ctx.db, ctx.actor, input)),
	reactivate: manageProcedure.input(accountStatusSchema).mutation(({ ctx, input }) => reactivate(ctx.db, ctx.actor, input)),
	mailOutbox: allowedProcedure({ action: 'mail.viewOutbox' })
		.input(pageInput)
		.query(({ ctx, input }) => mailOutbox(ctx.db, parseCursor(input?.cursor, NEWEST_FIRST_KEY)))
});
