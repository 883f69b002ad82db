import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { can } from '$lib/server/policy';
import { grantOptions, invitePerson, type InviteResult } from '$lib/server/people';
import { grantFormValues, grantFromForm, inviteSchema, peopleFieldErrors } from '$lib/schemas/people';
import { textOf } from '$lib/server/forms';
import { invalidForm, refuse } from '../forms.server';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'people.manage' });
	const { db } = await portal();
	return {
		options: await grantOptions(db),
		allowCounty: can(actor, { action: 'people.grantCountyRole', role: 'officer' }).allowed,
		// Without a mail server, invitations are only in the server log and the outgoing-mail page.
		mailIsLogged: !process.env.SMTP_URL
	};
};

export const actions: Actions = {
	default: async ({ locals, url, request }) => {
		const actor = requireActor(locals, url);
		requirePermission(actor, { action: 'people.manage' });
		const form = await request.formData();
		const values = { email: textOf(form, 'email'), name: textOf(form, 'name'), ...grantFormValues(form) };
		const parsed = inviteSchema.safeParse({ email: values.email, name: values.name, grant: grantFromForm(form) });
		if (!parsed.success) return invalidForm('invite', peopleFieldErrors(parsed.error, { kind: values.kind }), values);
		const { db } = await portal();
		let result: InviteResult;
		try {
			result = await invitePerson(db, actor, parsed.data);
		} catch (caught) {
			return refuse(caught, 'invite', values);
		}
		return {
			sent: {
				kind: result.kind,
				name: result.kind === 'granted' ? result.name : parsed.data.name,
				email: parsed.data.email,
				userId: result.kind === 'granted' ? result.userId : null
			}
		};
	}
};
