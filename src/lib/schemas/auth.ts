import { z } from 'zod';
import { PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, EMAIL_MAX_LENGTH } from './limits';

export const signInSchema = z.object({
	email: z
		.string()
		.trim()
		.min(1, 'Enter your email address')
		.max(EMAIL_MAX_LENGTH, 'Email address must be 254 characters or fewer')
		.email('Enter an email address in the correct format, like name@school.org.uk'),
	password: z.string().min(1, 'Enter your password').max(PASSWORD_MAX_LENGTH, 'Password must be 200 characters or fewer')
});

export const setPasswordSchema = z
	.object({
		password: z
			.string()
			.min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
			.max(PASSWORD_MAX_LENGTH, 'Password must be 200 characters or fewer'),
		confirm: z.string().min(1, 'Enter the password again to confirm it')
	})
	.refine((value) => value.password === value.confirm, { path: ['confirm'], message: 'The passwords do not match' });

/** Field errors keyed by field name, as the error summary and fields expect. */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
	return z.flattenError(error).fieldErrors as Record<string, string[]>;
}
