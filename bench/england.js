// `node bench/england.js DATABASE_URL [--seed N] [--scale X]`: adds the England-sized set to a
// database that is migrated and holds the demo county (`DATABASE_URL=... npm run db:migrate &&
// DATABASE_URL=... npm run db:seed`), e.g. to look at query plans. The scale benchmark does this itself.
import { seedEngland } from './support/england.js';

const args = process.argv.slice(2);
const url = args.find((arg) => !arg.startsWith('--'));
const option = (/** @type {string} */ name, /** @type {number} */ fallback) => {
	const at = args.indexOf(`--${name}`);
	const value = at >= 0 ? Number(args[at + 1]) : fallback;
	if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} takes a positive number`);
	return value;
};
if (!url) {
	console.error('Usage: node bench/england.js DATABASE_URL [--seed N] [--scale X]');
	process.exit(2);
}
await seedEngland(url, { seed: option('seed', 2026), scale: option('scale', 1), log: (line) => console.log(line) });
