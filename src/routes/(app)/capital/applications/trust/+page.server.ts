import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { formAction, refuseForm } from '$lib/server/forms';
import { startTrustApplications, trustApplyOptions } from '$lib/server/capital/applications';
import { idsFrom, textsFrom } from '../../forms.server';
import { invalid } from '$lib/server/errors';

// A trust applying for several of its academies at once: choose the trust (when the person signs
// for more than one), a round's line and the schools; one draft per school is started together.

const idOf = (text: string | null) => (text && /^\d{1,10}$/.test(text) ? Number(text) : null);

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const options = await forPage(trustApplyOptions(db, actor, idOf(url.searchParams.get('trust'))));
	const started = idOf(url.searchParams.get('started'));
	return { ...options, started };
};

export const actions: Actions = {
	start: formAction({
		form: 'trust',
		fields: ['trustId', 'roundLine'],
		visible: (field) => (field === 'settingIds' ? 'trust-settingIds' : ['roundLine', 'roundId', 'lineId'].includes(field) ? 'trust-roundLine' : null),
		run: ({ db, actor, values, data }) => {
			// One select names the round and the line together: "round:line".
			const [roundId, lineId] = values.roundLine.split(':');
			if (!lineId) throw invalid('Choose a round and line', { roundLine: ['Choose a round and line'] });
			return startTrustApplications(db, actor, { trustId: values.trustId, roundId: roundId ?? '', lineId: lineId ?? '', settingIds: idsFrom(data, 'settingIds') });
		},
		// A refused form comes back with the schools that were ticked still ticked.
		refuse: (caught, { values, data, form, idFor }) => refuseForm(caught, form, { ...values, settingIds: textsFrom(data, 'settingIds').join(',') }, idFor),
		done: ({ applications }, { values }) => `/capital/applications/trust?trust=${encodeURIComponent(values.trustId)}&started=${applications.length}`
	})
};
