import { invalidateAll } from '$app/navigation';
import type { SubmitFunction } from '@sveltejs/kit';

// `use:enhance` behaviours shared by the pages whose forms carry the version a person saw.

function reloading(focusSummary: boolean): SubmitFunction {
	return () =>
		async ({ result, update }) => {
			await update({ reset: false });
			if (result.type !== 'failure' || result.status !== 409) return;
			await invalidateAll();
			// Reloading moves focus away; put it back on the summary so the explanation is read out.
			if (focusSummary) document.querySelector<HTMLElement>('.govuk-error-summary')?.focus();
		};
}

/**
 * Keeps what was typed and, when someone else changed the thing first (409), reloads what is there
 * now, so the error summary sits above the current state and the hidden versions are fresh for the
 * next attempt. (Without JavaScript the reload is the response itself.)
 */
export const reloadOnConflict = reloading(false);

/** The same, then focus back on the error summary. */
export const reloadOnConflictThenFocusSummary = reloading(true);
