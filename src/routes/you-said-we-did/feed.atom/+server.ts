import type { RequestHandler } from './$types';
import { portal } from '$lib/server/boot';
import { absoluteUrl } from '$lib/server/origin';
import { publicPoints } from '$lib/server/pcf/queries';
import { publicFilterFrom } from '$lib/server/pcf/public';
import { atomFeed } from '$lib/server/pcf/rules';
import { ANSWER_LABELS, SOURCE_LABELS } from '$lib/pcf/model';

/** The newest published points as Atom, with the page's filters (`?district=` and so on). */
export const GET: RequestHandler = async ({ url }) => {
	const { db } = await portal();
	const filter = publicFilterFrom(url);
	const { points } = await publicPoints(db, filter, null, 50);
	const page = absoluteUrl(`/you-said-we-did${url.search}`);
	const xml = atomFeed({
		id: absoluteUrl('/you-said-we-did'),
		title: 'You said, we did: Oxfordshire SEND',
		link: page,
		self: absoluteUrl(`/you-said-we-did/feed.atom${url.search}`),
		updated: points[0]?.publicAt ?? new Date(0),
		entries: points.map((p) => ({
			id: absoluteUrl(`/you-said-we-did#point-${p.id}`),
			title: `${p.district}: ${p.themes.map((t) => t.name).join(', ') || 'Feedback'}: ${p.answer ? ANSWER_LABELS[p.answer] : ''}`,
			updated: p.publicAt,
			link: absoluteUrl(`/you-said-we-did#point-${p.id}`),
			summary: `You said (${SOURCE_LABELS[p.source]}): ${p.body}\nWe did: ${p.answerText ?? ''}${p.deliveredOn ? `\nDone on ${p.deliveredOn}: ${p.evidence ?? ''}` : ''}`
		}))
	});
	return new Response(xml, { headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'public, max-age=300' } });
};
