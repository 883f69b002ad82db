import { sql, type Kysely } from 'kysely';
import type { DB } from '../db';
import { absoluteUrl } from '../origin';
import { ANSWER_LABELS, SOURCE_LABELS } from '$lib/pcf/model';
import { publicPoints, type PublicFilter } from './queries';
import { COUNTY_NAME } from './editions';
import { atomFeed, type FeedEntry } from './rules';

// The public Atom feed of "you said, we did": the newest published points and the published
// editions, newest first, each with a link to read it on the public pages. Only what those pages
// show: never a representative's, a child's or a family's name (an edition's entry carries its
// title, district, period and plain-English introduction, never who drafted or approved it).

const POINTS_MAX = 50;
const EDITIONS_MAX = 20;
/** An introduction is cut here in the feed; the entry links to the whole edition. */
const SUMMARY_MAX = 1000;

const shorten = (text: string) => (text.length <= SUMMARY_MAX ? text : `${text.slice(0, SUMMARY_MAX - 1).trimEnd()}…`);

/** Published editions for the feed: a district's and the county-wide ones (as its email subscribers get), or all. */
async function feedEditions(db: Kysely<DB>, districtId: number | null) {
	let query = db
		.selectFrom('pcf_edition as e')
		.leftJoin('cluster as d', 'd.id', 'e.district_id')
		.select(['e.id', 'e.title', 'e.period_from', 'e.period_to', 'e.introduction', 'e.published_at', 'e.district_id', 'd.name as district_name'])
		.where('e.published_at', 'is not', null)
		.orderBy(sql`e.published_at desc, e.id desc`)
		.limit(EDITIONS_MAX);
	if (districtId !== null) query = query.where((eb) => eb.or([eb('e.district_id', 'is', null), eb('e.district_id', '=', districtId)]));
	return query.execute();
}

/** The feed for the public page's filters (`?district=` and so on). Editions are whole, so a theme, cluster or status filter lists points only. */
export async function youSaidWeDidFeed(db: Kysely<DB>, filter: PublicFilter, search: string): Promise<string> {
	const pointsOnly = filter.themeId !== null || filter.clusterId !== null || filter.status !== null;
	const [{ points }, editions] = await Promise.all([publicPoints(db, filter, null, POINTS_MAX), pointsOnly ? [] : feedEditions(db, filter.districtId)]);
	const entries: FeedEntry[] = [
		...editions.map((e) => {
			const link = absoluteUrl(`/you-said-we-did/editions/${e.id}`);
			return {
				id: link,
				title: `New edition: ${e.title}`,
				updated: e.published_at!,
				link,
				summary: `${e.district_name ?? COUNTY_NAME}, ${e.period_from} to ${e.period_to}.\n${shorten(e.introduction)}`
			};
		}),
		...points.map((p) => ({
			id: absoluteUrl(`/you-said-we-did#point-${p.id}`),
			title: `${p.district}: ${p.themes.map((t) => t.name).join(', ') || 'Feedback'}: ${p.answer ? ANSWER_LABELS[p.answer] : ''}`,
			updated: p.publicAt,
			link: absoluteUrl(`/you-said-we-did#point-${p.id}`),
			summary: `You said (${SOURCE_LABELS[p.source]}): ${p.body}\nWe did: ${p.answerText ?? ''}${p.deliveredOn ? `\nDone on ${p.deliveredOn}: ${p.evidence ?? ''}` : ''}`
		}))
	].sort((a, b) => b.updated.getTime() - a.updated.getTime());
	return atomFeed({
		id: absoluteUrl('/you-said-we-did'),
		title: 'You said, we did: Oxfordshire SEND',
		link: absoluteUrl(`/you-said-we-did${search}`),
		self: absoluteUrl(`/you-said-we-did/feed.atom${search}`),
		updated: entries[0]?.updated ?? new Date(0),
		entries
	});
}
