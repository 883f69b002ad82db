import { invalidateAll } from '$app/navigation';
import { navigating } from '$app/state';

/**
 * Reloads the page's data after a live event without cancelling a navigation in progress: a
 * form's redirect arrives at about the same moment as the live event its own change caused, and
 * a reload started then would win over the redirect. During a navigation it waits, then reloads
 * once. Call while a component initialises.
 */
export function liveRefresher(): () => void {
	let pending = false;
	$effect(() => {
		if (navigating.to === null && pending) {
			pending = false;
			void invalidateAll();
		}
	});
	return () => {
		if (navigating.to) pending = true;
		else void invalidateAll();
	};
}
