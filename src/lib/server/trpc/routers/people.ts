import { z } from 'zod';
import { authorize, officerProcedure, router } from '../procedures';
import {
	accountStatusSchema,
	grantRoleSchema,
	inviteSchema,
	peopleFilterSchema,
	revokeRoleSchema,
	setCountyRoleSchema
} from '$lib/schemas/people';
import { idSchema } from '$lib/schemas/common';
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

/** People administration for council officers. The commands ask the policy again for the finer rules. */
export const peopleRouter = router({
	list: officerProcedure.input(peopleFilterSchema.optional()).query(({ ctx, input }) => {
		authorize(ctx.actor, { action: 'people.view' });
		return listPeople(ctx.db, input ?? {});
	}),
	detail: officerProcedure.input(personInput).query(({ ctx, input }) => {
		authorize(ctx.actor, { action: 'people.view' });
		return personDetail(ctx.db, input.userId);
	}),
	invite: officerProcedure.input(inviteSchema).mutation(({ ctx, input }) => {
		authorize(ctx.actor, { action: 'people.manage' });
		return invitePerson(ctx.db, ctx.actor, input);
	}),
	grantRole: officerProcedure.input(grantRoleSchema).mutation(({ ctx, input }) => {
		authorize(ctx.actor, { action: 'people.manage' });
		return grantRole(ctx.db, ctx.actor, input);
	}),
	revokeRole: officerProcedure.input(revokeRoleSchema).mutation(({ ctx, input }) => {
		authorize(ctx.actor, { action: 'people.manage' });
		return revokeRole(ctx.db, ctx.actor, input);
	}),
	setCountyRole: officerProcedure.input(setCountyRoleSchema).mutation(({ ctx, input }) => {
		authorize(ctx.actor, { action: 'people.grantCountyRole', role: input.role ?? 'officer' });
		return setCountyRole(ctx.db, ctx.actor, input);
	}),
	deactivate: officerProcedure.input(accountStatusSchema).mutation(({ ctx, input }) => {
		authorize(ctx.actor, { action: 'people.manage' });
		return deactivate(ctx.db, ctx.actor, input.userId, input.reason);
	}),
	reactivate: officerProcedure.input(accountStatusSchema).mutation(({ ctx, input }) => {
		authorize(ctx.actor, { action: 'people.manage' });
		return reactivate(ctx.db, ctx.actor, input.userId, input.reason);
	}),
	mailOutbox: officerProcedure.query(({ ctx }) => {
		authorize(ctx.actor, { action: 'mail.viewOutbox' });
		return mailOutbox(ctx.db);
	})
});
