import { isIP } from 'node:net';

/**
 * The address a request came from, for throttling. Headers can be forged by anyone, so one is
 * read only when TRUSTED_PROXY says the portal sits behind a proxy that sets it:
 * - unset: the TCP peer's address (X-Forwarded-For and friends are ignored);
 * - a number N (1-10): N proxies in front of the portal each append to X-Forwarded-For, so the
 *   client is the Nth address from the right (anything further left came from the client);
 * - a header name (e.g. `x-real-ip`, `cf-connecting-ip`): that header, which the proxy sets.
 * When the header is missing or not an IP address, the peer's address is used.
 */
export function clientAddress(headers: Headers, peerAddress: string, trustedProxy = process.env.TRUSTED_PROXY): string {
	const setting = trustedProxy?.trim();
	if (!setting) return peerAddress;
	if (/^\d+$/.test(setting)) {
		const hops = Number(setting);
		const chain = (headers.get('x-forwarded-for') ?? '')
			.split(',')
			.map((part) => part.trim())
			.filter(Boolean);
		const candidate = hops >= 1 ? chain[chain.length - hops] : undefined;
		return candidate && isIP(candidate) ? candidate : peerAddress;
	}
	const value = headers.get(setting)?.trim();
	return value && isIP(value) ? value : peerAddress;
}

/** Refuses a TRUSTED_PROXY that is neither a hop count nor a header name, at start-up. */
export function checkTrustedProxySetting(value = process.env.TRUSTED_PROXY): void {
	const setting = value?.trim();
	if (!setting) return;
	if (/^\d+$/.test(setting) ? Number(setting) >= 1 && Number(setting) <= 10 : /^[A-Za-z0-9-]{1,64}$/.test(setting)) return;
	throw new Error(
		`TRUSTED_PROXY is "${setting}": set it to the number of proxies in front of the portal (1-10, read from ` +
			'X-Forwarded-For) or to the name of the header your proxy sets to the client address (e.g. x-real-ip), or leave it unset.'
	);
}
