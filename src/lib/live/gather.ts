/**
 * One commit can announce several kinds of change to a room at once (a rename: the change and its
 * activity line). Fetching for each as it arrives asks the server for overlapping things, from every
 * screen in the room at the same moment. This gathers what the kinds name for a moment after the
 * first arrives, then hands the set over once, so the page asks once for what covers them all (its
 * whole data covers its activity and its rounds, say).
 */
export const GATHER_MS = 25;

export function gathered<Part>(fetch: (parts: ReadonlySet<Part>) => void, waitMs = GATHER_MS): (part: Part) => void {
	let parts = new Set<Part>();
	let timer: ReturnType<typeof setTimeout> | undefined;
	return (part) => {
		parts.add(part);
		timer ??= setTimeout(() => {
			const due = parts;
			parts = new Set();
			timer = undefined;
			fetch(due);
		}, waitMs);
	};
}
