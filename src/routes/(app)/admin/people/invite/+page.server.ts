import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { can } from '$lib/server/policy';
import { invitePerson } from '$lib/server/people';
import { grantPickers } from '$lib/server/pickers';
import { keepingPickers, typedIn } from '../pickers.server';
import { GRANT_FIELDS, grantFromForm, peopleFieldIds } from '$lib/schemas/people';
import { refuseForm, textOf } from '$lib/server/forms';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'people.manage' });
	const { db } = await portal();
	return {
		pickers: await grantPickers(db, actor, url.searchParams),
		// After a search without JavaScript: what was typed in the rest of the form.
		typed: typedIn(url, FIELDS),
		allowCounty: can(actor, { action: 'people.grantCountyRole', role: 'officer' }).allowed,
		// Without a mail server, invitations are only in the server log and the outgoing-mail page.
		mailIsLogged: !process.env.SMTP_URL
	};
};

const FIELDS = ['email', 'name', ...GRANT_FIELDS, 'settingQuery', 'clusterQuery'];

export const actions: Actions = {
	// Not a redirect: the page says who was invited and offers an emptied form for the next person.
	default: keepingPickers(async ({ locals, url, request }) => {
		const actor = requireActor(locals, url);
		const form = await request.formData();
		const values = Object.fromEntries(FIELDS.map((field) => [field, textOf(form, field)]));
		const { db } = await portal();
		try {
			const sent = await invitePerson(db, actor, { email: values.email, name: values.name, grant: grantFromForm(form) });
			return { sent: { kind: sent.kind, name: sent.name, email: sent.kind === 'invited' ? sent.email : '', userId: sent.kind === 'granted' ? sent.userId : null } };
		} catch (caught) {
			return refuseForm(caught, 'invite', values, peopleFieldIds(values.kind));
		}
	})
};
