import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { startTrustApplications, trustApplyOptions } from '$lib/server/capital/applications';
import { idsFrom } from '../../forms.server';

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
			return startTrustApplications(db, actor, { trustId: values.trustId, roundId: roundId ?? '', lineId: lineId ?? '', settingIds: idsFrom(data, 'settingIds') });
		},
		done: ({ applications }, { values }) => `/capital/applications/trust?trust=${encodeURIComponent(values.trustId)}&started=${applications.length}`
	})
};
