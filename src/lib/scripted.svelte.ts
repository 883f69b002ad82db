/**
 * Whether scripts run in this page: false while rendering on the server and in a browser without
 * JavaScript, true once the component is mounted. Things only a script can finish (a live
 * connection's "Connecting…", an "Add another" button) show only when it is true, so a page
 * without JavaScript never promises what cannot happen. Call during component set-up.
 */
export function scriptsRun(): { readonly on: boolean } {
	// A derived value would already be true on the server, which is the point of not using one.
	// eslint-disable-next-line svelte/prefer-writable-derived
	let on = $state(false);
	// Effects never run on the server, so this flips only in a browser that runs the page's script.
	$effect(() => {
		on = true;
	});
	return {
		get on() {
			return on;
		}
	};
}
