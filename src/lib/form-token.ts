/** The hidden field carrying a form's one-time token (see $lib/server/form-posts.ts). */
export const FORM_TOKEN_FIELD = 'formToken';
