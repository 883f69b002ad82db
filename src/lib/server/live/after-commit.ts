import type { Database } from '../db';
import { log } from '../log';
import { deliverMail } from '../mail';
import type { LiveEnvelope } from '$lib/live/events';
import { userRoom } from '$lib/live/rooms';
import type { AfterCommitHub } from './hub';
import { sessionRoom } from './rooms';
import type { LiveServer } from './socket-types';

/** Sends events to this instance's sockets at once, in the order given (room sequence order). */
export function deliverLocally(io: LiveServer, events: LiveEnvelope[]) {
	for (const event of events) io.local.to(event.room).emit('live', event);
}

/** What boot installs to run after each commit: emit its live events, send its mail, end connections. */
export function afterCommitHub(db: Database, io: LiveServer | undefined): AfterCommitHub {
	// Local sockets hear a commit straight away and in order; other instances get the whole commit
	// as one message, so a commit's events stay in order there too. (Two commits relayed at the same
	// moment can still arrive swapped; browsers hold early events briefly and ask for any gap.)
	// This instance's caches were already told by `transact`; the others hear it with the relay.
	return {
		emit(events) {
			if (!io) return;
			deliverLocally(io, events);
			io.serverSideEmit('relay', events);
		},
		deliverMail(ids) {
			deliverMail(db, ids).catch((error: Error) => log.error({ err: error.message }, 'mail delivery failed'));
		},
		disconnectUsers(userIds) {
			io?.serverSideEmit('forgetSessions', { userIds });
			for (const id of userIds) io?.in(userRoom(id)).disconnectSockets(true);
		},
		disconnectSessions(sessionIds) {
			io?.serverSideEmit('forgetSessions', { sessionIds });
			for (const id of sessionIds) io?.in(sessionRoom(id)).disconnectSockets(true);
		}
	};
}
