import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor, requirePermission } from '$lib/server/pages';
import { can, type AccountChange } from '$lib/server/policy';
import type { Actor } from '$lib/server/auth/actor';
import type { Database } from '$lib/server/db';
import { deactivate, grantOptions, grantRole, personDetail, reactivate, revokeRole, setCountyRole } from '$lib/server/people';
import {
	accountStatusSchema,
	grantFormValues,
	grantFromForm,
	grantRoleSchema,
	peopleFieldErrors,
	revokeRoleSchema,
	setCountyRoleSchema
} from '$lib/schemas/people';
import type { CountyRole } from '$lib/roles';
import { confirmedIn, confirmMessage, textOf } from '$lib/server/forms';
import { ownValue } from '$lib/schemas/common';
import { invalidForm, refuse } from '../forms.server';

/** What the banner says after each kind of change (the action redirects with ?done=<key>). */
const DONE: Record<string, string> = {
	granted: 'Role added. They have been told in the portal and by email.',
	revoked: 'Role removed. They have been told in the portal.',
	county: 'County role changed.',
	deactivated: 'Account deactivated. They have been signed out everywhere and cannot sign in.',
	reactivated: 'Account reactivated. They can sign in again with their password.'
};

function decision(actor: Actor, person: { id: number; countyRole: CountyRole | null }, change: AccountChange) {
	const answer = can(actor, { action: 'people.changeAccount', person, change });
	return answer.allowed ? { allowed: true as const, reason: '' } : { allowed: false as const, reason: answer.reason };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'people.view' });
	const { db } = await portal();
	const detail = await forPage(personDetail(db, parseId(params.id)));
	const target = { id: detail.person.id, countyRole: detail.person.countyRole };
	const countyGrant = can(actor, { action: 'people.grantCountyRole', role: 'officer' });
	const countyChange = decision(actor, target, 'countyRole');
	return {
		...detail,
		options: await grantOptions(db),
		may: {
			roles: decision(actor, target, 'roles'),
			status: decision(actor, target, 'status'),
			countyRole: countyGrant.allowed ? countyChange : { allowed: false as const, reason: countyGrant.reason }
		},
		done: ownValue(DONE, url.searchParams.get('done')) ?? null
	};
};

/** Every action: signed in, allowed to manage people at all; the command checks the rest. */
async function begin(locals: App.Locals, url: URL, request: Request, params: { id: string }) {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'people.manage' });
	const userId = parseId(params.id);
	const { db } = await portal();
	return { actor, userId, db, form: await request.formData() };
}

export const actions: Actions = {
	grant: async ({ locals, url, request, params }) => {
		const { actor, userId, db, form } = await begin(locals, url, request, params);
		const values = { ...grantFormValues(form), reason: textOf(form, 'reason') };
		const rename = { reason: 'grant-reason' };
		const parsed = grantRoleSchema.safeParse({ userId, grant: grantFromForm(form), reason: values.reason });
		if (!parsed.success) return invalidForm('grant', peopleFieldErrors(parsed.error, { kind: values.kind, rename }), values);
		try {
			await grantRole(db, actor, parsed.data);
		} catch (caught) {
			return refuse(caught, 'grant', values, rename);
		}
		redirect(303, `/admin/people/${userId}?done=granted`);
	},
	revoke: async ({ locals, url, request, params }) => {
		const { actor, userId, db, form } = await begin(locals, url, request, params);
		const parsed = revokeRoleSchema.safeParse({
			userId,
			membership: { kind: textOf(form, 'membershipKind'), id: Number(textOf(form, 'membershipId')) }
		});
		if (!parsed.success) return invalidForm('revoke', {}, {});
		// Only the check step posts this; a post from anywhere else is sent back to it.
		if (!confirmedIn(form)) return invalidForm('revoke', {}, {}, confirmMessage('remove this role'));
		try {
			await revokeRole(db, actor, parsed.data);
		} catch (caught) {
			return refuse(caught, 'revoke', {});
		}
		redirect(303, `/admin/people/${userId}?done=revoked`);
	},
	county: async ({ locals, url, request, params }) => {
		const { actor, userId, db, form } = await begin(locals, url, request, params);
		const values = { countyRole: textOf(form, 'countyRole'), reason: textOf(form, 'reason') };
		const rename = { role: 'county-role', reason: 'county-reason' };
		const parsed = setCountyRoleSchema.safeParse({
			userId,
			role: values.countyRole === 'none' ? null : values.countyRole,
			reason: values.reason
		});
		if (!parsed.success) return invalidForm('county', peopleFieldErrors(parsed.error, { rename }), values);
		try {
			await setCountyRole(db, actor, parsed.data);
		} catch (caught) {
			return refuse(caught, 'county', values, rename);
		}
		redirect(303, `/admin/people/${userId}?done=county`);
	},
	deactivate: statusAction(deactivate, 'deactivated'),
	reactivate: statusAction(reactivate, 'reactivated')
};

/** Deactivating and reactivating post the same form (ids `status-…`); only the command differs. */
function statusAction(change: (db: Database, actor: Actor, userId: number, reason: string) => Promise<unknown>, done: string) {
	return async ({ locals, url, request, params }: RequestEvent) => {
		const { actor, userId, db, form } = await begin(locals, url, request, params);
		const values = { reason: textOf(form, 'reason') };
		const rename = { reason: 'status-reason' };
		const parsed = accountStatusSchema.safeParse({ userId, reason: values.reason });
		if (!parsed.success) return invalidForm('status', peopleFieldErrors(parsed.error, { rename }), values);
		// Deactivating signs the person out everywhere: a check step first (reactivating needs none).
		if (done === 'deactivated' && !confirmedIn(form)) return invalidForm('status', { 'status-confirm': [confirmMessage('deactivate this account')] }, values);
		try {
			await change(db, actor, userId, parsed.data.reason);
		} catch (caught) {
			return refuse(caught, 'status', values, rename);
		}
		redirect(303, `/admin/people/${userId}?done=${done}`);
	};
}
