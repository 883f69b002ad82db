import pino from 'pino';

/** Structured JSON logs on stdout. Personal data (emails, names, child details) is never logged. */
export const log = pino({
	level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
	base: { app: 'send-portal', pid: process.pid },
	redact: ['password', '*.password', 'token', '*.token', 'email', '*.email']
});
