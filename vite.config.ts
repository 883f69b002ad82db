import { sveltekit } from '@sveltejs/kit/vite';
import { availableParallelism } from 'node:os';
import { defineConfig, type Plugin } from 'vitest/config';

/**
 * In `npm run dev`, start the database and socket.io on Vite's own HTTP server as soon as it
 * listens, through Vite's module loader so the app and this share one module graph.
 * (Production does the same from src/node-server.js.)
 */
function portalDevServer(): Plugin {
	return {
		name: 'portal-dev-server',
		apply: 'serve',
		configureServer(server) {
			const httpServer = server.httpServer;
			if (!httpServer || process.env.VITEST) return;
			(globalThis as Record<symbol, unknown>)[Symbol.for('send-portal.httpServer')] = httpServer;
			httpServer.once('listening', () => {
				server
					.ssrLoadModule('/src/lib/server/boot.ts')
					.then((mod) => mod.boot({ httpServer, seedDemo: true, devOrigin: server.resolvedUrls?.local[0] }))
					.catch((error: unknown) => {
						server.config.logger.error(`The portal could not start: ${String(error)}`);
						process.exitCode = 1;
					});
			});
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), portalDevServer()],
	css: {
		preprocessorOptions: { scss: { quietDeps: true, silenceDeprecations: ['import'] } },
		// govuk-frontend still carries old-IE media hacks (`screen\0`); drop those rules when minifying.
		lightningcss: { errorRecovery: true }
	},
	test: {
		// Vitest's default is one worker fewer than the cores: one worker on a two-core machine. The
		// integration files spend most of their time waiting on PostgreSQL and the app processes they
		// start, so two run side by side even there (the integration suite in 340 s instead of about 560 s).
		maxWorkers: Math.max(2, availableParallelism() - 1),
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/integration/global-setup.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
