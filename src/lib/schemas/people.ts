import { z } from 'zod';
import { CLUSTER_ROLES, COUNTY_ROLES, SETTING_ROLES } from '$lib/roles';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, REASON_MAX_LENGTH } from './limits';
import { idSchema, isOwnKey, ownValue, textSchema } from './common';

// People administration: invitations, roles and account status. Shared by the tRPC router and
// the admin pages' form actions, so both refuse the same input with the same words.

const email = textSchema('Enter their email address')
	.trim()
	.min(1, 'Enter their email address')
	.max(EMAIL_MAX_LENGTH, `Email address must be ${EMAIL_MAX_LENGTH} characters or fewer`)
	// Stored lower-case so one person cannot be invited twice under two spellings.
	.toLowerCase()
	.pipe(z.email('Enter an email address in the correct format, like name@school.org.uk'));

const personName = textSchema('Enter their full name')
	.trim()
	.min(1, 'Enter their full name')
	.max(NAME_MAX_LENGTH, `Name must be ${NAME_MAX_LENGTH} characters or fewer`);

const requiredReason = textSchema('Enter the reason')
	.trim()
	.min(1, 'Enter the reason, so the decision is on record')
	.max(REASON_MAX_LENGTH, `Reason must be ${REASON_MAX_LENGTH} characters or fewer`);

const optionalReason = textSchema()
	.trim()
	.max(REASON_MAX_LENGTH, `Reason must be ${REASON_MAX_LENGTH} characters or fewer`)
	.transform((value) => value || undefined)
	.optional();

const id = (message: string) => idSchema(message);

export const settingGrantSchema = z.object({
	kind: z.literal('setting'),
	settingId: id('Select a setting'),
	role: z.enum(SETTING_ROLES, { error: 'Select headteacher or SENCO' })
});

/** Whether the cluster is the right kind for the role (ROLE_CLUSTER_KINDS) is checked against the database. */
export const clusterGrantSchema = z.object({
	kind: z.literal('cluster'),
	clusterId: id('Select a cluster'),
	role: z.enum(CLUSTER_ROLES, { error: 'Select a cluster role' })
});

export const countyGrantSchema = z.object({
	kind: z.literal('county'),
	role: z.enum(COUNTY_ROLES, { error: 'Select council officer or administrator' })
});

export const grantSchema = z.discriminatedUnion('kind', [settingGrantSchema, clusterGrantSchema, countyGrantSchema], {
	error: 'Select the kind of role'
});
export type Grant = z.infer<typeof grantSchema>;
import type { GrantKind } from '$lib/roles';
export type { GrantKind };

export const inviteSchema = z.object({ email, name: personName, grant: grantSchema });
export type InviteInput = z.infer<typeof inviteSchema>;

const userId = id('Choose a person');

export const grantRoleSchema = z.object({ userId, grant: grantSchema, reason: optionalReason });
export type GrantRoleInput = z.infer<typeof grantRoleSchema>;

/** A setting membership and a cluster role live in different tables, so the kind says which id this is. */
export const revokeRoleSchema = z.object({
	userId,
	membership: z.object({
		kind: z.enum(['setting', 'cluster'], { error: 'Choose the role to remove' }),
		id: id('Choose the role to remove')
	}),
	reason: optionalReason
});
export type RevokeRoleInput = z.infer<typeof revokeRoleSchema>;

/** `role: null` removes the county role. */
export const setCountyRoleSchema = z.object({
	userId,
	role: z.enum(COUNTY_ROLES, { error: 'Select council officer, administrator or none' }).nullable(),
	reason: requiredReason
});
export type SetCountyRoleInput = z.infer<typeof setCountyRoleSchema>;

export const accountStatusSchema = z.object({ userId, reason: requiredReason });
export type AccountStatusInput = z.infer<typeof accountStatusSchema>;

export const PEOPLE_ROLE_FILTERS = ['any', 'none', ...COUNTY_ROLES, ...SETTING_ROLES, ...CLUSTER_ROLES] as const;
export type PeopleRoleFilter = (typeof PEOPLE_ROLE_FILTERS)[number];

export const peopleFilterSchema = z.object({
	search: textSchema()
		.trim()
		.max(NAME_MAX_LENGTH, `Search must be ${NAME_MAX_LENGTH} characters or fewer`)
		.optional()
		.transform((value) => value || undefined),
	role: z.enum(PEOPLE_ROLE_FILTERS).default('any'),
	status: z.enum(['any', 'active', 'deactivated']).default('any')
});
export type PeopleFilter = z.input<typeof peopleFilterSchema>;

// ——— Forms ———
// The pages post flat fields (one select per kind of role); these turn them into the shapes
// above and point each zod message back at the field it belongs to.

/** The form field that holds the role for each kind of grant. */
export const ROLE_FIELD: Record<GrantKind, string> = {
	setting: 'settingRole',
	cluster: 'clusterRole',
	county: 'countyRole'
};

function formText(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** '' and junk become undefined or NaN, which the schema refuses with the field's own message. */
function formId(form: FormData, name: string): number | undefined {
	const value = formText(form, name).trim();
	return value === '' ? undefined : Number(value);
}

export function grantFromForm(form: FormData): unknown {
	const kind = formText(form, 'kind');
	if (kind === 'setting') return { kind, settingId: formId(form, 'settingId'), role: formText(form, 'settingRole') };
	if (kind === 'cluster') return { kind, clusterId: formId(form, 'clusterId'), role: formText(form, 'clusterRole') };
	if (kind === 'county') return { kind, role: formText(form, 'countyRole') };
	return { kind };
}

/** The flat fields of the invite and add-role forms' role choice, kept to redisplay after an error. */
export const GRANT_FIELDS = ['kind', 'settingId', 'settingRole', 'clusterId', 'clusterRole', 'countyRole'] as const;

/**
 * Where each error of a people form shows (a FieldIds function for the form helper): an error key
 * is a dotted path (see server/input.ts). `grant.settingId` → `settingId`, `grant.role` → the role
 * select of the chosen kind, the grant itself → the kind radios; `rename` gives a page's own ids
 * (two forms with a reason on one page). The person and role being changed are not typed, so
 * their errors are said in the summary.
 */
export function peopleFieldIds(kind?: string, rename: Record<string, string> = {}): (key: string) => string | null {
	return (key) => {
		const [first, second] = key.split('.');
		let field = first;
		if (first === 'grant') {
			field = second === 'role' ? (isOwnKey(ROLE_FIELD, kind) ? ROLE_FIELD[kind] : 'kind') : second === undefined ? 'kind' : second;
		}
		if (field === 'userId' || field === 'membership') return null;
		return ownValue(rename, field) ?? field;
	};
}
