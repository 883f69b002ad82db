import { fail, isActionFailure } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { formAction, textOf } from '$lib/server/forms';
import { idFromText } from '$lib/schemas/common';
import { caseSettingPickerState, districtRef, recordReferral } from '$lib/server/disputes';
import { notFound } from '$lib/server/errors';

// Recording a referral: the least about the child (initials and year group), who the
// disagreement is with, what has been tried and what is sought. Triage runs as it is saved.

const FIELDS = ['districtId', 'referrer', 'supporter', 'interpreter', 'adjustments', 'otherParty', 'settingId', 'settingQuery', 'category', 'childInitials', 'yearGroup', 'tried', 'outcomeSought', 'childViews', 'urgent', 'safeguarding', 'decisionLetterDate-day', 'decisionLetterDate-month', 'decisionLetterDate-year'];

/** What a search without JavaScript carried in the address (every field rides along), or null. */
function typedIn(url: URL): Record<string, string> | null {
	if (!url.searchParams.has('settingQuery')) return null;
	return Object.fromEntries(FIELDS.map((field) => [field, url.searchParams.get(field) ?? '']));
}

function referralInput(values: Record<string, string>) {
	const day = values['decisionLetterDate-day'].trim();
	const month = values['decisionLetterDate-month'].trim();
	const year = values['decisionLetterDate-year'].trim();
	return { ...values, decisionLetterDate: day || month || year ? { day, month, year } : '' };
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const districtId = idFromText(url.searchParams.get('district') ?? url.searchParams.get('districtId'));
	if (districtId === null) return forPage(Promise.reject(notFound('That district')));
	const { db } = await portal();
	const typed = typedIn(url);
	const district = await forPage(districtRef(db, districtId));
	const settingPicker = await forPage(caseSettingPickerState(db, actor, district.id, { query: typed?.settingQuery ?? null, chosen: typed?.settingId ?? null }));
	return { district, settingPicker, typed };
};

const record = formAction({
	form: 'referral',
	fields: FIELDS,
	visible: (field) => (field === 'decisionLetterDate' ? 'referral-decisionLetterDate' : FIELDS.includes(field) && field !== 'districtId' ? `referral-${field}` : null),
	run: ({ db, actor, values }) => recordReferral(db, actor, referralInput(values)),
	done: ({ id }) => `/disputes/${id}?done=recorded`
});

export const actions: Actions = {
	// A refused post keeps the picker's search and choice in view.
	default: async (event) => {
		const posted = await event.request
			.clone()
			.formData()
			.catch(() => null);
		const result = await record(event);
		const refused: unknown = isActionFailure(result) ? result.data : null;
		if (!posted || !isActionFailure(result) || typeof refused !== 'object' || refused === null) return result;
		const { db } = await portal();
		const districtId = idFromText(textOf(posted, 'districtId'));
		if (districtId === null) return result;
		const settingPicker = await caseSettingPickerState(db, requireActor(event.locals, event.url), districtId, { query: textOf(posted, 'settingQuery'), chosen: textOf(posted, 'settingId') }).catch(() => null);
		return fail(result.status, { ...refused, settingPicker });
	}
};
