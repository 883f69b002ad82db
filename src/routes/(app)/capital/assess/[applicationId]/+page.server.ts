import type { Actions, PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { ownValue } from '$lib/schemas/common';
import { CRITERIA_MAX } from '$lib/schemas/capital';
import { assessmentForPage, assessmentPageRooms, declareInterest, submitScores } from '$lib/server/capital/assessment';

const DONE: Record<string, string> = {
	declared: 'Declaration recorded. You can now read and score the application.',
	conflict: 'Conflict of interest recorded. You have been removed from assessing this application.',
	scored: 'Scores submitted.'
};

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	const id = parseId(params.applicationId);
	depends(`assessment:${id}`);
	// The live rooms' numbers are read before the page's data, so a change in between is replayed.
	const rooms = await assessmentPageRooms(db, actor, id);
	const page = await forPage(assessmentForPage(db, actor, id));
	return { page, applicationId: id, rooms, done: ownValue(DONE, url.searchParams.get('done')) ?? null };
};

const idOf = (params: { applicationId: string }) => parseId(params.applicationId);
// A round has at most CRITERIA_MAX criteria; each row's typed score and justification are kept on a refusal.
const ROW_FIELDS = Array.from({ length: CRITERIA_MAX }, (_, row) => [`criterion-${row}-score`, `criterion-${row}-justification`]).flat();

export const actions: Actions = {
	declare: formAction<{ conflict: boolean }, { applicationId: string }>({
		form: 'declare',
		fields: ['conflict', 'details'],
		run: ({ db, actor, values, params }) => declareInterest(db, actor, { ...values, applicationId: idOf(params) }),
		done: ({ conflict }, { params }) => `/capital/assess/${idOf(params)}?done=${conflict ? 'conflict' : 'declared'}`
	}),
	score: formAction<unknown, { applicationId: string }>({
		form: 'score',
		fields: ROW_FIELDS,
		// Errors land beside the row's field, `criterion-<row>-<part>`.
		visible: (field) => {
			const match = /^scores\.(\d+)\.(score|justification)$/.exec(field);
			return match ? `criterion-${match[1]}-${match[2]}` : null;
		},
		run: ({ db, actor, data, params }) => {
			const rows: { criterionId: string; score: string; justification: string; name: string }[] = [];
			const ids = data.getAll('criterionId').map(String);
			ids.forEach((criterionId, index) => {
				const read = (part: string) => String(data.get(`criterion-${index}-${part}`) ?? '');
				rows.push({ criterionId, score: read('score'), justification: read('justification'), name: read('name') || 'this criterion' });
			});
			return submitScores(db, actor, { applicationId: idOf(params), scores: rows });
		},
		done: (_, { params }) => `/capital/assess/${idOf(params)}?done=scored`
	})
};
