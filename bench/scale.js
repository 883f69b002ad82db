// Scale: the pages that grew with the country (issue 10's table) and the round, bid, CSV and people
// pages, each fetched by real HTTP with a session, one request at a time. The county alone and the
// county with the England-sized set beside it are two databases on one PostgreSQL (the first a copy
// of the second made just before England was added), each served by its own app instance from the
// same build; every page is fetched from both in turn, request by request, so the two figures of a
// ratio see the same machine at the same moment. The figure is England p95 / county p95.
import pg from 'pg';
import { batchQuery, batchQueryUrl, mutate } from './support/trpc.js';
import { round, summarise } from './support/stats.js';
import { timedGet, wireSize } from './support/load.js';
import { BENCH_ROUND_PREFIX } from './support/bids.js';
import { benchWorkspace, createSessions } from './support/sessions.js';

const WARM_UP = 3;
export const SCALE_AIM = 2;

/**
 * What to fetch from one side, as one person each, with the ids read from that side's database.
 * @param {{ origin: string, url: string }} side
 */
async function pages({ origin, url }) {
	const workspace = await benchWorkspace(url);
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const one = async (/** @type {string} */ text, /** @type {unknown[]} */ values = []) => (await client.query(text, values)).rows[0];
		const district = await one(`select parent_id as id from cluster where id = $1`, [workspace.clusterId]);
		const elsewhere = await one(`select id from cluster where kind = 'locality' and status = 'active' and id <> $1 and name not like 'England%' order by id limit 1`, [workspace.clusterId]);
		// The demo county's busiest seeded round and one of its bids: never a round the benchmarks write
		// to, which would grow between the county and England passes and be measured as the country's growth.
		const countyRound = await one(
			`select r.id from funding_round r join cluster c on c.id = r.cluster_id
			 where c.name not like 'England%' and r.name <> 'Benchmark writer round' and not starts_with(r.name, $1)
			 order by (select count(*) from bid b where b.round_id = r.id) desc, r.id limit 1`,
			[BENCH_ROUND_PREFIX]
		);
		const countyBid = await one(`select b.id, s.user_id from bid b join setting_membership s on s.setting_id = b.lead_setting_id where b.round_id = $1 order by b.id limit 1`, [countyRound?.id ?? 0]);
		const officer = await one(`select id, name from app_user where email = 'officer@portal.example'`);
		const surname = String(officer.name).split(' ').at(-1) ?? 'officer';
		const assessor = await one(`select id from app_user where email = 'assessor.one@portal.example'`);
		const pcfRep = await one(`select id from app_user where email = 'pcf@portal.example'`);
		const [officerToken, bidToken, assessorToken, pcfToken] = await createSessions(url, [officer.id, countyBid?.user_id ?? officer.id, assessor?.id ?? officer.id, pcfRep?.id ?? officer.id]);
		/** Commits a change to another workspace, so the next read follows a commit elsewhere. */
		const commitElsewhere = async () => {
			const [{ cluster }] = await batchQuery(batchQueryUrl(origin, ['workspace.get'], [{ clusterId: elsewhere.id }]), officerToken);
			const name = cluster.name.endsWith(' (b)') ? cluster.name.slice(0, -4) : `${cluster.name} (b)`;
			await mutate(origin, officerToken, 'clusters.rename', { clusterId: elsewhere.id, name, version: cluster.version, reason: 'Benchmark: a commit elsewhere.' });
		};
		/** @type {{ name: string, url: string, token: string, before?: () => Promise<void> }[]} */
		const list = [
			{ name: 'county set-up list', url: `${origin}/admin/clusters`, token: officerToken },
			{ name: '/clusters (officer)', url: `${origin}/clusters`, token: officerToken },
			{ name: 'workspace after a commit elsewhere', url: `${origin}/clusters/${workspace.clusterId}`, token: officerToken, before: commitElsewhere },
			{ name: 'invite page', url: `${origin}/admin/people/invite`, token: officerToken },
			{ name: `people search ("${surname}")`, url: `${origin}/admin/people?search=${encodeURIComponent(surname)}`, token: officerToken },
			{ name: 'county set-up, one district', url: `${origin}/admin/clusters/${district.id}`, token: officerToken },
			{ name: 'people list', url: `${origin}/admin/people`, token: officerToken },
			{ name: 'person page', url: `${origin}/admin/people/${officer.id}`, token: officerToken }
		];
		if (countyRound) {
			list.push({ name: 'round page', url: `${origin}/rounds/${countyRound.id}`, token: officerToken });
			list.push({ name: 'round CSV', url: `${origin}/rounds/${countyRound.id}/export.csv?drafts=include`, token: officerToken });
		}
		if (countyBid) list.push({ name: 'bid page (lead SENCO)', url: `${origin}/bids/${countyBid.id}`, token: bidToken });
		// Inclusion-base capital: the lists that grow with England's applications and secondaries.
		list.push({ name: 'capital applications (officer)', url: `${origin}/capital/applications`, token: officerToken });
		if (assessor) list.push({ name: 'assessor’s queue', url: `${origin}/capital/assess`, token: assessorToken });
		list.push({ name: 'rollout register', url: `${origin}/capital/register`, token: officerToken });
		// Pages that once listed every district (England adds hundreds): a search for the district now,
		// and the district tables a page at a time. Signed out ('') for the public ones.
		list.push({ name: 'sufficiency dashboard', url: `${origin}/capital/dashboard`, token: officerToken });
		list.push({ name: 'Local Offer summary (public)', url: `${origin}/local-offer/inclusion-bases`, token: '' });
		list.push({ name: 'PCF feedback tracker (rep)', url: `${origin}/pcf/tracker`, token: pcfToken });
		list.push({ name: 'editions and the new-edition form', url: `${origin}/pcf/editions`, token: pcfToken });
		list.push({ name: 'dispute governance figures', url: `${origin}/disputes/reports`, token: officerToken });
		list.push({ name: 'you said, we did (public)', url: `${origin}/you-said-we-did`, token: '' });
		list.push({ name: 'email subscription (public)', url: `${origin}/you-said-we-did/subscribe`, token: '' });
		return list;
	} finally {
		await client.end();
	}
}

/**
 * p95 and size of every page on each side, the sides taken in turn request by request (which goes
 * first alternates), so that whatever else the machine is doing falls on both alike.
 * @param {{ county: { origin: string, url: string }, england: { origin: string, url: string } }} sides
 * @param {{ requests: number, label: string, log: (line: string) => void }} options
 */
export async function measurePages(sides, { requests, label, log }) {
	const county = await pages(sides.county);
	const england = await pages(sides.england);
	const names = county.map((page) => page.name).join('\n');
	if (names !== england.map((page) => page.name).join('\n')) throw new Error('The county and England sides do not have the same pages.');
	log(`\nscale (${label}): ${county.length} pages, ${requests} requests each from the county and from England, side by side...`);
	/** @type {{ county: number[], england: number[] }[]} */
	const samples = county.map(() => ({ county: [], england: [] }));
	for (let i = 0; i < WARM_UP + requests; i++) {
		for (let index = 0; index < county.length; index++) {
			/** @type {['county' | 'england', typeof county[number]][]} */
			const pair = [['county', county[index]], ['england', england[index]]];
			for (const [side, page] of i % 2 ? pair.reverse() : pair) {
				await page.before?.();
				const result = await timedGet(page.url, page.token);
				if (!result.ok) throw new Error(`${page.name} (${side}): HTTP ${result.status} (${page.url})`);
				if (i >= WARM_UP) samples[index][side].push(result.ms);
			}
		}
	}
	/** @param {typeof county} list @param {'county' | 'england'} side */
	const summary = async (list, side) => {
		/** @type {Record<string, ReturnType<typeof summarise> & { bytes: number, wire: number, encoding: string }>} */
		const result = {};
		for (const [index, page] of list.entries()) {
			const read = await timedGet(page.url, page.token);
			const { wire, encoding } = await wireSize(page.url, page.token);
			result[page.name] = { ...summarise(samples[index][side]), bytes: read.bytes, wire, encoding };
		}
		return result;
	};
	return { county: await summary(county, 'county'), england: await summary(england, 'england') };
}

/**
 * Page by page: the median p95 on each set over the repeats, and the ratio of each repeat's pair.
 * @param {Awaited<ReturnType<typeof measurePages>>['county'][]} county one per repeat
 * @param {Awaited<ReturnType<typeof measurePages>>['england'][]} england one per repeat
 */
export function comparePages(county, england) {
	return Object.keys(county[0]).map((name) => {
		const ratios = county.map((run, i) => (england[i]?.[name] ? round(england[i][name].p95 / run[name].p95) : Number.NaN));
		const ratio = median(ratios);
		return {
			name,
			county: { ...county[0][name], p95: median(county.map((run) => run[name].p95)) },
			england: england[0]?.[name] && { ...england[0][name], p95: median(england.map((run) => run[name]?.p95 ?? Number.NaN)) },
			ratios,
			ratio,
			met: ratio <= SCALE_AIM
		};
	});
}

/** @param {number[]} values */
export function median(values) {
	const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
	if (sorted.length === 0) return Number.NaN;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : round((sorted[mid - 1] + sorted[mid]) / 2);
}
