import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/forms';
import { portal } from '$lib/server/boot';
import { forPage, parseId, requireActor } from '$lib/server/pages';
import { openPapers, replacePaper, saveStatement, sharePaper, shareStatement, uploadPaper, withdrawPaper, withdrawStatement, type PostedPaper } from '$lib/server/disputes';

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

/** The posted file (an empty one kept, so the command says it is empty), or null when none was chosen. */
async function postedFile(data: FormData): Promise<PostedPaper | null> {
	const posted = data.get('file');
	if (!(posted instanceof File) || (posted.size === 0 && !posted.name)) return null;
	return { name: posted.name, content: new Uint8Array(await posted.arrayBuffer()) };
}
/** Which paper's row a form belongs to, so its errors show beside that paper. */
const paperForm = (kind: string, paperId: string) => `${kind}-${/^\d{1,9}$/.test(paperId) ? paperId : 'x'}`;

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
		run: async ({ db, actor, params, values, data }) => uploadPaper(db, actor, { ...values, caseId: params.id }, await postedFile(data)),
		visible: ['party', 'description', 'file'],
		done: (_, { params }) => back(params.id, 'uploaded')
	}),
	sharePaper: formAction({
		form: 'paper',
		fields: ['paperId'],
		formFor: (values) => paperForm('paper', values.paperId),
		visible: [],
		confirm: 'share this paper with third parties redacted',
		run: ({ db, actor, params, values }) => sharePaper(db, actor, { caseId: params.id, paperId: values.paperId, redactionChecked: true }),
		done: (_, { params }) => back(params.id, 'paper-shared')
	}),
	replacePaper: formAction({
		form: 'replace',
		fields: ['paperId', 'description'],
		formFor: (values) => paperForm('replace', values.paperId),
		visible: ['file', 'description'],
		run: async ({ db, actor, params, values, data }) => replacePaper(db, actor, { ...values, caseId: params.id }, await postedFile(data)),
		done: (_, { params }) => back(params.id, 'paper-replaced')
	}),
	withdrawPaper: formAction({
		form: 'withdraw',
		fields: ['paperId'],
		formFor: (values) => paperForm('withdraw', values.paperId),
		visible: [],
		confirm: 'withdraw this paper',
		run: ({ db, actor, params, values }) => withdrawPaper(db, actor, { caseId: params.id, paperId: values.paperId }),
		done: (_, { params }) => back(params.id, 'paper-withdrawn')
	}),
	withdrawStatement: formAction({
		form: 'withdraw-statement',
		fields: ['party', 'version'],
		formFor: (values) => `withdraw-statement-${values.party === 'setting' ? 'setting' : 'family'}`,
		visible: [],
		confirm: 'withdraw this statement',
		run: ({ db, actor, params, values }) => withdrawStatement(db, actor, { ...values, caseId: params.id }),
		done: (_, { params }) => back(params.id, 'statement-withdrawn')
	})
};
