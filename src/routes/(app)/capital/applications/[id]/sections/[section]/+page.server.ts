import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { forPage, parseId } from '$lib/server/pages';
import { formAction } from '$lib/server/forms';
import { refuseSection } from '$lib/server/document/form';
import { applicationDetail, saveApplicationSection } from '$lib/server/capital/applications';
import { isApplicationSection, SECTION_SPECS, type ApplicationSection } from '$lib/capital/applications/document';
import { openApplicationPage } from '../../application-page.server';

// One section of an application on its own page (the GOV.UK task-list pattern): its fields, saved
// against the section's version; on a clash the other writer's text is shown beside what was typed.

function sectionOf(param: string, sections: readonly string[] | null = null): ApplicationSection {
	if (!isApplicationSection(param) || (sections && !sections.includes(param))) error(404, { message: 'Page not found' });
	return param;
}

export const load: PageServerLoad = async (event) => {
	const { actor, db, id, liveSeq } = await openApplicationPage(event);
	const detail = await forPage(applicationDetail(db, actor, id));
	return { ...detail, section: sectionOf(event.params.section, detail.sections), liveSeq };
};

/** The section's answers as posted: one value per field, every ticked box for a list of ticks. */
function postedAnswers(section: ApplicationSection, data: FormData): Record<string, unknown> {
	return Object.fromEntries(
		SECTION_SPECS[section].fields.map((field) => {
			if (field.kind === 'checks') return [field.name, data.getAll(field.name).filter((v) => typeof v === 'string')];
			const value = data.get(field.name);
			return [field.name, typeof value === 'string' ? value : ''];
		})
	);
}

export const actions: Actions = {
	save: formAction({
		form: 'save',
		fields: ['version'],
		visible: [],
		run: ({ db, actor, params, values, data }) => {
			const section = sectionOf(params.section);
			return saveApplicationSection(db, actor, { applicationId: parseId(params.id), section, version: values.version, answers: postedAnswers(section, data) });
		},
		refuse: (caught, { params, values, data, form }) => {
			const section = sectionOf(params.section);
			const names = new Set(SECTION_SPECS[section].fields.map((f) => f.name));
			const { status, data: refusal } = refuseSection(caught, form, values, (key) => (names.has(key) ? `field-${key}` : null));
			const posted = Number(values.version);
			const version = refusal.sectionConflict?.version ?? (Number.isInteger(posted) && posted >= 0 ? posted : 0);
			const fields = [...data.entries()].flatMap(([name, value]): [string, string][] => (typeof value === 'string' ? [[name, value]] : []));
			return fail(status, { ...refusal, form: 'save', section, version, posted: fields });
		},
		done: (_, { params }) => `/capital/applications/${parseId(params.id)}?done=saved`
	})
};
