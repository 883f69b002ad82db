import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/forms';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { openPapers, saveStatement, sharePaper, shareStatement, uploadPaper } from '$lib/server/disputes';

// Each party's position statement and papers: the district's SENDIASS officers record them on the
// parties' behalf, prepare redacted copies and share them once both parties agreed; the booked panel
// reads only what was shared. Every look is logged on the case. The upload is a multipart form, so
// it works without JavaScript.

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor(locals, url);
	const { db } = await portal();
	return { view: await forPage(openPapers(db, actor, parseId(params.id))), done: url.searchParams.get('done') };
};

const back = (caseId: string, done: string) => `/disputes/${caseId}/papers?done=${done}`;

export const actions: Actions = {
	statement: formAction({
		form: 'statement',
		fields: ['caseId', 'party', 'version', 'partyText', 'redactedText'],
		formFor: (values) => `statement-${values.party === 'setting' ? 'setting' : 'family'}`,
		visible: ['partyText', 'redactedText'],
		run: ({ db, actor, params, values }) => saveStatement(db, actor, { ...values, caseId: params.id }),
		done: (_, { params }) => back(params.id, 'statement')
	}),
	shareStatement: formAction({
		form: 'share',
		fields: ['caseId', 'party', 'version'],
		formFor: (values) => `share-${values.party === 'setting' ? 'setting' : 'family'}`,
		visible: [],
		run: ({ db, actor, params, values }) => shareStatement(db, actor, { ...values, caseId: params.id }),
		done: (_, { params }) => back(params.id, 'statement-shared')
	}),
	upload: formAction({
		form: 'upload',
		fields: ['party', 'description'],
		run: async ({ db, actor, params, values, data }) => {
			const posted = data.get('file');
			const file = posted instanceof File && posted.size > 0 ? { name: posted.name, content: new Uint8Array(await posted.arrayBuffer()) } : posted instanceof File && posted.name ? { name: posted.name, content: new Uint8Array(0) } : null;
			return uploadPaper(db, actor, { ...values, caseId: params.id }, file);
		},
		visible: ['party', 'description', 'file'],
		done: (_, { params }) => back(params.id, 'uploaded')
	}),
	sharePaper: formAction({
		form: 'paper',
		fields: ['paperId'],
		formFor: (values) => `paper-${/^\d{1,9}$/.test(values.paperId) ? values.paperId : 'x'}`,
		visible: [],
		confirm: 'share this paper with third parties redacted',
		run: ({ db, actor, params, values }) => sharePaper(db, actor, { caseId: params.id, paperId: values.paperId, redactionChecked: true }),
		done: (_, { params }) => back(params.id, 'paper-shared')
	})
};
