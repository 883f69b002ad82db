// Percentiles by nearest rank: simple, and exact for the sample sizes used here.

/** @param {number[]} sorted ascending @param {number} p 0..100 */
export function percentile(sorted, p) {
	if (sorted.length === 0) return Number.NaN;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * @param {number[]} samples milliseconds
 * @returns {{ count: number, p50: number, p95: number, p99: number, max: number, mean: number }}
 */
export function summarise(samples) {
	const sorted = [...samples].sort((a, b) => a - b);
	const mean = sorted.reduce((sum, x) => sum + x, 0) / (sorted.length || 1);
	return {
		count: sorted.length,
		p50: round(percentile(sorted, 50)),
		p95: round(percentile(sorted, 95)),
		p99: round(percentile(sorted, 99)),
		max: round(sorted[sorted.length - 1] ?? Number.NaN),
		mean: round(mean)
	};
}

/** @param {number} x */
export function round(x, digits = 2) {
	const f = 10 ** digits;
	return Math.round(x * f) / f;
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
