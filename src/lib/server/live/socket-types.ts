import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, LiveEnvelope, RoomName, ServerToClientEvents, SocketData } from '$lib/live/events';

/** Between app instances, through the Postgres adapter. */
export interface InstanceEvents {
	/** A committed change's events, relayed to the other instances' own sockets (and caches). */
	relay: (events: LiveEnvelope[]) => void;
	/** Someone's sessions ended or rights changed on another instance: forget what was remembered of them. */
	forgetSessions: (whose: { userIds?: number[]; sessionIds?: string[] }) => void;
	presence: (room: RoomName) => void;
}
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InstanceEvents, SocketData>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InstanceEvents, SocketData>;
