import type { PageServerLoad } from './$types';
import { portal } from '$lib/server/boot';
import { requireActor, requirePermission } from '$lib/server/pages';
import { mailOutbox, MAIL_OUTBOX_LIMIT } from '$lib/server/people';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor(locals, url);
	requirePermission(actor, { action: 'mail.viewOutbox' });
	const { db } = await portal();
	return { mail: await mailOutbox(db), limit: MAIL_OUTBOX_LIMIT, smtpConfigured: Boolean(process.env.SMTP_URL) };
};
