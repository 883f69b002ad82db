import type { Database } from '../db';
import type { Actor } from '../auth/actor';
import { assertCan } from '../policy';
import { parseInput } from '../input';
import { searchSettings } from '../pickers/queries';
import { idFromText } from '$lib/schemas/common';
import { caseSettingSearchSchema } from '$lib/schemas/disputes';
import type { PickerResult, PickerState } from '$lib/picker';
import { districtRef } from './cases';

// The referral form's setting picker: the settings of the district whose panels the officer runs,
// the same scope the referral command accepts.

export async function caseSettingPicker(db: Database, actor: Actor, raw: unknown): Promise<PickerResult> {
	const input = parseInput(caseSettingSearchSchema, raw);
	const district = await districtRef(db, input.districtId);
	assertCan(actor, { action: 'disputes.district.run', district });
	return searchSettings(db, { kind: 'cluster', clusterId: district.id, excluding: [] }, { query: input.query });
}

/** The picker as the page renders it without JavaScript (the search and the choice from the address or the refused post). */
export async function caseSettingPickerState(db: Database, actor: Actor, districtId: number, asked: { query: string | null; chosen: string | null }): Promise<PickerState> {
	const parsed = caseSettingSearchSchema.safeParse({ districtId, query: asked.query ?? '' });
	const query = parsed.success ? parsed.data.query : '';
	const chosenId = idFromText(asked.chosen);
	const [found, chosen] = await Promise.all([
		caseSettingPicker(db, actor, { districtId, query }),
		chosenId === null ? null : searchSettings(db, { kind: 'cluster', clusterId: districtId, excluding: [] }, { ids: [chosenId] })
	]);
	return { query, ...found, chosen: chosen?.options[0] ?? null };
}
