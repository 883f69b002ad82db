import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor, requirePermission } from '$lib/server/pages';
import { can, type AccountChange } from '$lib/server/policy';
import type { Actor } from '$lib/server/auth/actor';
import { deactivate, grantRole, personDetail, reactivate, revokeRole, setCountyRole } from '$lib/server/people';
import { grantPickers } from '$lib/server/pickers';
import { keepingPickers, typedIn } from '../pickers.server';
import { GRANT_FIELDS, grantFromForm, peopleFieldIds } from '$lib/schemas/people';
import type { CountyRole } from '$lib/roles';
import { formAction } from '$lib/server/forms';
import { ownValue } from '$lib/schemas/common';
import { numberOf } from '../../forms.server';

/** The add-role form's fields, with its pickers' search boxes. */
const GRANT_FORM_FIELDS = [...GRANT_FIELDS, 'reason', 'settingQuery', 'clusterQuery'];

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
		pickers: await grantPickers(db, actor, url.searchParams),
		// After a search without JavaScript: what was typed in the add-role form.
		typed: typedIn(url, GRANT_FORM_FIELDS),
		may: {
			roles: decision(actor, target, 'roles'),
			status: decision(actor, target, 'status'),
			countyRole: countyGrant.allowed ? countyChange : { allowed: false as const, reason: countyGrant.reason }
		},
		done: ownValue(DONE, url.searchParams.get('done')) ?? null
	};
};

type Params = { id: string };
const personOf = (params: Params) => parseId(params.id);
const doneHere = (params: Params, done: string) => `/admin/people/${personOf(params)}?done=${done}`;

/** Deactivating and reactivating post the same form (ids `status-…`); only the command differs. */
function statusAction(change: typeof deactivate | typeof reactivate, done: string, confirm?: string) {
	return formAction<unknown, Params>({
		form: 'status',
		fields: ['reason'],
		visible: peopleFieldIds(undefined, { reason: 'status-reason' }),
		// Deactivating signs the person out everywhere: a check step first (reactivating needs none).
		confirm,
		run: ({ db, actor, values, params }) => change(db, actor, { userId: personOf(params), reason: values.reason }),
		done: (_, { params }) => doneHere(params, done)
	});
}

export const actions: Actions = {
	grant: keepingPickers(formAction<unknown, Params>({
		form: 'grant',
		fields: GRANT_FORM_FIELDS,
		visible: (key, values) => peopleFieldIds(values.kind, { reason: 'grant-reason' })(key),
		run: ({ db, actor, values, data, params }) => grantRole(db, actor, { userId: personOf(params), grant: grantFromForm(data), reason: values.reason }),
		done: (_, { params }) => doneHere(params, 'granted')
	})),
	// Only the check step posts this; a post from anywhere else is sent back to it.
	revoke: formAction<unknown, Params>({
		form: 'revoke',
		fields: ['membershipKind', 'membershipId'],
		visible: () => null,
		confirm: 'remove this role',
		run: ({ db, actor, values, params }) =>
			revokeRole(db, actor, { userId: personOf(params), membership: { kind: values.membershipKind, id: numberOf(values.membershipId) } }),
		done: (_, { params }) => doneHere(params, 'revoked')
	}),
	county: formAction<unknown, Params>({
		form: 'county',
		fields: ['countyRole', 'reason'],
		visible: peopleFieldIds(undefined, { role: 'county-role', reason: 'county-reason' }),
		run: ({ db, actor, values, params }) =>
			setCountyRole(db, actor, { userId: personOf(params), role: values.countyRole === 'none' ? null : values.countyRole, reason: values.reason }),
		done: (_, { params }) => doneHere(params, 'county')
	}),
	deactivate: statusAction(deactivate, 'deactivated', 'deactivate this account'),
	reactivate: statusAction(reactivate, 'reactivated')
};
