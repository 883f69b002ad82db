// Writes: the heaviest actions (submit a bid, endorse, approve, mark as funded, send an invitation),
// each its time over real HTTP (tRPC, the person's session) and the SQL statements it sends (from
// PostgreSQL's log, in a separate pass so logging does not slow the timed ones). A bid is made
// complete through tRPC first, then taken along its way, so every sample acts on a fresh bid.
// Run on the demo county's Banbury workspace, then after the England set is added: Banbury again
// (same cluster, a country's data around it) and a 200-setting locality (200 headteachers told).
import pg from 'pg';
import { bidCast, bidSteps, readyBid } from './support/bids.js';
import { captureStatements } from './support/replay.js';
import { mutate } from './support/trpc.js';
import { summarise } from './support/stats.js';

export const STATEMENT_AIM = 50;
let invitations = 0;

/**
 * @param {import('./support/environment.js').Environment} env
 * @param {{ clusterId: number, label: string, samples: number, log: (line: string) => void }} options
 */
export async function measureWrites(env, { clusterId, label, samples, log }) {
	const database = await env.database();
	const cast = await bidCast(env, clusterId);
	log(`\nwrite (${label}): ${samples} timed bids (+1 counted), ${cast.settingCount} settings with a headteacher in the cluster...`);
	const steps = (/** @type {number} */ bidId) => bidSteps(cast, bidId);
	const invite = () => {
		const n = invitations++;
		return () =>
			mutate(cast.origin, cast.token(cast.people.officer), 'people.invite', {
				email: `bench.invite.${Date.now()}.${n}@bench.example`,
				name: `Invited Person ${n}`,
				grant: { kind: 'setting', settingId: cast.settings.lead, role: 'senco' }
			});
	};
	/** @type {Record<string, { statements: number, ms: number[] }>} */
	const results = {};
	const names = [...steps(0).map((step) => step.name), 'send an invitation'];
	for (const name of names) results[name] = { statements: Number.NaN, ms: [] };

	// Counted: one bid's way with every statement logged.
	const counted = await readyBid(cast, `Benchmark bid (counted) ${label}`);
	for (const step of steps(counted)) {
		const call = await step.prepare();
		results[step.name].statements = (await captureStatements(database, async () => void (await call()))).length;
	}
	const inviteCall = invite();
	results['send an invitation'].statements = (await captureStatements(database, async () => void (await inviteCall()))).length;

	// Timed: fresh bids, logging off.
	for (let i = 0; i < samples; i++) {
		const bidId = await readyBid(cast, `Benchmark bid ${i + 1} ${label}`);
		for (const step of steps(bidId)) {
			const call = await step.prepare();
			const t0 = performance.now();
			await call();
			results[step.name].ms.push(performance.now() - t0);
		}
		const call = invite();
		const t0 = performance.now();
		await call();
		results['send an invitation'].ms.push(performance.now() - t0);
	}
	return {
		label,
		clusterId,
		settings: cast.settingCount,
		actions: Object.fromEntries(Object.entries(results).map(([name, r]) => [name, { statements: r.statements, ...summarise(r.ms) }]))
	};
}

/**
 * A locality of 200 settings in the England set (made by moving 200 of its settings, each with a
 * headteacher and SENCOs, into a new locality): submitting a bid there tells 199 headteachers.
 * @param {import('./support/environment.js').Environment} env
 */
export async function wideLocality(env, size = 200) {
	const { url } = await env.database();
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const existing = await client.query(`select id from cluster where name = 'England wide locality'`);
		if (existing.rowCount) return /** @type {number} */ (existing.rows[0].id);
		await client.query('begin');
		const { rows } = await client.query(
			`insert into cluster (name, kind, parent_id)
			 select 'England wide locality', 'locality', id from cluster where kind = 'district' and name like 'England %' order by id limit 1
			 returning id`
		);
		if (!rows.length) throw new Error('No England district: add the England set first.');
		await client.query(
			`update setting set cluster_id = $1 where id in (
				select s.id from setting s where s.name like 'England setting %'
				and exists (select 1 from setting_membership m where m.setting_id = s.id and m.role = 'headteacher')
				and exists (select 1 from setting_membership m where m.setting_id = s.id and m.role = 'senco')
				order by s.id limit $2)`,
			[rows[0].id, size]
		);
		await client.query('commit');
		return /** @type {number} */ (rows[0].id);
	} catch (error) {
		await client.query('rollback').catch(() => undefined);
		throw error;
	} finally {
		await client.end();
	}
}
