import { z } from 'zod';
import { dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '$lib/schemas/limits';
import { parseInput } from '../input';

/**
 * NCSC's password advice: length over complexity (at least 12 characters, no rules about
 * symbols or capitals, long passphrases welcome) and a block list of the passwords attackers try
 * first. The list is zxcvbn-ts's common-passwords dictionary (about 49,000 leaked passwords);
 * it stays on the server (it is large) and is loaded once.
 */
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
	common ??= new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));
	return common;
}

export const PASSWORD_TOO_COMMON =
	'This password is too common: it is on a list of passwords people often use. Choose a different one, such as three or four unrelated words.';

/** What is wrong with a new password, or null when it is fine. */
export function passwordProblem(password: string, person: { email?: string; name?: string } = {}): string | null {
	if (password.length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters`;
	if (password.length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
	const lower = password.toLowerCase();
	// Also the common word with a number or symbols tacked on either end ("Password2026!").
	const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
	const list = commonPasswords();
	if (list.has(lower) || list.has(core) || /^(.)\1+$/u.test(password)) return PASSWORD_TOO_COMMON;
	const local = person.email?.split('@')[0]?.toLowerCase();
	if ((local && local.length >= 4 && core === local) || (person.email && lower.includes(person.email.toLowerCase()))) {
		return 'Your password must not be your email address. Choose something else.';
	}
	return null;
}

/** A new password typed twice, checked against the rule above (for invitations, resets and changes). */
export function newPasswordSchema(person: { email?: string; name?: string } = {}) {
	return z
		.object({
			password: z.string().max(PASSWORD_MAX_LENGTH + 1000, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`),
			confirm: z.string()
		})
		.superRefine((value, ctx) => {
			const problem = passwordProblem(value.password, person);
			if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
			if (!value.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'Enter the password again to confirm it' });
			else if (!problem && value.password !== value.confirm) {
				ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'The passwords do not match' });
			}
		});
}

/** The new password as a form posts it (typed twice); the inputs' ids are their names. */
export function newPasswordFields(form: FormData): { password: string; confirm: string } {
	const text = (name: string) => {
		const value = form.get(name);
		return typeof value === 'string' ? value : '';
	};
	return { password: text('password'), confirm: text('confirm') };
}

/** The new password a form posts, checked against the rule for this person; refused field by field. */
export function newPasswordFrom(form: FormData, person: { email?: string; name?: string }): string {
	return parseInput(newPasswordSchema(person), newPasswordFields(form)).password;
}

/** Where a password form's errors show: beside the field of the same name. */
export const passwordFieldIds = (field: string): string | null => (['current', 'password', 'confirm'].includes(field) ? field : null);
