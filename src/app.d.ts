import type { Actor } from '$lib/server/auth/actor';
import type { Session } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			actor: Actor | null;
			session: Session | null;
			/** Set when this request failed because the database was out of reach: it answers 503. */
			databaseUnavailable?: boolean;
		}
		interface Error {
			message: string;
			/** Shown on 403 pages: why the portal refused. */
			reason?: string;
			/** On 500 pages: quoted to support, and on the server's log line with the detail. */
			reference?: string;
		}
	}
}

export {};
