// The PCF tests' shared county: the pooled-funding county (Cherwell with Banbury's settings, a PCF
// representative "Pat Parent") plus the group's lead, a representative of another district, themes,
// and a submitted bid in review for the forum to advise on.
import { beforeAll } from 'vitest';
import { loadActor } from '../../src/lib/server/auth/actor';
import { openRound } from '../../src/lib/server/bids/commands';
import { addTheme, setGroup } from '../../src/lib/server/pcf/commands';
import { loadGroup } from '../../src/lib/server/pcf/proposals';
import { actors, db, ids, person, readyBid, roundInput, toReview, useBidsCounty } from './bids-fixture';

export { actors, db, ids, expectRefusal } from './bids-fixture';

export function usePcfCounty(): void {
	useBidsCounty();
	beforeAll(async () => {
		const oxford = await db.insertInto('cluster').values({ kind: 'district', name: 'Oxford' }).returning('id').executeTakeFirstOrThrow();
		ids.oxford = oxford.id;
		await person('pcfLead', 'Lena Lead-Rep', { cluster: ids.district, clusterRole: 'pcf_rep' });
		await person('pcfOxford', 'Omar Oxford-Rep', { cluster: oxford.id, clusterRole: 'pcf_rep' });
		for (const key of ['pcfLead', 'pcfOxford']) actors[key] = (await loadActor(db, ids[key]))!;
		const group = await loadGroup(db, ids.district);
		await setGroup(db, actors.officer, { districtId: ids.district, version: group.version, leadUserId: ids.pcfLead, answerWithinDays: 20 });
		ids.transport = (await addTheme(db, actors.officer, { listVersion: 0, name: 'Transport', description: '' })).id;
		ids.communication = (await addTheme(db, actors.pcf, { listVersion: 1, name: 'Communication with families', description: '' })).id;
		ids.round = await openRound(db, actors.officer, roundInput({ name: 'PCF round', potPence: 5_000_000, maxRequestPence: 3_000_000 }));
		ids.bid = await readyBid(ids.round, 1_000_000);
		await toReview(ids.bid);
		ids.draftBid = await readyBid(ids.round, 500_000);
	});
}
