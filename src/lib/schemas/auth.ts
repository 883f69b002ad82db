import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, EMAIL_MAX_LENGTH } from './limits';

export const signInSchema = z.object({
	email: z
		.string()
		.trim()
		.min(1, 'Enter your email address')
		.max(EMAIL_MAX_LENGTH, 'Email address must be 254 characters or fewer')
		.email('Enter an email address in the correct format, like name@school.org.uk'),
	password: z.string().min(1, 'Enter your password').max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`)
});

/** An email address typed to ask for a password-reset link. */
export const forgotPasswordSchema = z.object({ email: signInSchema.shape.email });

