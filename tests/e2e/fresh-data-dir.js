// Empties the end-to-end server's data folder so every run starts from the freshly seeded demo
// county. A run that was killed hard may have left its PostgreSQL running on that folder: stop it
// first, or the new server could not take the port (and we would delete files under a live server).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: node tests/e2e/fresh-data-dir.js <data dir>');

const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
if (existsSync(pidFile)) {
	const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
	let command = '';
	try {
		command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
	} catch {
		// gone already, or not Linux
	}
	if (command.includes('postgres') && command.includes(path.resolve(dataDir))) {
		process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline) {
			try {
				process.kill(pid, 0);
			} catch {
				break;
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
}
rmSync(dataDir, { recursive: true, force: true });
