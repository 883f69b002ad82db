import type { PickerResult } from './picker';
import { trpc } from './trpc';

// The live searches behind a district picker (the browser side of a search box for a district).

/** Signed in: tRPC, where the policy is asked (`districts.search`). */
export const districtSearch = (query: string): Promise<PickerResult> => trpc().pickers.clusters.query({ query, for: 'district' });

/** The public pages' search (families have no accounts, so not tRPC): `/you-said-we-did/districts`. */
export async function publicDistrictSearch(query: string): Promise<PickerResult> {
	const answer = await fetch(`/you-said-we-did/districts?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/json' } });
	if (!answer.ok) throw new Error(`The district search answered ${answer.status}`);
	return (await answer.json()) as PickerResult;
}
