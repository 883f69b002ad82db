// CPU time actually spent, read from /proc: unlike wall-clock latency it hardly moves when other
// work shares the machine, so it shows what each kind of request costs the app and the database.
import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** @param {number} pid @returns {{ ppid: number, ms: number } | undefined} */
function stat(pid) {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name may contain spaces: fields start after its closing parenthesis.
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		return { ppid: Number(fields[1]), ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
	} catch {
		return undefined;
	}
}

/** CPU ms used so far by one process. @param {number} pid */
export function processCpuMs(pid) {
	return stat(pid)?.ms ?? 0;
}

/** CPU ms used so far by a PostgreSQL server's backends (the postmaster's children). @param {number} postmasterPid */
export function postgresCpuMs(postmasterPid) {
	let total = 0;
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const info = stat(Number(entry));
		if (info && (info.ppid === postmasterPid || Number(entry) === postmasterPid)) total += info.ms;
	}
	return total;
}
