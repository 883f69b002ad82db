import { describe, expect, it } from 'vitest';
import { retentionCutoffs, retentionSettingsFromEnv } from '../../src/lib/server/retention/cutoffs';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const fixed = { formTokenMs: DAY, passwordResetGraceMs: 7 * DAY, throttleQuietMs: HOUR, deviceMs: 365 * DAY, socketAttachmentMs: 300_000 };

describe('retention settings', () => {
	it('defaults to hourly runs, a day of live events, 30 days of sent mail, 90 of read notifications and a year of closed applications’ evidence', () => {
		expect(retentionSettingsFromEnv({})).toEqual({ intervalMs: HOUR, liveEventMs: 24 * HOUR, sentMailMs: 30 * DAY, readNotificationMs: 90 * DAY, closedApplicationEvidenceMs: 365 * DAY });
	});

	it('reads each setting in its own unit, allowing fractions', () => {
		const settings = retentionSettingsFromEnv({
			RETENTION_INTERVAL_MINUTES: '5',
			RETENTION_LIVE_EVENT_HOURS: '1.5',
			RETENTION_SENT_MAIL_DAYS: ' 7 ',
			RETENTION_READ_NOTIFICATION_DAYS: '14',
			RETENTION_CLOSED_APPLICATION_EVIDENCE_DAYS: '180'
		});
		expect(settings).toEqual({ intervalMs: 5 * 60_000, liveEventMs: 1.5 * HOUR, sentMailMs: 7 * DAY, readNotificationMs: 14 * DAY, closedApplicationEvidenceMs: 180 * DAY });
	});

	it('an empty value means the default', () => {
		expect(retentionSettingsFromEnv({ RETENTION_SENT_MAIL_DAYS: '' }).sentMailMs).toBe(30 * DAY);
	});

	it.each(['0', '-3', 'thirty', '1e9', 'Infinity'])('refuses %s, naming the variable', (value) => {
		expect(() => retentionSettingsFromEnv({ RETENTION_SENT_MAIL_DAYS: value })).toThrow(/RETENTION_SENT_MAIL_DAYS must be a positive number \(default 30\)/);
	});
});

describe('retention cut-offs', () => {
	const now = new Date('2026-12-01T12:00:00Z');
	const cutoffs = retentionCutoffs(now, retentionSettingsFromEnv({ RETENTION_SENT_MAIL_DAYS: '10' }), fixed);

	it('each configurable age counts back from now', () => {
		expect(cutoffs.liveEvent).toEqual(new Date('2026-11-30T12:00:00Z'));
		expect(cutoffs.sentMail).toEqual(new Date('2026-11-21T12:00:00Z'));
		expect(cutoffs.readNotification).toEqual(new Date('2026-09-02T12:00:00Z'));
	});

	it('sessions go as soon as they expire; the fixed lifetimes count back from now', () => {
		expect(cutoffs.session).toEqual(now);
		expect(cutoffs.formToken).toEqual(new Date('2026-11-30T12:00:00Z'));
		expect(cutoffs.passwordReset).toEqual(new Date('2026-11-24T12:00:00Z'));
		expect(cutoffs.throttle).toEqual(new Date('2026-12-01T11:00:00Z'));
		expect(cutoffs.device).toEqual(new Date('2025-12-01T12:00:00Z'));
		expect(cutoffs.socketAttachment).toEqual(new Date('2026-12-01T11:55:00Z'));
	});
});
