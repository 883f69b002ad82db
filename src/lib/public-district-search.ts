import type { PickerResult } from './picker';

/** The public pages' live district search (families have no accounts, so not tRPC): `/you-said-we-did/districts`. */
export async function publicDistrictSearch(query: string): Promise<PickerResult> {
	const answer = await fetch(`/you-said-we-did/districts?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/json' } });
	if (!answer.ok) throw new Error(`The district search answered ${answer.status}`);
	return (await answer.json()) as PickerResult;
}
