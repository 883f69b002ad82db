import { globalSlot } from './global-slot';
/**
 * The portal's public address, used to build links that leave the site (invitation and
 * password-reset emails). Never taken from a request's Host header: anyone can send any Host, and
 * a reset link pointing at their site would hand them the token.
 * - ORIGIN when set (required in production: the server refuses to start without it);
 * - in dev, the address the Vite dev server reports it is listening on;
 * - otherwise (tests, scripts) http://localhost:$PORT.
 */
const devOrigin = globalSlot<string>('send-portal.devOrigin');

export const ORIGIN_MISSING =
	'ORIGIN is not set. In production the portal needs its public address to build the links in invitation and ' +
	'password-reset emails and to check where requests come from: set ORIGIN to it, e.g. ORIGIN=https://send-portal.oxfordshire.gov.uk';

/** Checks ORIGIN at start-up: well formed when set, and set at all in production. */
export function checkOriginSetting(production: boolean, value = process.env.ORIGIN): void {
	if (!value) {
		if (production) throw new Error(ORIGIN_MISSING);
		return;
	}
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new Error(`ORIGIN is "${value}", which is not a URL. Set it to the portal's public address, e.g. https://send-portal.oxfordshire.gov.uk`);
	}
	if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash) {
		throw new Error(`ORIGIN is "${value}": give only the scheme and host (and port), e.g. https://send-portal.oxfordshire.gov.uk`);
	}
}

/** In dev only: the address Vite is serving on (from Vite itself, not from a request). */
export function setDevOrigin(origin: string | undefined): void {
	if (origin) devOrigin.set(new URL(origin).origin);
}

export function publicOrigin(): string {
	if (process.env.ORIGIN) return new URL(process.env.ORIGIN).origin;
	return devOrigin.get() ?? `http://localhost:${process.env.PORT ?? 5173}`;
}

/** An absolute link to a path on this portal, for email. */
export function absoluteUrl(path: string): string {
	return new URL(path, publicOrigin()).toString();
}
