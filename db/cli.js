#!/usr/bin/env node
// npm run db:migrate | db:seed | db:types. Loads the app's own modules through Vite (the same
// aliases and bundling as the server), so the CLI and the app share one code path.
import { createServer } from 'vite';

const task = process.argv[2];
const tasks = ['migrate', 'seed', 'types'];
if (!tasks.includes(task)) {
	console.error(`usage: node db/cli.js <${tasks.join('|')}>`);
	process.exit(2);
}

const vite = await createServer({
	server: { middlewareMode: true, hmr: false, ws: false },
	appType: 'custom',
	logLevel: 'warn'
});
let code = 0;
try {
	const { runTask } = await vite.ssrLoadModule('/src/lib/server/db/tasks.ts');
	await runTask(task);
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	code = 1;
} finally {
	await vite.close();
}
process.exit(code);
