import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { mailOutbox } from '$lib/server/people';
import { NEWEST_FIRST_KEY, readCursor } from '$lib/server/paging';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'mail.viewOutbox' });
	const { db } = await portal();
	const mail = await mailOutbox(db, readCursor(url.searchParams.get('page'), NEWEST_FIRST_KEY));
	return { mail: mail.items, pages: { previous: mail.previous, next: mail.next }, smtpConfigured: Boolean(process.env.SMTP_URL) };
};
