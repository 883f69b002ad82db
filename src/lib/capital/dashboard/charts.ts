// Scales for the dashboard's server-rendered SVG charts: plain arithmetic, no chart library, so
// the SVG is the same with or without JavaScript and prints as it shows.

/** A "nice" top for an axis: 1, 2 or 5 times a power of ten, at least the largest value. */
export function niceMax(largest: number): number {
	if (largest <= 0) return 1;
	const power = 10 ** Math.floor(Math.log10(largest));
	for (const step of [1, 2, 5, 10]) if (step * power >= largest) return step * power;
	return 10 * power;
}

/** A value's length in a bar of `width`, never negative, never past the end. */
export function barLength(value: number, max: number, width: number): number {
	if (max <= 0 || value <= 0) return 0;
	return Math.min(width, (value / max) * width);
}
