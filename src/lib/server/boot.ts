import type { Server as HttpServer } from 'node:http';
import { openDatabase, type Database, type DatabaseHandle } from './db';
import { migrateToLatest } from './db/migrate';
import { afterCommitHub, attachLive, type LiveServer } from './live/server';
import { installHub } from './live/hub';
import { log } from './log';
import { checkOriginSetting, setDevOrigin } from './origin';
import { checkTrustedProxySetting } from './client-address';
import { discussionDigestJob, discussionRetentionJob } from './discussions/jobs';
import { startScheduler, type Scheduler } from './jobs/scheduler';
import { disputesDailyJob } from './disputes/daily';
import { pollReminderJob } from './disputes/reminders';
import { retentionJob, retentionSettingsFromEnv } from './retention';
import { globalSlot } from './global-slot';
import { mailRetryJob } from './mail';
import { consultationClosingJob } from './pcf/commands/consultations';

/** The running portal: one database pool and, when serving HTTP, one socket.io server. */
export interface Portal {
	db: Database;
	database: DatabaseHandle;
	io?: LiveServer;
	/** Jobs that run once across all instances (retention; later features add theirs). */
	scheduler: Scheduler;
	startedAt: Date;
}

const started = globalSlot<Promise<Portal>>('send-portal.portal');
const sharedHttpServer = globalSlot<HttpServer>('send-portal.httpServer');
const shutdown = globalSlot<() => Promise<void>>('send-portal.shutdown');

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
	const portal =
		started.get() ??
		start({ httpServer: options.httpServer ?? sharedHttpServer.get(), ...options }).catch((error) => {
			started.set(undefined);
			throw error;
		});
	started.set(portal);
	return portal;
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
	const scheduler = startScheduler(db, [retentionJob(retention), mailRetryJob(), discussionDigestJob(), discussionRetentionJob(), disputesDailyJob(), pollReminderJob(), consultationClosingJob()]);
	const portal: Portal = { db, database, io, scheduler, startedAt: new Date() };
	registerShutdown(portal);
	log.info({ live: Boolean(io) }, 'portal ready');
	return portal;
}

/** Lets the process owner (src/node-server.js, or Vite in dev) close everything in order. */
function registerShutdown(portal: Portal) {
	shutdown.set(async () => {
		installHub(undefined);
		// Before the pool closes: a job running here finishes (or its claim rolls back) first.
		await portal.scheduler.stop();
		if (portal.io) {
			portal.io.disconnectSockets(true);
			await new Promise<void>((resolve) => portal.io!.close(() => resolve()));
		}
		await portal.database.close();
		started.set(undefined);
	});
}

/** The portal, for code that runs after boot (hooks, tRPC). */
export async function portal(): Promise<Portal> {
	return boot();
}
