import type { Actor } from '$lib/server/auth/actor';
import type { Session } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			actor: Actor | null;
			session: Session | null;
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
