// The embedded server's login, in a module of its own so a test can reach the end-to-end server's
// database (to let time pass for a meeting) without loading the server's life cycle.

export const EMBEDDED_USER = 'postgres';
// Local-only server bound to loopback; the password only keeps other local users honest.
export const EMBEDDED_PASSWORD = 'portal-local';
