/**
 * The API client, fetched the first time it is used. Pages that call the API only after they have
 * loaded (presence, a search as someone types) keep the client out of their first-load JavaScript,
 * which the client-JS budget counts.
 */
export async function lazyTrpc() {
	const { trpc } = await import('./trpc');
	return trpc();
}
