import { liveFeature, NOTHING_STALE } from '../../live/registry';

/** The programme's money: its events go to the programme's room (capitalLive authorises it). */
export const moneyLive = liveFeature({
	events: {
		// Nothing about money is cached on the server: the pages showing it refetch.
		'money.changed': () => NOTHING_STALE
	}
});
