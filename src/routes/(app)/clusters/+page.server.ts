import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor } from '$lib/server/pages';
import { isCountyStaff } from '$lib/server/policy';
import { settingCount } from '$lib/server/workspace/queries';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	let query = db
		.selectFrom('cluster as c')
		.select(['c.id', 'c.name', 'c.kind', 'c.parent_id', settingCount(db)])
		.where('c.status', '=', 'active')
		.orderBy('c.name');
	if (!isCountyStaff(actor)) {
		if (actor.clusterIds.length === 0) return { districts: [] };
		query = query.where('c.id', 'in', actor.clusterIds);
	}
	const clusters = await query.execute();
	const districts = clusters
		.filter((c) => c.kind === 'district')
		.map((d) => ({ ...d, localities: clusters.filter((l) => l.parent_id === d.id) }));
	// A member of a locality alone still sees it, under its district's name.
	const orphanLocalities = clusters.filter((l) => l.kind === 'locality' && !districts.some((d) => d.id === l.parent_id));
	return { districts, orphanLocalities };
};
