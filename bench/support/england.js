// An England-sized data set beside the demo county, for the scale benchmarks and for checking query
// plans (`EXPLAIN (ANALYZE, BUFFERS)`) on realistic volumes. About 150 authorities' worth of
// districts and localities, 25,000 settings, 100,000 people with roles, rounds and bids with all
// their parts, and a million rows each of activity, audit, notifications and live events.
//
// Everything is written with set-based SQL (generate_series) inside one transaction, and every
// "random" choice is a hash of the seed number and the row's position, so the same seed gives the
// same data (row for row) on any machine. Nothing here is part of `npm test`.
import pg from 'pg';

/** Sizes of the England set; `scale` multiplies the per-row volumes (0.1 for a quick try). */
export function englandSizes(scale = 1) {
	const n = (/** @type {number} */ value) => Math.max(1, Math.round(value * scale));
	return {
		districts: n(230), // about 150 authorities, the larger ones with more than one district
		settings: n(25_000),
		staffPerSetting: 4, // a headteacher and three SENCOs or deputies: 100,000 people
		roundsPerLocality: 2, // last year's (closed) and this year's (open)
		bids: n(49_000),
		activity: n(1_000_000),
		audit: n(1_000_000),
		notifications: n(1_000_000),
		liveEvents: n(1_000_000),
		mail: n(200_000),
		sessions: n(100_000),
		// Inclusion-base capital: applications across the settings, with their money and places.
		capitalApplications: n(20_000)
	};
}

/**
 * Adds the England set to a migrated database that already holds the demo county (whose officer's
 * password hash every generated person shares, so any of them can sign in with the demo password).
 * @param {string} databaseUrl
 * @param {{ seed?: number, scale?: number, log?: (line: string) => void }} [options]
 */
export async function seedEngland(databaseUrl, options = {}) {
	const seed = options.seed ?? 2026;
	const sizes = englandSizes(options.scale ?? 1);
	const log = options.log ?? (() => {});
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	const started = Date.now();
	/** @param {string} label @param {string} text @param {unknown[]} [values] */
	const step = async (label, text, values = []) => {
		const at = Date.now();
		const result = await client.query(text, values);
		log(`  ${label}: ${result.rowCount ?? 0} rows in ${((Date.now() - at) / 1000).toFixed(1)} s`);
	};
	try {
		const already = await client.query(`select 1 from cluster where name like 'England %' limit 1`);
		if (already.rowCount) throw new Error('This database already holds the England set.');
		const hash = await client.query(`select password_hash from app_user where email = 'officer@portal.example'`);
		if (!hash.rowCount) throw new Error('Seed the demo county first (the England set borrows its officer password hash).');
		const passwordHash = hash.rows[0].password_hash;
		const officerId = (await client.query(`select id from app_user where email = 'officer@portal.example'`)).rows[0].id;

		await client.query('begin');
		// rnd(i, salt): a number in [0, 1) fixed by the seed, the row and what it is for.
		await client.query(`
			create function pg_temp.rnd(i bigint, salt int) returns double precision language sql immutable as $$
				select ('x' || substr(md5(${Number(seed)} || ':' || salt || ':' || i), 1, 8))::bit(32)::bigint / 4294967296.0
			$$`);
		await client.query(`create temporary table eng_district (n int primary key, id int) on commit drop`);
		await client.query(`create temporary table eng_locality (n int primary key, id int, district_id int) on commit drop`);
		await client.query(`create temporary table eng_setting (n int primary key, id int, locality_n int, phase text) on commit drop`);

		await step(
			'districts',
			`with made as (
				insert into cluster (name, kind)
				select 'England ' || lpad(g::text, 3, '0') || ' ' || (array['North', 'South', 'East', 'West', 'Central'])[1 + (g % 5)], 'district'
				from generate_series(1, $1::int) g
				returning id, name
			)
			insert into eng_district (n, id) select substr(name, 9, 3)::int, id from made`,
			[sizes.districts]
		);
		await step(
			'localities',
			`with wanted as (
				select d.n as district_n, d.id as district_id, g as k
				from eng_district d, generate_series(1, 2 + floor(pg_temp.rnd(d.n, 1) * 3)::int) g
			), numbered as (
				select *, row_number() over (order by district_n, k) as n from wanted
			), made as (
				insert into cluster (name, kind, parent_id)
				select 'England locality ' || lpad(n::text, 4, '0'), 'locality', district_id from numbered
				returning id, name, parent_id
			)
			insert into eng_locality (n, id, district_id) select substr(name, 18)::int, id, parent_id from made`
		);
		const localityCount = Number((await client.query('select count(*) from eng_locality')).rows[0].count);

		await step(
			'settings',
			`with planned as (
				select g as n, 1 + ((g - 1) % $2::int) as locality_n, pg_temp.rnd(g, 2) as r from generate_series(1, $1::int) g
			), phased as (
				select *, case
					when r < 0.30 then 'early_years' when r < 0.80 then 'primary' when r < 0.92 then 'secondary'
					when r < 0.95 then 'special' when r < 0.97 then 'alternative_provision' when r < 0.98 then 'post16'
					else 'all_through' end as phase
				from planned
			), made as (
				insert into setting (urn, name, phase, setting_type, town, pupil_count, cluster_id)
				select '8' || lpad(p.n::text, 6, '0'), 'England setting ' || p.n,
					p.phase, case p.phase when 'early_years' then 'PVI nursery' when 'post16' then 'FE college' else 'academy' end,
					'Town ' || p.locality_n, 20 + floor(pg_temp.rnd(p.n, 3) * 1500)::int, l.id
				from phased p join eng_locality l on l.n = p.locality_n
				returning id, urn, phase
			)
			insert into eng_setting (n, id, locality_n, phase)
			select substr(m.urn, 2)::int, m.id, 1 + ((substr(m.urn, 2)::int - 1) % $2::int), m.phase from made m`,
			[sizes.settings, localityCount]
		);

		// People: four per setting (headteacher first), then cluster roles.
		await step(
			'people (setting staff)',
			`insert into app_user (email, name, password_hash, created_at)
			select 'staff' || s.n || '.' || k || '@england.example', 'Staff ' || s.n || '-' || k, $1,
				now() - interval '400 days' + (s.n * interval '1 second')
			from eng_setting s, generate_series(1, $2::int) k`,
			[passwordHash, sizes.staffPerSetting]
		);
		await step(
			'setting roles',
			`insert into setting_membership (user_id, setting_id, role)
			select u.id, s.id, case when split_part(split_part(u.email, '.', 2), '@', 1) = '1' then 'headteacher' else 'senco' end
			from app_user u join eng_setting s on s.n = substring(u.email from '^staff([0-9]+)\\.')::int
			where u.email like 'staff%@england.example'`
		);
		await step(
			'people (cluster roles)',
			`insert into app_user (email, name, password_hash)
			select 'lead' || l.n || '@england.example', 'Cluster lead ' || l.n, $1 from eng_locality l
			union all
			select r || d.n || '@england.example', initcap(r) || ' ' || d.n, $1
			from eng_district d, unnest(array['pcf', 'pcfb', 'sendiass', 'panela', 'panelb', 'panelc']) r`,
			[passwordHash]
		);
		await step(
			'cluster roles',
			`insert into cluster_role (user_id, cluster_id, role)
			select u.id, l.id, 'cluster_lead' from eng_locality l join app_user u on u.email = 'lead' || l.n || '@england.example'
			union all
			select u.id, d.id, case when r like 'pcf%' then 'pcf_rep' when r = 'sendiass' then 'sendiass_officer' else 'panel_member' end
			from eng_district d, unnest(array['pcf', 'pcfb', 'sendiass', 'panela', 'panelb', 'panelc']) r
			join app_user u on true
			where u.email = r || d.n || '@england.example'`
		);

		await step(
			'funding rounds',
			`insert into funding_round (cluster_id, name, pot_pence, max_request_pence, opens_at, closes_at, endorsement_rule,
				endorsement_value, status, created_by, created_at)
			select l.id, 'England round ' || l.n || '/' || k, 6000000, 2500000,
				case k when 1 then now() - interval '400 days' else now() - interval '30 days' end,
				case k when 1 then now() - interval '300 days' else now() + interval '60 days' end,
				'majority', 0, case k when 1 then 'closed' else 'open' end, $1,
				case k when 1 then now() - interval '401 days' else now() - interval '31 days' end
			from eng_locality l, generate_series(1, $2::int) k`,
			[officerId, sizes.roundsPerLocality]
		);
		await client.query(`
			create temporary table eng_round on commit drop as
			select r.id, r.cluster_id, l.n as locality_n, row_number() over (order by r.id) as n
			from funding_round r join eng_locality l on l.id = r.cluster_id`);
		const roundCount = Number((await client.query('select count(*) from eng_round')).rows[0].count);

		// Bids: spread over the rounds; the lead is one of the round's locality's settings.
		await client.query(`
			create temporary table eng_locality_settings on commit drop as
			select locality_n, array_agg(id order by n) as ids from eng_setting group by locality_n`);
		await step(
			'bids',
			`with planned as (
				select g as n, r.id as round_id, r.cluster_id, ls.ids, pg_temp.rnd(g, 4) as status_r
				from generate_series(1, $1::int) g
				join eng_round r on r.n = 1 + ((g - 1) % $2::int)
				join eng_locality_settings ls on ls.locality_n = r.locality_n
			)
			insert into bid (round_id, cluster_id, lead_setting_id, title, summary, needs, phases, cohort_size, evaluation,
				requested_pence, status, submission_no, approved_pence, created_by, created_at, updated_at, lead_signed_at)
			select p.round_id, p.cluster_id, p.ids[1 + floor(pg_temp.rnd(p.n, 5) * array_length(p.ids, 1))::int],
				'England bid ' || p.n, 'A pooled approach to early support for pupils in the cluster, bid ' || p.n,
				array['communication_interaction'], array['primary'], 10 + (p.n % 90), 'Termly review of outcomes',
				100000 + floor(pg_temp.rnd(p.n, 6) * 2000000)::bigint,
				s.status, case when s.status = 'draft' then 0 else 1 end,
				case when s.status in ('approved', 'funded', 'closed') then 100000 end,
				$3, now() - interval '300 days' + p.n * interval '5 minutes', now() - interval '200 days' + p.n * interval '5 minutes',
				case when s.status <> 'draft' then now() - interval '200 days' + p.n * interval '5 minutes' end
			from planned p
			cross join lateral (select case
				when p.status_r < 0.35 then 'draft' when p.status_r < 0.50 then 'endorsement' when p.status_r < 0.65 then 'review'
				when p.status_r < 0.75 then 'approved' when p.status_r < 0.82 then 'declined' when p.status_r < 0.92 then 'funded'
				when p.status_r < 0.97 then 'closed' else 'withdrawn' end as status) s`,
			[sizes.bids, roundCount, officerId]
		);
		await client.query(`
			create temporary table eng_bid on commit drop as
			select b.id, b.cluster_id, b.lead_setting_id, b.status, b.submission_no, ls.ids, row_number() over (order by b.id) as n
			from bid b join eng_locality l on l.id = b.cluster_id join eng_locality_settings ls on ls.locality_n = l.n`);
		await step(
			'bid partners',
			`insert into bid_partner (bid_id, setting_id, added_by)
			select distinct on (b.id, s) b.id, s, $1::int
			from eng_bid b, generate_series(1, 2) k,
				lateral (select b.ids[1 + floor(pg_temp.rnd(b.n * 10 + k, 7) * array_length(b.ids, 1))::int] as s) pick
			where s <> b.lead_setting_id`,
			[officerId]
		);
		await step(
			'pledges',
			`insert into bid_pledge (bid_id, setting_id, money_pence, staff_hours, staff_description, confirmed_at, confirmed_by)
			select x.bid_id, x.setting_id, 50000 + (x.bid_id % 7) * 10000, (x.bid_id % 40), 'SENCO time',
				case when b.status <> 'draft' then now() - interval '210 days' end, case when b.status <> 'draft' then $1::int end
			from (select id as bid_id, lead_setting_id as setting_id from eng_bid
				union all select bid_id, setting_id from bid_partner where bid_id in (select id from eng_bid)) x
			join eng_bid b on b.id = x.bid_id`,
			[officerId]
		);
		await step(
			'budget lines',
			`insert into bid_budget_line (bid_id, position, category, item, cost_pence)
			select b.id, k, (array['staffing', 'training', 'resources'])[k], 'Line ' || k, 100000 * k from eng_bid b, generate_series(1, 3) k`
		);
		await step(
			'measures',
			`insert into bid_measure (bid_id, measure, outcome)
			select b.id, m, 'Outcome for ' || m from eng_bid b, unnest(array['IM1', 'IM4']) m`
		);
		await step(
			'milestones',
			`insert into bid_milestone (bid_id, position, title, due_on)
			select b.id, k, 'Milestone ' || k, (current_date + k * 60) from eng_bid b, generate_series(1, 3) k`
		);
		await step(
			'submissions',
			`insert into bid_submission (bid_id, submission_no, snapshot, submitted_by, submitted_at)
			select b.id, 1, jsonb_build_object('title', 'England bid ' || b.n, 'sections', '{}'::jsonb), $1::int, now() - interval '200 days'
			from eng_bid b where b.status <> 'draft'`,
			[officerId]
		);
		await step(
			'endorsements',
			`insert into bid_endorsement (bid_id, submission_no, setting_id, decision, decided_by, reason)
			select distinct on (b.id, s) b.id, 1, s, case when k = 3 then 'object' else 'endorse' end, $1::int,
				case when k = 3 then 'Not enough on evaluation' else '' end
			from eng_bid b, generate_series(1, 3) k,
				lateral (select b.ids[1 + floor(pg_temp.rnd(b.n * 10 + k, 8) * array_length(b.ids, 1))::int] as s) pick
			where b.status not in ('draft', 'withdrawn')`,
			[officerId]
		);

		// The long histories: in time order, so ids and times agree as they do in a live system.
		await step(
			'activity',
			`with clusters as (select array_agg(id order by id) as ids from cluster where name like 'England %')
			insert into activity (cluster_id, actor_id, verb, summary, link, created_at)
			select c.ids[1 + floor(pg_temp.rnd(g, 9) * array_length(c.ids, 1))::int], $2::int, 'bid.updated',
				'Staff updated a bid', '/bids/1', now() - interval '365 days' + g * (interval '365 days' / $1::int)
			from clusters c, generate_series(1, $1::int) g`,
			[sizes.activity, officerId]
		);
		await step(
			'audit log',
			`with bids as (select array_agg(id order by id) as ids from eng_bid),
			clusters as (select array_agg(id order by id) as ids from cluster where name like 'England %')
			insert into audit_log (actor_id, action, subject_type, subject_id, reason, detail, created_at)
			select $2::int,
				case when g % 10 = 0 then 'cluster.renamed' else 'bid.section_saved' end,
				case when g % 10 = 0 then 'cluster' else 'bid' end,
				case when g % 10 = 0 then c.ids[1 + floor(pg_temp.rnd(g, 10) * array_length(c.ids, 1))::int]
					else b.ids[1 + floor(pg_temp.rnd(g, 10) * array_length(b.ids, 1))::int] end,
				null,
				case when g % 10 = 0 then jsonb_build_object('clusterIds', jsonb_build_array(c.ids[1 + floor(pg_temp.rnd(g, 10) * array_length(c.ids, 1))::int]))
					else jsonb_build_object('section', 'overview') end,
				now() - interval '365 days' + g * (interval '365 days' / $1::int)
			from bids b, clusters c, generate_series(1, $1::int) g`,
			[sizes.audit, officerId]
		);
		await step(
			'notifications',
			`with people as (select min(id) as low, max(id) as high from app_user where email like '%@england.example')
			insert into notification (user_id, kind, title, body, link, read_at, created_at)
			select p.low + floor(pg_temp.rnd(g, 11) * (p.high - p.low + 1))::int, 'bid.submitted', 'A bid was submitted', '',
				'/bids/1', case when g % 3 <> 0 then now() - interval '1 day' end,
				now() - interval '365 days' + g * (interval '365 days' / $1::int)
			from people p, generate_series(1, $1::int) g`,
			[sizes.notifications]
		);
		await step(
			'live events',
			`with numbered as (
				select 'cluster:' || l.id as room, g, row_number() over (partition by l.id order by g) as seq
				from generate_series(1, $1::int) g
				join eng_locality l on l.n = 1 + floor(pg_temp.rnd(g, 12) * $2::int)::int
			)
			insert into live_event (room, seq, kind, payload, created_at)
			select room, seq, 'activity.created', '{}'::jsonb, now() - interval '30 days' + g * (interval '30 days' / $1::int)
			from numbered order by g`,
			[sizes.liveEvents, localityCount]
		);
		await step(
			'live rooms',
			`insert into live_room (room, seq) select room, max(seq) from live_event where room like 'cluster:%' group by room
			 on conflict (room) do update set seq = greatest(live_room.seq, excluded.seq)`
		);
		await step(
			'mail',
			`insert into mail_outbox (to_address, subject, body_text, transport, sent_at, created_at)
			select 'staff' || (1 + g % 25000) || '.1@england.example', 'A bid needs your endorsement', 'Open the portal.', 'log',
				now() - interval '365 days' + g * (interval '365 days' / $1::int), now() - interval '365 days' + g * (interval '365 days' / $1::int)
			from generate_series(1, $1::int) g`,
			[sizes.mail]
		);
		await step(
			'sessions',
			`with people as (select min(id) as low, max(id) as high from app_user where email like '%@england.example')
			insert into user_session (id, user_id, expires_at, created_at)
			select md5('england-session:' || g), p.low + floor(pg_temp.rnd(g, 13) * (p.high - p.low + 1))::int,
				now() + (case when g % 4 = 0 then interval '-10 days' else interval '20 days' end), now() - interval '10 days'
			from people p, generate_series(1, $1::int) g`,
			[sizes.sessions]
		);
		await seedCapitalEngland(client, step, sizes, officerId);
		await client.query('commit');
		// Vacuumed as well as analysed, then checkpointed: otherwise the first run after seeding pays
		// for setting the new rows' hint bits and for autovacuum working through them, and its
		// England figures are not comparable with the later runs' (seen: 3x the later runs' p95).
		await step('vacuum and analyze', 'vacuum (analyze)');
		await step('checkpoint', 'checkpoint');
		log(`England set seeded in ${((Date.now() - started) / 1000).toFixed(0)} s (seed ${seed}).`);
	} catch (error) {
		await client.query('rollback').catch(() => {});
		throw error;
	} finally {
		await client.end();
	}
}

/**
 * Inclusion-base capital across England, set-based: applications at every stage on the demo
 * programme's lines (one England round), commitments against its first confirmed source and plans
 * against an assumed one, spend, occupied places for open bases, and the rollout register for the
 * secondaries. Scores live with the assessment part and are added there.
 * @param {pg.Client} client
 * @param {(label: string, text: string, values?: unknown[]) => Promise<void>} step
 * @param {ReturnType<typeof englandSizes>} sizes
 * @param {number} officerId
 */
async function seedCapitalEngland(client, step, sizes, officerId) {
	const lines = await client.query(`select id from capital_line order by id`);
	if (!lines.rowCount) return; // no programme set up: nothing to apply to
	const settingCount = Number((await client.query('select count(*) from eng_setting')).rows[0].count);
	await step(
		'capital applications',
		`with round as (
			insert into capital_round (name, status, closes_on) values ('England capital round', 'draft', current_date + 200) returning id
		), programme as (select array_agg(id order by id) as ids from capital_line)
		insert into capital_application (reference, round_id, line_id, setting_id, district_id, stage, title, places, requested_pence, opening_year, submission_no, created_by)
		select 'CAP-ENG-' || g, round.id, programme.ids[1 + (g % array_length(programme.ids, 1))], s.id, l.district_id,
			(array['draft', 'submitted', 'in_assessment', 'recommended', 'approved', 'grant_offered', 'approved_in_principle', 'in_delivery', 'claimed', 'open', 'withdrawn'])[1 + floor(pg_temp.rnd(g, 40) * 11)::int],
			'England base ' || g, 6 + floor(pg_temp.rnd(g, 41) * 34)::int, (10000 + floor(pg_temp.rnd(g, 42) * 500000)::int)::bigint * 100,
			2026 + floor(pg_temp.rnd(g, 43) * 4)::int, 1, $3::int
		from generate_series(1, $1::int) g
		join eng_setting s on s.n = 1 + ((g - 1) % $2::int)
		join eng_locality l on l.n = s.locality_n, round, programme`,
		[sizes.capitalApplications, settingCount, officerId]
	);
	// Criteria are published with the round and frozen once it opens, so they go in first.
	await step(
		'capital round criteria',
		`insert into capital_round_criterion (round_id, position, name, weight)
		select r.id, c.position, c.name, c.weight
		from capital_round r, (values (0, 'Need in the area', 40), (1, 'Space and deliverability', 35), (2, 'Value for money', 25)) c(position, name, weight)
		where r.name = 'England capital round'`
	);
	await step('capital round opened', `update capital_round set status = 'open', opened_at = now() where name = 'England capital round'`);
	await seedCapitalScoresEngland(step, officerId);
	await step(
		'capital commitments and plans',
		`with sources as (
			select (select id from capital_source where status = 'confirmed' order by id limit 1) as confirmed,
				coalesce((select id from capital_source where status = 'assumed' order by id limit 1), (select id from capital_source order by id limit 1)) as assumed
		)
		insert into capital_commitment (application_id, source_id, line_id, year, amount_pence, kind, reason, created_by)
		select a.id, case when k = 1 then sources.confirmed else sources.assumed end, a.line_id, 2026 + k - 1,
			a.requested_pence / 2, case when k = 1 then 'committed' else 'planned' end, 'England benchmark', $1::int
		from capital_application a, sources, generate_series(1, 2) k
		where a.reference like 'CAP-ENG-%' and sources.confirmed is not null
			and a.stage in ('approved', 'grant_offered', 'approved_in_principle', 'in_delivery', 'claimed', 'open')`,
		[officerId]
	);
	await step(
		'capital spend',
		`insert into capital_spend (application_id, line_id, amount_pence, spent_on, note, recorded_by)
		select a.id, a.line_id, a.requested_pence / 4, date '2026-04-01' + (a.id % 300), 'England benchmark', $1::int
		from capital_application a where a.reference like 'CAP-ENG-%' and a.stage in ('in_delivery', 'claimed', 'open')`,
		[officerId]
	);
	await step(
		'capital occupied places',
		`insert into capital_occupancy (application_id, year, term, occupied, recorded_by)
		select a.id, 2026, t.term, least(a.places, floor(pg_temp.rnd(a.id, 44) * (a.places + 1))::int), $1::int
		from capital_application a, (values ('autumn'), ('spring')) t(term)
		where a.reference like 'CAP-ENG-%' and a.stage = 'open'`,
		[officerId]
	);
	await step(
		'capital rollout register',
		`insert into capital_rollout (setting_id, line_id, status, planned_year)
		select s.id, (select id from capital_line where process = 'rollout' order by id limit 1),
			(array['not_engaged', 'in_conversation', 'application', 'approved', 'in_delivery', 'open'])[1 + floor(pg_temp.rnd(s.n, 45) * 6)::int],
			2026 + floor(pg_temp.rnd(s.n, 46) * 3)::int
		from eng_setting s
		where s.phase = 'secondary' and exists (select 1 from capital_line where process = 'rollout')
		on conflict (setting_id) do nothing`
	);
}

/**
 * Scoring across England: the demo's two assessors assigned to every scheme line of the England
 * round, each declaring no conflict on and scoring every scheme application past submission (one
 * set each, a score per criterion, deterministic from the seed); the result per application as
 * the app keeps it (agreed with its weighted score, or needing moderation while a spread over 2
 * points waits on an application still being assessed; decided ones have the moderator's score).
 * @param {(label: string, text: string, values?: unknown[]) => Promise<void>} step
 * @param {number} officerId
 */
async function seedCapitalScoresEngland(step, officerId) {
	const scored = `a.reference like 'CAP-ENG-%' and a.stage not in ('draft', 'submitted', 'withdrawn')
		and exists (select 1 from capital_line l where l.id = a.line_id and l.process = 'scheme')`;
	await step(
		'capital assessors',
		`insert into capital_assessor (round_id, line_id, user_id, assigned_by)
		select r.id, l.id, u.id, $1::int
		from capital_round r, capital_line l, app_user u
		where r.name = 'England capital round' and l.process = 'scheme' and u.email in ('assessor.one@portal.example', 'assessor.two@portal.example')`,
		[officerId]
	);
	await step(
		'capital declarations',
		`insert into capital_declaration (application_id, user_id, conflict)
		select a.id, x.user_id, 'none'
		from capital_application a join capital_assessor x on x.round_id = a.round_id and x.line_id = a.line_id
		where ${scored}`
	);
	await step('capital score sets', `insert into capital_score_set (application_id, assessor_id) select d.application_id, d.user_id from capital_declaration d join capital_application a on a.id = d.application_id where ${scored}`);
	// The second assessor scores the same, a point apart, or (one time in five) three points apart.
	await step(
		'capital scores',
		`insert into capital_score (score_set_id, criterion_id, score, justification)
		select ss.id, c.id,
			case when ss.assessor_id = first.id then base.score
				else least(5, base.score + case when pg_temp.rnd(a.id * 4 + c.position, 48) < 0.2 then 3 else floor(pg_temp.rnd(a.id * 4 + c.position, 49) * 2)::int end) end,
			'England benchmark: evidence read in the application and its floor plan'
		from capital_score_set ss
		join capital_application a on a.id = ss.application_id
		join capital_round_criterion c on c.round_id = a.round_id
		cross join lateral (select min(x.assessor_id) as id from capital_score_set x where x.application_id = a.id) first
		cross join lateral (select floor(pg_temp.rnd(a.id * 4 + c.position, 47) * 3)::int as score) base
		where ${scored}`
	);
	await step(
		'capital moderations',
		`insert into capital_moderation (application_id, criterion_id, moderator_id, score, rationale)
		select a.id, sc.criterion_id, $1::int, round(avg(sc.score))::int, 'England benchmark: settled on the evidence'
		from capital_application a join capital_score_set ss on ss.application_id = a.id join capital_score sc on sc.score_set_id = ss.id
		where ${scored} and a.stage <> 'in_assessment'
		group by a.id, sc.criterion_id having max(sc.score) - min(sc.score) > 2`,
		[officerId]
	);
	await step(
		'capital assessment results',
		`with settled as (
			select a.id as application_id, a.round_id, c.id as criterion_id, c.weight,
				max(sc.score) - min(sc.score) as spread, count(*) as scorers,
				coalesce((select m.score from capital_moderation m where m.application_id = a.id and m.criterion_id = c.id), avg(sc.score)) as score
			from capital_application a
			join capital_score_set ss on ss.application_id = a.id
			join capital_score sc on sc.score_set_id = ss.id
			join capital_round_criterion c on c.id = sc.criterion_id
			where ${scored}
			group by a.id, a.round_id, c.id, c.weight
		), flags as (
			select application_id, round_id, max(scorers) as scorers,
				coalesce(array_agg(criterion_id order by criterion_id) filter (
					where spread > 2 and not exists (select 1 from capital_moderation m where m.application_id = settled.application_id and m.criterion_id = settled.criterion_id)
				), '{}') as flagged,
				round(sum(weight * round(score * 100) / 5.0))::int as total
			from settled group by application_id, round_id
		)
		insert into capital_assessment_result (application_id, round_id, state, rank_score, scorers, flagged)
		select application_id, round_id, case when cardinality(flagged) > 0 then 'needs_moderation' else 'agreed' end,
			case when cardinality(flagged) > 0 then -1 else total end, scorers, flagged
		from flags`
	);
}
