import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { consultationRulePage } from '$lib/server/pcf/consultations';
import { setConsultationRule } from '$lib/server/pcf/commands';

// A district's rule for consultation closing dates: an officer sets the minimum period and whether
// a closing date may fall in a school holiday, saying why; every change is listed with who and when.

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const done = url.searchParams.get('done');
	return { ...(await forPage(consultationRulePage(db, actor, parseId(params.districtId)))), done: done === 'saved' ? 'The consultation rule was changed.' : done === 'same' ? 'Nothing changed: the rule already says that.' : null };
};

export const actions: Actions = {
	default: formAction({
		form: 'rule',
		fields: ['version', 'minDays', 'avoidHolidays', 'reason'],
		visible: ['minDays', 'avoidHolidays', 'reason'],
		run: ({ db, actor, values, params }) => setConsultationRule(db, actor, { ...values, districtId: parseId(params.districtId) }),
		done: (result, { params }) => `/pcf/${params.districtId}/consultation-settings?done=${result.changed ? 'saved' : 'same'}`
	})
};
