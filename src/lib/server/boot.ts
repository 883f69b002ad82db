import type { Server as HttpServer } from 'node:http';
import { openDatabase, type Database, type DatabaseHandle } from './db';
import { migrateToLatest } from './db/migrate';
import { afterCommitHub, attachLive, type LiveServer } from './live/server';
import { installHub } from './live/hub';
import { log } from './log';
import { checkOriginSetting, setDevOrigin } from './origin';
import { checkTrustedProxySetting } from './client-address';
import { startScheduler, type Scheduler } from './jobs/scheduler';
import { retentionJob, retentionSettingsFromEnv } from './retention';
import { mailRetryJob } from './mail';

/** The running portal: one database pool and, when serving HTTP, one socket.io server. */
export interface Portal {
	db: Database;
	database: DatabaseHandle;
	io?: LiveServer;
	/** Jobs that run once across all instances (retention; later features add theirs). */
	scheduler: Scheduler;
	startedAt: Date;
}

const PORTAL = Symbol.for('send-portal.portal');
const HTTP_SERVER = Symbol.for('send-portal.httpServer');
type Holder = { [PORTAL]?: Promise<Portal>; [HTTP_SERVER]?: HttpServer };
const holder = globalThis as Holder;

export interface BootOptions {
	/** The HTTP server socket.io shares (Vite's in dev, ours in production). */
	httpServer?: HttpServer;
	/** Seed the demo county when the database has no clusters yet. */
	seedDemo?: boolean;
	/** A production server: refuses to start without ORIGIN. */
	production?: boolean;
	/** In dev, the address the Vite server listens on (links in email point there). */
	devOrigin?: string;
}

/** Starts the portal once per process; later calls get the same instance. */
export function boot(options: BootOptions = {}): Promise<Portal> {
	holder[PORTAL] ??= start({ httpServer: options.httpServer ?? holder[HTTP_SERVER], ...options }).catch((error) => {
		delete holder[PORTAL];
		throw error;
	});
	return holder[PORTAL];
}

async function start(options: BootOptions): Promise<Portal> {
	// Settings mistakes stop the start with a message saying what to set, before anything runs.
	checkOriginSetting(Boolean(options.production));
	checkTrustedProxySetting();
	const retention = retentionSettingsFromEnv();
	if (!options.production) setDevOrigin(options.devOrigin);
	const database = await openDatabase();
	const db = database.db;
	await migrateToLatest(db);
	if (options.seedDemo || process.env.SEED_DEMO === '1') {
		const existing = await db.selectFrom('cluster').select('id').limit(1).executeTakeFirst();
		if (!existing) {
			// Loaded only here, so the demo data sits in a chunk of its own that a production
			// start without SEED_DEMO never loads (tests/budget/demo-seed.js checks the build).
			const { seedDemoCounty } = await import('../../../db/seed/index');
			const summary = await seedDemoCounty(db);
			log.info(summary, 'empty database: demo county seeded');
		}
	}
	const io = options.httpServer ? attachLive(options.httpServer, db, database.pool) : undefined;
	installHub(afterCommitHub(db, io));
	const scheduler = startScheduler(db, [retentionJob(retention), mailRetryJob()]);
	const portal: Portal = { db, database, io, scheduler, startedAt: new Date() };
	registerShutdown(portal);
	log.info({ live: Boolean(io) }, 'portal ready');
	return portal;
}

/** Lets the process owner (src/node-server.js, or Vite in dev) close everything in order. */
function registerShutdown(portal: Portal) {
	(globalThis as { [key: symbol]: unknown })[Symbol.for('send-portal.shutdown')] = async () => {
		installHub(undefined);
		// Before the pool closes: a job running here finishes (or its claim rolls back) first.
		await portal.scheduler.stop();
		if (portal.io) {
			portal.io.disconnectSockets(true);
			await new Promise<void>((resolve) => portal.io!.close(() => resolve()));
		}
		await portal.database.close();
		delete holder[PORTAL];
	};
}

/** The portal, for code that runs after boot (hooks, tRPC). */
export async function portal(): Promise<Portal> {
	return boot();
}
