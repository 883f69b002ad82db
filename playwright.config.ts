import { defineConfig, devices } from '@playwright/test';

// End-to-end tests drive the production build (`npm run build` has already run in `npm test`)
// in Debian's Chromium, against a server with a fresh, seeded database of its own.

// Overridable so a second suite can run beside this one on the same machine.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const BASE_URL = `http://localhost:${PORT}`;
const DATA_DIR = process.env.E2E_DATA_DIR ?? '.data/e2e';
const CI = Boolean(process.env.CI);

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: true,
	forbidOnly: CI,
	retries: CI ? 1 : 0,
	// Two cores: the server, its PostgreSQL and the browsers share them.
	workers: 2,
	// Axe runs twice on every page (desktop and 320 px wide) on two shared cores.
	timeout: 120_000,
	expect: { timeout: 10_000 },
	reporter: [['list'], ['html', { open: 'never' }]],
	use: {
		baseURL: BASE_URL,
		trace: 'on-first-retry',
		locale: 'en-GB',
		timezoneId: 'Europe/London'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: {
					executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
					args: [
						'--no-sandbox',
						'--disable-gpu',
						'--disable-quic',
						'--no-first-run',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync'
					]
				}
			}
		}
	],
	webServer: {
		// Never rebuilds: `npm test` builds before it gets here.
		command: `node tests/e2e/fresh-data-dir.js ${DATA_DIR} && node src/node-server.js`,
		url: `${BASE_URL}/healthz`,
		reuseExistingServer: false,
		timeout: 120_000,
		// SIGTERM lets the server stop its embedded PostgreSQL instead of orphaning it.
		gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
		stdout: 'pipe',
		stderr: 'pipe',
		env: {
			PORT: String(PORT),
			HOST: '127.0.0.1',
			DATA_DIR,
			EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? '25460',
			SEED_DEMO: '1',
			ORIGIN: BASE_URL,
			LOG_LEVEL: 'warn'
		}
	}
});
