import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { listPeople, pendingInvitations, PERSON_KEY } from '$lib/server/people';
import { NEWEST_FIRST_KEY, readCursor } from '$lib/server/paging';
import { peopleFilterSchema } from '$lib/schemas/people';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'people.view' });
	const asked = {
		search: url.searchParams.get('search') ?? undefined,
		role: url.searchParams.get('role') || undefined,
		status: url.searchParams.get('status') || undefined
	};
	// A hand-edited address with an unknown filter shows everyone rather than an error.
	const parsed = peopleFilterSchema.safeParse(asked);
	const filters = parsed.success ? parsed.data : peopleFilterSchema.parse({});
	const { db } = await portal();
	const [list, invitations] = await Promise.all([
		listPeople(db, filters, readCursor(url.searchParams.get('page'), PERSON_KEY)),
		pendingInvitations(db, readCursor(url.searchParams.get('invitations'), NEWEST_FIRST_KEY))
	]);
	return {
		filters: { search: filters.search ?? '', role: filters.role, status: filters.status },
		filtered: Boolean(filters.search) || filters.role !== 'any' || filters.status !== 'any',
		people: list.people,
		pages: { previous: list.previous, next: list.next },
		invitations: invitations.items,
		invitationPages: { previous: invitations.previous, next: invitations.next }
	};
};
