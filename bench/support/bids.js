// Bids for the write and scale benchmarks, made the way people make them: through tRPC, each step
// by the person whose step it is (the lead's SENCO writes, each setting's own people pledge, the
// heads confirm). The cast is read from the database: two settings of a cluster with a SENCO and a
// headteacher each (lead and partner), two more with a headteacher (the endorsers), the officer.
import pg from 'pg';
import { batchQuery, batchQueryUrl, mutate } from './trpc.js';

const DAY_MS = 86_400_000;
const isoDay = (/** @type {number} */ days) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

/** What the benchmarks' own rounds are called: the prefix, then the cluster's id. */
export const BENCH_ROUND_PREFIX = 'Benchmark pooled fund ';
/** The round the benchmarks' bids go into, one per cluster. @param {number} clusterId */
export const benchRoundName = (clusterId) => `${BENCH_ROUND_PREFIX}${clusterId}`;

/**
 * Who does what on a bid in one cluster, and the benchmark's round there (opened by the officer the first time).
 * @param {import('./environment.js').Environment} env
 * @param {number} clusterId
 */
export async function bidCast(env, clusterId) {
	const { url } = await env.database();
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const staff = await client.query(
			`select s.id, min(m.user_id) filter (where m.role = 'headteacher') as head, min(m.user_id) filter (where m.role = 'senco') as senco
			 from setting s join setting_membership m on m.setting_id = s.id join app_user u on u.id = m.user_id and u.is_active
			 where s.cluster_id = $1 group by s.id
			 having count(*) filter (where m.role = 'headteacher') > 0 order by count(*) filter (where m.role = 'senco') > 0 desc, s.id`,
			[clusterId]
		);
		const writers = staff.rows.filter((row) => row.senco !== null);
		if (writers.length < 2 || staff.rows.length < 4) throw new Error(`cluster ${clusterId} has too few settings with a headteacher and a SENCO for a bid`);
		const [lead, partner] = writers;
		const endorsers = staff.rows.filter((row) => row.id !== lead.id && row.id !== partner.id).slice(0, 2);
		const officer = await client.query(`select id from app_user where email = 'officer@portal.example'`);
		// The benchmark's own round, with a pot no number of samples runs out: never a seeded round,
		// which the scale benchmark reads and whose pot approvals would use up.
		const round = await client.query(
			`select id from funding_round where cluster_id = $1 and name = $2 and status = 'open' and opens_at <= now() and closes_at > now() order by id limit 1`,
			[clusterId, benchRoundName(clusterId)]
		);
		const people = {
			officer: officer.rows[0].id,
			leadSenco: lead.senco,
			leadHead: lead.head,
			partnerSenco: partner.senco,
			partnerHead: partner.head,
			endorserHeads: endorsers.map((row) => row.head)
		};
		const ids = Object.values(people).flat();
		const tokens = await env.sessions(ids);
		/** @type {Record<number, string>} */
		const tokenOf = {};
		ids.forEach((id, index) => (tokenOf[id] = tokens[index]));
		const [instance] = await env.instances(1);
		const origin = instance.origin;
		let roundId = round.rows[0]?.id;
		if (!roundId) {
			roundId = await mutate(origin, tokenOf[people.officer], 'bids.openRound', {
				clusterId,
				name: benchRoundName(clusterId),
				potPence: 500_000_000,
				maxRequestPence: 2_000_000,
				opensOn: isoDay(0),
				closesOn: isoDay(60),
				guidance: 'Opened by the benchmark.',
				endorsementRule: 'count',
				endorsementValue: 2
			});
		}
		return {
			clusterId,
			roundId: /** @type {number} */ (roundId),
			settings: { lead: lead.id, partner: partner.id, endorsers: endorsers.map((row) => row.id) },
			people,
			origin,
			/** @param {number} userId */
			token: (userId) => tokenOf[userId],
			/** Settings in the cluster with a headteacher: all but the bid's are asked to endorse it. */
			settingCount: staff.rows.length
		};
	} finally {
		await client.end();
	}
}

/** @typedef {Awaited<ReturnType<typeof bidCast>>} BidCast */

/** @param {BidCast} cast @param {number} userId @param {number} bidId */
export async function bidState(cast, userId, bidId) {
	const [detail] = await batchQuery(batchQueryUrl(cast.origin, ['bids.get'], [{ bidId }]), cast.token(userId));
	return /** @type {{ bid: { version: number, submission_no: number, status: string, section_versions: Record<string, number> } }} */ (detail).bid;
}

/**
 * A complete bid, pledges confirmed, ready for the lead headteacher to submit.
 * @param {BidCast} cast
 * @param {string} title
 */
export async function readyBid(cast, title, requestPence = 50_000) {
	const { people, settings, origin } = cast;
	const as = (/** @type {number} */ userId, /** @type {string} */ path, /** @type {unknown} */ input) => mutate(origin, cast.token(userId), path, input);
	const bidId = /** @type {number} */ (await as(people.leadSenco, 'bids.create', { roundId: cast.roundId, leadSettingId: settings.lead, title }));
	await as(people.leadSenco, 'bids.addPartner', { bidId, settingId: settings.partner });
	const save = async (/** @type {number} */ userId, /** @type {string} */ section, /** @type {unknown} */ content) => {
		const bid = await bidState(cast, userId, bidId);
		await as(userId, 'bids.saveSection', { bidId, section, version: bid.section_versions[section] ?? 0, content });
	};
	await save(people.leadSenco, 'overview', { title, summary: 'One therapist across the partner settings.' });
	await save(people.leadSenco, 'need', { needs: ['communication_interaction'], phases: ['primary'], cohortSize: 40 });
	await save(people.leadSenco, 'measures', { measures: [{ measure: 'IM4', outcome: 'Needs identified a term earlier' }] });
	await save(people.leadSenco, 'budget', { lines: [{ item: 'Therapist, 0.6 FTE', category: 'staffing', costPence: requestPence + 200_000 }] });
	const lead = { settingId: settings.lead, moneyPence: 100_000, staffHours: 0, staffDescription: '' };
	await save(people.leadSenco, 'pledges', { pledges: [lead] });
	await save(people.partnerSenco, 'pledges', {
		pledges: [lead, { settingId: settings.partner, moneyPence: 100_000, staffHours: 20, staffDescription: 'SENCO time' }]
	});
	await save(people.leadSenco, 'milestones', { milestones: [{ title: 'Therapist in post', dueOn: isoDay(60) }] });
	await save(people.leadSenco, 'evaluation', { evaluation: 'WellComm scores each term.' });
	const pledges = (await bidState(cast, people.leadHead, bidId)).section_versions.pledges ?? 0;
	await as(people.leadHead, 'bids.confirmPledge', { bidId, settingId: settings.lead, sectionVersion: pledges });
	await as(people.partnerHead, 'bids.confirmPledge', { bidId, settingId: settings.partner, sectionVersion: pledges });
	return bidId;
}

/**
 * The heaviest steps of a bid's way, in order; each returns the tRPC call to time.
 * @param {BidCast} cast
 * @param {number} bidId
 * @param {number} amountPence
 */
export function bidSteps(cast, bidId, amountPence = 50_000) {
	const { people, settings, origin } = cast;
	const as = (/** @type {number} */ userId, /** @type {string} */ path, /** @type {unknown} */ input) => () => mutate(origin, cast.token(userId), path, input);
	const endorse = (/** @type {number} */ index) => async () => {
		const bid = await bidState(cast, people.endorserHeads[index], bidId);
		return as(people.endorserHeads[index], 'bids.endorse', {
			bidId,
			settingId: settings.endorsers[index],
			submissionNo: bid.submission_no,
			decision: 'endorse',
			reason: ''
		});
	};
	const officer = (/** @type {string} */ path, /** @type {Record<string, unknown>} */ input) => async () => {
		const bid = await bidState(cast, people.officer, bidId);
		return as(people.officer, path, { bidId, version: bid.version, ...input });
	};
	return [
		{
			name: 'submit a bid',
			prepare: async () => as(people.leadHead, 'bids.submit', { bidId, version: (await bidState(cast, people.leadHead, bidId)).version })
		},
		{ name: 'endorse (first)', prepare: endorse(0) },
		{ name: 'endorse (completing)', prepare: endorse(1) },
		{ name: 'approve', prepare: officer('bids.decide', { decision: 'approve', amountPence, conditions: '', reason: 'Meets the round’s aims.' }) },
		{ name: 'mark as funded', prepare: officer('bids.fund', { reason: 'Paid.' }) }
	];
}
