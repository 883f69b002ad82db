/** The hidden field carrying a form's one-time token (see $lib/server/form-posts.ts). */
export const FORM_TOKEN_FIELD = 'formToken';

/** The checkbox a person ticks to confirm a step that cannot simply be undone (ConfirmCheck.svelte). */
export const CONFIRM_FIELD = 'confirm';
