// Pure: how long each kind of row is kept, read from the environment, and the moment before
// which a row is gone. No database here, so the rules are unit-tested on their own.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export interface RetentionSettings {
	intervalMs: number;
	/** Live events older than this go; a browser further behind reloads its data instead of catching up. */
	liveEventMs: number;
	/** Mail that was sent (or logged) this long ago; unsent mail stays. */
	sentMailMs: number;
	/** Notifications read this long ago; unread ones stay. */
	readNotificationMs: number;
	/** Evidence files of capital applications withdrawn or declined this long ago. */
	closedApplicationEvidenceMs: number;
}

/** The setting, its default and its unit, for the README and for messages. */
export const RETENTION_VARIABLES = {
	RETENTION_INTERVAL_MINUTES: { key: 'intervalMs', unitMs: MINUTE_MS, fallback: 60 },
	RETENTION_LIVE_EVENT_HOURS: { key: 'liveEventMs', unitMs: HOUR_MS, fallback: 24 },
	RETENTION_SENT_MAIL_DAYS: { key: 'sentMailMs', unitMs: DAY_MS, fallback: 30 },
	RETENTION_READ_NOTIFICATION_DAYS: { key: 'readNotificationMs', unitMs: DAY_MS, fallback: 90 },
	RETENTION_CLOSED_APPLICATION_EVIDENCE_DAYS: { key: 'closedApplicationEvidenceMs', unitMs: DAY_MS, fallback: 365 }
} as const satisfies Record<string, { key: keyof RetentionSettings; unitMs: number; fallback: number }>;

/**
 * The settings from the environment. A malformed value stops the start with a message naming
 * the variable: silently keeping mail for the default when someone asked for less would be worse.
 */
export function retentionSettingsFromEnv(env: Record<string, string | undefined> = process.env): RetentionSettings {
	const read = (name: keyof typeof RETENTION_VARIABLES): number => {
		const { unitMs, fallback } = RETENTION_VARIABLES[name];
		const raw = env[name]?.trim();
		const value = raw ? Number(raw) : fallback;
		if (!Number.isFinite(value) || value <= 0 || value > 100_000) {
			throw new Error(`${name} must be a positive number (default ${fallback}); it is "${raw}".`);
		}
		return value * unitMs;
	};
	return {
		intervalMs: read('RETENTION_INTERVAL_MINUTES'),
		liveEventMs: read('RETENTION_LIVE_EVENT_HOURS'),
		sentMailMs: read('RETENTION_SENT_MAIL_DAYS'),
		readNotificationMs: read('RETENTION_READ_NOTIFICATION_DAYS'),
		closedApplicationEvidenceMs: read('RETENTION_CLOSED_APPLICATION_EVIDENCE_DAYS')
	};
}

/** Rules fixed by the portal's own code rather than by configuration. */
export interface FixedLifetimes {
	/** Form tokens: needed only while a page is open. */
	formTokenMs: number;
	/** After a reset link expires it still says "expired" or "already used" for this long, then it is forgotten. */
	passwordResetGraceMs: number;
	/** A throttle row with no attempt for this long (and no wait pending) counts for nothing. */
	throttleQuietMs: number;
	/** Devices that signed in longer ago than this are no longer known (device.ts). */
	deviceMs: number;
	/** socket.io's cross-instance attachments are read within moments of being written. */
	socketAttachmentMs: number;
}

export interface RetentionCutoffs {
	liveEvent: Date;
	sentMail: Date;
	readNotification: Date;
	/** Capital applications withdrawn or declined before this lose their evidence files. */
	closedApplicationEvidence: Date;
	/** Sessions that expired before this. */
	session: Date;
	formToken: Date;
	passwordReset: Date;
	throttle: Date;
	device: Date;
	socketAttachment: Date;
}

export function retentionCutoffs(now: Date, settings: RetentionSettings, fixed: FixedLifetimes): RetentionCutoffs {
	const before = (ms: number) => new Date(now.getTime() - ms);
	return {
		liveEvent: before(settings.liveEventMs),
		sentMail: before(settings.sentMailMs),
		readNotification: before(settings.readNotificationMs),
		closedApplicationEvidence: before(settings.closedApplicationEvidenceMs),
		// An expired session is refused anyway (session.ts); it goes as soon as it expires.
		session: now,
		formToken: before(fixed.formTokenMs),
		passwordReset: before(fixed.passwordResetGraceMs),
		throttle: before(fixed.throttleQuietMs),
		device: before(fixed.deviceMs),
		socketAttachment: before(fixed.socketAttachmentMs)
	};
}
