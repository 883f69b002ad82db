import { liveFeature, NOTHING_STALE } from '../live/registry';
import '$lib/pcf/live';

/** PCF advice adds no room of its own: its event goes to the bid's room. Nothing is remembered on the server. */
export const pcfLive = liveFeature({
	events: {
		'pcf.changed': () => NOTHING_STALE
	}
});
