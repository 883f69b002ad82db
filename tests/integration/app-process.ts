import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Helpers for tests that run the production server (`node src/node-server.js`) as a real
 * process, the way `npm start` does, and look at the PostgreSQL processes it leaves behind.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A TCP port nothing is listening on right now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

/**
 * `npm test` builds before the integration run; a lone run of these files builds if there is no
 * build, or if a migration is newer than it (the built app would refuse the test database).
 */
export function ensureBuild(): void {
	const handler = path.join(ROOT, 'build/handler.js');
	if (existsSync(handler)) {
		const built = statSync(handler).mtimeMs;
		const migrations = path.join(ROOT, 'db/migrations');
		if (readdirSync(migrations).every((file) => statSync(path.join(migrations, file)).mtimeMs < built)) return;
	}
	execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 300_000 });
}

export interface AppProcess {
	child: ChildProcess;
	port: number;
	url: string;
	/** Everything the process printed, for failure messages. */
	output(): string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts one production app process and waits until /healthz answers 200. */
export async function startApp(env: Record<string, string>, readyWithinMs = 60_000): Promise<AppProcess> {
	const port = Number(env.PORT);
	const childEnv: NodeJS.ProcessEnv = {
		...process.env,
		NODE_ENV: 'production',
		HOST: '127.0.0.1',
		LOG_LEVEL: 'warn',
		ORIGIN: `http://127.0.0.1:${port}`,
		...env
	};
	// The test runner's own settings must not leak into the app (it picks its database from these).
	for (const key of Object.keys(childEnv)) if (key.startsWith('VITEST') || key === 'TEST_DATABASE_URL') delete childEnv[key];
	if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;

	const child = spawn(process.execPath, ['src/node-server.js'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	let printed = '';
	child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal }))
	);
	const app: AppProcess = { child, port, url: `http://127.0.0.1:${port}`, output: () => printed, exited };

	const deadline = Date.now() + readyWithinMs;
	let gone = false;
	void exited.then(() => (gone = true));
	while (Date.now() < deadline) {
		if (gone) throw new Error(`The app on port ${port} exited before it was ready:\n${printed}`);
		try {
			const response = await fetch(`${app.url}/healthz`);
			if (response.status === 200) return app;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	child.kill('SIGKILL');
	throw new Error(`The app on port ${port} did not become healthy within ${readyWithinMs} ms:\n${printed}`);
}

/** Sends SIGTERM and reports how the process ended and how long it took (null: still running after `withinMs`). */
export async function stopApp(app: AppProcess, withinMs = 10_000) {
	const started = Date.now();
	if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGTERM');
	const result = await Promise.race([
		app.exited,
		new Promise<null>((resolve) => setTimeout(() => resolve(null), withinMs))
	]);
	return { result, ms: Date.now() - started };
}

/**
 * PostgreSQL processes started with `-D <dataDir>` (found through /proc, as `pgrep -f` would):
 * the postmaster, and any child caught before it renamed itself.
 */
export function postgresProcessesFor(dataDir: string): number[] {
	const wanted = path.resolve(dataDir);
	const found: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^[0-9]+$/.test(entry)) continue;
		let args: string[];
		try {
			args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
		} catch {
			continue; // ended while we looked
		}
		const flag = args.indexOf('-D');
		if (path.basename(args[0] ?? '') === 'postgres' && flag >= 0 && args[flag + 1] === wanted) found.push(Number(entry));
	}
	return found;
}

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
