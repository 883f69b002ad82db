import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forbiddenPage, requireActor } from '$lib/server/pages';
import { formAction, textOf } from '$lib/server/forms';
import { datePartsOf } from '$lib/dates';
import { workspacesToOpen } from '$lib/server/pcf/consultations';
import { openConsultation } from '$lib/server/pcf/commands';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const workspaces = await workspacesToOpen(db, actor);
	// `?kind=steering`: the same form puts a decision on a cluster steering group's agenda instead.
	const steering = url.searchParams.get('kind') === 'steering';
	if (workspaces.length === 0) forbiddenPage(steering ? 'Only a council officer or a cluster lead can put a decision on a steering group’s agenda.' : 'Only a council officer or a cluster lead can open a consultation.');
	// `?workspace=<id>` (from a workspace's page) chooses that workspace, if this person may open one there.
	const chosen = workspaces.find((w) => String(w.id) === url.searchParams.get('workspace'));
	return { workspaces, steering, chosenWorkspace: chosen ? String(chosen.id) : '' };
};

export const actions: Actions = {
	default: formAction({
		form: 'new',
		fields: ['clusterId', 'title', 'body', 'link', 'label', 'statutoryRoute', 'stage', 'closesOn-day', 'closesOn-month', 'closesOn-year', 'meetingOn-day', 'meetingOn-month', 'meetingOn-year'],
		visible: ['clusterId', 'title', 'body', 'link', 'label', 'statutoryRoute', 'stage', 'closesOn', 'meetingOn'],
		run: ({ db, actor, values, data }) =>
			openConsultation(db, actor, {
				...values,
				label: values.label || undefined,
				stage: values.stage || undefined,
				closesOn: datePartsOf((field) => textOf(data, field), 'closesOn'),
				// Only a steering group decision item has a meeting; the schema asks it for one.
				meetingOn: values.label === 'steering_decision' ? datePartsOf((field) => textOf(data, field), 'meetingOn') : undefined
			}),
		done: ({ consultationId, steering }) => `/pcf/consultations/${consultationId}?done=${steering ? 'agenda' : 'opened'}`
	})
};
