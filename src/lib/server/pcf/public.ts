import { idFromText } from '$lib/schemas/common';
import { isPointStatus } from '$lib/pcf/model';
import type { PublicFilter } from './queries';

// The public pages' filters, read from the address: anything that does not name a district, a
// cluster, a theme or a status is ignored (the page shows everything), never an error.

export function publicFilterFrom(url: URL): PublicFilter {
	const status = url.searchParams.get('status');
	return {
		districtId: idFromText(url.searchParams.get('district')),
		clusterId: idFromText(url.searchParams.get('cluster')),
		themeId: idFromText(url.searchParams.get('theme')),
		status: isPointStatus(status) ? status : null
	};
}
