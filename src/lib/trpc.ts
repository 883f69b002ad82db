import { createTRPCClient, type TRPCClientInit } from 'trpc-sveltekit';
import type { AppRouter } from '$lib/server/trpc/router';

export const TRPC_PATH = '/api/trpc';

/** A typed client for the portal's API (browser or load functions). */
export function trpc(init?: TRPCClientInit) {
	return createTRPCClient<AppRouter>({ url: TRPC_PATH, init });
}
