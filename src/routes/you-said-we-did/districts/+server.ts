import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { portal } from '$lib/server/boot';
import { DomainError } from '$lib/server/errors';
import { publicDistrictSearch } from '$lib/server/pickers';

/**
 * The public pages' live district search (`?query=…`): active districts by name, nothing else.
 * Families have no accounts; district names are on every public page. A search too long is a 400
 * with the field's words.
 */
export const GET: RequestHandler = async ({ url }) => {
	const { db } = await portal();
	try {
		return json(await publicDistrictSearch(db, url.searchParams.get('query')), { headers: { 'cache-control': 'public, max-age=300' } });
	} catch (caught) {
		if (caught instanceof DomainError && caught.code === 'BAD_REQUEST') return json({ message: caught.message, errors: caught.fieldErrors ?? {} }, { status: 400 });
		throw caught;
	}
};
