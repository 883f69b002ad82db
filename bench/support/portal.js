// Real production app instances (`node src/node-server.js` over the built app), each its own
// process with its own pool, all on one shared PostgreSQL.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sleep } from './stats.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * @typedef {{ name: string, pid: number, port: number, origin: string, logFile: string, stop: () => Promise<void> }} Instance
 */

/**
 * The benchmarks measure the production build. Others rebuild build/ at any time (npm test does),
 * so a run works on its own copy: build/ (built first when missing or BENCH_BUILD=1) and the
 * production entry, copied under .data/bench/app once build/ has been still for a moment.
 * Packages still resolve from the project's node_modules (Node looks up the folders).
 * @param {string} benchDir
 * @returns {Promise<string>} the entry script to run
 */
export async function snapshotBuild(benchDir) {
	const force = process.env.BENCH_BUILD === '1';
	if (force || !existsSync(path.join(ROOT, 'build/handler.js'))) {
		console.log(force ? 'BENCH_BUILD=1: running `npm run build` first...' : 'No production build found: running `npm run build` first...');
		await new Promise((resolve, reject) => {
			const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
			child.on('exit', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`npm run build failed (${code})`))));
		});
	}
	const app = path.join(benchDir, 'app');
	const deadline = Date.now() + 120_000;
	for (;;) {
		if ((await buildComplete(path.join(ROOT, 'build'))) && Date.now() - (await newestChange(path.join(ROOT, 'build'))) > 3_000) {
			await rm(app, { recursive: true, force: true });
			await mkdir(path.join(app, 'src'), { recursive: true });
			await cp(path.join(ROOT, 'build'), path.join(app, 'build'), { recursive: true });
			await cp(path.join(ROOT, 'src/node-server.js'), path.join(app, 'src/node-server.js'));
			await writePads(path.join(app, 'build/client'));
			if (await buildComplete(path.join(app, 'build'))) {
				return path.join(app, 'src/node-server.js');
			}
		}
		if (Date.now() > deadline) throw new Error('build/ stayed incomplete or kept changing for 2 minutes (someone building?). Try again.');
		await sleep(1_000);
	}
}

/** Sizes of the live baseline's static files: 1.15x steps from 256 bytes to about 1 MB. */
export const PAD_SIZES = Array.from({ length: 60 }, (_, i) => Math.round(256 * 1.15 ** i));
export const PAD_DIR = 'bench-pad';

/**
 * Static JSON files of set sizes in this run's copy of the build (never in build/ itself), for the
 * live baseline's "one request of equal size": text like an activity feed, so it compresses alike.
 * @param {string} clientDir
 */
async function writePads(clientDir) {
	await mkdir(path.join(clientDir, PAD_DIR), { recursive: true });
	for (const size of PAD_SIZES) {
		let text = '[';
		for (let i = 0; text.length < size; i++) text += `{"id":${100000 + i * 7},"summary":"Staff updated bid ${i}","at":"2026-12-01T05:${String(i % 60).padStart(2, '0')}:00.000Z"},`;
		await writeFile(path.join(clientDir, PAD_DIR, `${size}.json`), `${text.slice(0, size - 1)}]`);
	}
}

/** The padding file nearest in size. @param {number} bytes */
export function padFor(bytes) {
	const size = PAD_SIZES.reduce((best, x) => (Math.abs(x - bytes) < Math.abs(best - bytes) ? x : best));
	return { size, path: `/${PAD_DIR}/${size}.json` };
}

/** The handler and every file it imports are there. @param {string} dir */
async function buildComplete(dir) {
	try {
		const handler = await readFile(path.join(dir, 'handler.js'), 'utf8');
		const imports = [...handler.matchAll(/(?:from|import) '(\.\/[^']+)'/g)].map((match) => match[1]);
		return imports.length > 0 && imports.every((file) => existsSync(path.join(dir, file)));
	} catch {
		return false;
	}
}

/** @param {string} dir @returns {Promise<number>} the latest mtime (ms) of anything under dir */
async function newestChange(dir) {
	let newest = 0;
	try {
		for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
			const info = await stat(path.join(entry.parentPath ?? entry.path, entry.name)).catch(() => undefined);
			if (info) newest = Math.max(newest, info.mtimeMs);
		}
		newest = Math.max(newest, (await stat(dir)).mtimeMs);
	} catch {
		return Date.now(); // vanished mid-look: being rebuilt
	}
	return newest;
}

/**
 * @param {{ name: string, entry: string, port: number, databaseUrl: string, logDir: string, seed: boolean }} options
 * @param {(stop: () => Promise<void>) => void} spawned told at once, so a Ctrl-C during start-up still stops it
 * @returns {Promise<Instance>}
 */
export async function startInstance({ name, entry, port, databaseUrl, logDir, seed }, spawned) {
	const origin = `http://127.0.0.1:${port}`;
	const logFile = path.join(logDir, `${name}.log`);
	const log = createWriteStream(logFile);
	// e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=.data/bench/profiles" to see where the app's time goes
	const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
	// cwd stays the project: the app finds nothing else through it, but logs and paths read naturally.
	const child = spawn(process.execPath, [...nodeArgs, entry], {
		cwd: ROOT,
		env: {
			...process.env,
			NODE_ENV: 'production',
			DATABASE_URL: databaseUrl,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			SEED_DEMO: seed ? '1' : '0',
			LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout.pipe(log);
	child.stderr.pipe(log);
	let exited = false;
	const exit = new Promise((resolve) => child.on('exit', (code, signal) => {
		exited = true;
		resolve({ code, signal });
	}));

	const stop = async () => {
		if (exited) return;
		child.kill('SIGTERM');
		const done = await Promise.race([exit, sleep(12_000).then(() => 'timeout')]);
		if (done === 'timeout' && !exited) {
			child.kill('SIGKILL');
			await exit;
		}
	};

	spawned(stop);

	// Start-up migrates (and maybe seeds); give it a generous but bounded time.
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline) {
		if (exited) throw new Error(`${name} exited during start-up; see ${logFile}`);
		try {
			const response = await fetch(`${origin}/healthz`);
			if (response.ok) return { name, pid: /** @type {number} */ (child.pid), port, origin, logFile, stop };
		} catch {
			// not listening yet
		}
		await sleep(250);
	}
	await stop();
	throw new Error(`${name} did not become healthy within 90 s; see ${logFile}`);
}

/**
 * Refuses a port something else already listens on (another engineer's server), before we start.
 * @param {number} port
 * @param {string} variable the setting that moves it
 */
export async function assertPortFree(port, variable) {
	const net = await import('node:net');
	const inUse = await new Promise((resolve) => {
		const probe = net.connect({ host: '127.0.0.1', port });
		probe.once('connect', () => {
			probe.destroy();
			resolve(true);
		});
		probe.once('error', () => resolve(false));
	});
	if (inUse) throw new Error(`Port ${port} on 127.0.0.1 is already in use: choose another with ${variable}.`);
}
