// What a benchmark run stands on: one PostgreSQL, one or two app instances, the workspace and
// sessions. Started lazily, closed once (also on Ctrl-C and on errors) by bench/run.js.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startDatabase } from './database.js';
import { ROOT, assertPortFree, snapshotBuild, startInstance } from './portal.js';
import { benchWorkspace, createSessions } from './sessions.js';
import { seedEngland } from './england.js';

export const BENCH_DIR = path.join(ROOT, '.data/bench');

export class Environment {
	/** @param {{ pgPort: number, appPorts: number[], twinPort?: number, log?: (line: string) => void }} options */
	constructor(options) {
		this.options = options;
		this.log = options.log ?? ((line) => console.log(line));
		/** @type {ReturnType<typeof startDatabase> | undefined} */
		this.databasePromise = undefined;
		/** @type {import('./portal.js').Instance[]} */
		this.running = [];
		/** Every process started, healthy or not yet: all are stopped on close. */
		/** @type {(() => Promise<void>)[]} */
		this.stoppers = [];
		/** @type {ReturnType<typeof benchWorkspace> | undefined} */
		this.workspacePromise = undefined;
		this.closed = false;
		/** The production entry of this run's copy of the build. */
		this.entry = '';
		/** @type {Promise<void> | undefined} */
		this.englandPromise = undefined;
		/** @type {Promise<{ url: string, instance: import('./portal.js').Instance }> | undefined} */
		this.twinPromise = undefined;
	}

	/**
	 * A copy of the database as it is before the England set is added (the county alone), served by
	 * an app instance of its own (on twinPort), so that a page can be fetched from the county and
	 * from England side by side, on the same machine at the same moment.
	 */
	async countyTwin() {
		this.twinPromise ??= (async () => {
			if (this.englandPromise) throw new Error('The county twin is a copy of the county alone: make it before the England set is added.');
			const database = await this.database();
			await this.instances(1); // migrates and seeds the demo county
			// A database is copied only while nobody is connected to it: the instances stop meanwhile.
			const count = this.running.length;
			await Promise.all(this.running.splice(0).map((instance) => instance.stop()));
			this.log('\nCopying the county alone into a database of its own (portal_county)...');
			const url = await database.copy('portal_county');
			await this.instances(count);
			const port = this.options.twinPort;
			if (!port) throw new Error('No port was given for the county twin (twinPort).');
			this.log(`Starting the county's own app instance on 127.0.0.1:${port}...`);
			const instance = await startInstance(
				{ name: 'instance-county', entry: this.entry, port, databaseUrl: url, logDir: BENCH_DIR, seed: false },
				(stop) => this.stoppers.push(stop)
			);
			return { url, instance };
		})();
		return this.twinPromise;
	}

	/**
	 * Adds the England-sized set beside the demo county (once per run; it only grows the data, so
	 * whatever was measured on the county alone must be measured first).
	 * @param {{ seed: number, scale: number }} options
	 */
	async england({ seed, scale }) {
		this.englandPromise ??= (async () => {
			const { url } = await this.database();
			await this.instances(1); // migrates and seeds the demo county
			this.log(`\nAdding the England-sized set (seed ${seed}, scale ${scale})...`);
			await seedEngland(url, { seed, scale, log: this.log });
		})();
		return this.englandPromise;
	}

	get hasEngland() {
		return this.englandPromise !== undefined;
	}

	async database() {
		this.databasePromise ??= (async () => {
			await assertPortFree(this.options.pgPort, 'BENCH_PG_PORT');
			for (const port of [...this.options.appPorts, ...(this.options.twinPort ? [this.options.twinPort] : [])]) await assertPortFree(port, 'BENCH_PORT');
			await mkdir(BENCH_DIR, { recursive: true });
			this.entry = await snapshotBuild(BENCH_DIR);
			this.log(`Starting PostgreSQL on 127.0.0.1:${this.options.pgPort} (data in .data/bench/postgres, wiped)...`);
			return startDatabase({
				dataDir: path.join(BENCH_DIR, 'postgres'),
				port: this.options.pgPort,
				database: 'portal',
				logFile: path.join(BENCH_DIR, 'postgres.log')
			});
		})();
		return this.databasePromise;
	}

	/**
	 * The first `count` app instances, starting any not yet running. The first seeds the demo county.
	 * @param {number} count
	 */
	async instances(count) {
		const { url } = await this.database();
		while (this.running.length < count) {
			if (this.closed) throw new Error('The benchmark is shutting down.');
			const index = this.running.length;
			const port = this.options.appPorts[index];
			this.log(`Starting app instance ${index + 1} (node src/node-server.js, production build) on 127.0.0.1:${port}...`);
			const instance = await startInstance({
				name: `instance-${index + 1}`,
				entry: this.entry,
				port,
				databaseUrl: url,
				logDir: BENCH_DIR,
				seed: index === 0
			}, (stop) => this.stoppers.push(stop));
			this.running.push(instance);
		}
		return this.running.slice(0, count);
	}

	async workspace() {
		const { url } = await this.database();
		await this.instances(1); // seeds
		this.workspacePromise ??= benchWorkspace(url);
		return this.workspacePromise;
	}

	/** @param {number[]} userIds */
	async sessions(userIds) {
		const { url } = await this.database();
		return createSessions(url, userIds);
	}

	async close() {
		if (this.closed) return;
		this.closed = true;
		this.running = [];
		await Promise.allSettled(this.stoppers.splice(0).map((stop) => stop()));
		if (this.databasePromise) {
			const database = await this.databasePromise.catch(() => undefined);
			await database?.stop();
		}
	}
}
