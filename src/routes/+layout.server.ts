import type { LayoutServerLoad } from './$types';
import { can, isCountyStaff } from '$lib/server/policy';
import { portal } from '$lib/server/boot';
import { unreadCount } from '$lib/server/notifications';
import { currentSeq } from '$lib/server/live/server';
import { userRoom } from '$lib/live/rooms';

// Only a small, chosen set of the person's fields reaches the browser.
export const load: LayoutServerLoad = async ({ locals }) => {
	const actor = locals.actor;
	if (!actor) return { user: null, unread: 0, ownSeq: 0 };
	const { db } = await portal();
	// The person's own room's number, read before the unread count, so a notification committed in between is replayed.
	const ownSeq = await currentSeq(db, userRoom(actor.id));
	return {
		ownSeq,
		user: {
			id: actor.id,
			name: actor.name,
			isStaff: isCountyStaff(actor),
			countyRole: actor.countyRole,
			// The menu offers only what the policy lets this person open.
			canViewMail: can(actor, { action: 'mail.viewOutbox' }).allowed,
			// Council officers see the panels' anonymised governance figures only.
			disputesLink: actor.clusterRoles.some((role) => role.role === 'sendiass_officer') ? '/disputes' : isCountyStaff(actor) ? '/disputes/reports' : null,
			canViewPcf: can(actor, { action: 'pcf.groups.view' }).allowed,
			canViewPcfTracker: can(actor, { action: 'pcf.tracker.view' }).allowed,
			capitalLink: can(actor, { action: 'capital.view' }).allowed ? '/capital' : can(actor, { action: 'capital.rounds.view' }).allowed ? '/capital/rounds' : null,
			capitalApplications: can(actor, { action: 'capital.rounds.view' }).allowed,
			capitalRegister: can(actor, { action: 'capital.register.view' }).allowed
		},
		unread: await unreadCount(db, actor)
	};
};
