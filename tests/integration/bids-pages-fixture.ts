// A small Banbury for bid tests: settings, people with their roles, an open round and a bid
// written section by section. One copy, so each bid test file need not write its own.
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { bidDetail } from '../../src/lib/server/bids/queries';
import { confirmPledge, openRound, saveSection } from '../../src/lib/server/bids/commands';

export const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export class BidFixture {
	readonly ids: Record<string, number> = {};
	readonly actors: Record<string, Actor> = {};

	constructor(
		readonly db: Database,
		/** Told apart in email addresses, so files sharing a template database never clash. */
		readonly mailDomain: string
	) {}

	async setting(key: string, name: string, clusterId: number): Promise<number> {
		const { id } = await this.db
			.insertInto('setting')
			.values({ urn: `8${Object.keys(this.ids).length}${Math.floor(Math.random() * 1e5)}`, name, phase: 'primary', setting_type: 'academy', town: 'Banbury', pupil_count: 200, cluster_id: clusterId })
			.returning('id')
			.executeTakeFirstOrThrow();
		return (this.ids[key] = id);
	}

	async person(key: string, roles: { setting?: number; role?: 'headteacher' | 'senco'; county?: 'officer' }): Promise<Actor> {
		const { id } = await this.db
			.insertInto('app_user')
			.values({ email: `${key}@${this.mailDomain}`, name: key, county_role: roles.county ?? null })
			.returning('id')
			.executeTakeFirstOrThrow();
		if (roles.setting && roles.role) await this.db.insertInto('setting_membership').values({ user_id: id, setting_id: roles.setting, role: roles.role }).execute();
		this.ids[key] = id;
		return (this.actors[key] = (await loadActor(this.db, id))!);
	}

	/** Banbury in Cherwell with Meadowside (lead: `head`, `senco`) and Castlebrook (`partnerHead`, `partnerSenco`), an officer and an open round. */
	async banbury(): Promise<void> {
		const district = await this.db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow();
		const banbury = await this.db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: district.id }).returning('id').executeTakeFirstOrThrow();
		this.ids.banbury = banbury.id;
		await this.setting('meadow', 'Meadowside Primary', banbury.id);
		await this.setting('castle', 'Castlebrook Academy', banbury.id);
		await this.person('officer', { county: 'officer' });
		await this.person('head', { setting: this.ids.meadow, role: 'headteacher' });
		await this.person('senco', { setting: this.ids.meadow, role: 'senco' });
		await this.person('partnerHead', { setting: this.ids.castle, role: 'headteacher' });
		await this.person('partnerSenco', { setting: this.ids.castle, role: 'senco' });
		this.ids.round = await openRound(this.db, this.actors.officer, {
			clusterId: banbury.id,
			name: 'Spring pooled fund',
			potPence: 5_000_000,
			maxRequestPence: 3_000_000,
			opensOn: inDays(0),
			closesOn: inDays(30),
			guidance: '',
			endorsementRule: 'count',
			endorsementValue: 1
		});
	}

	/** Saves a section against the version the writer sees now. */
	save(bidId: number, section: string, content: unknown, writer = this.actors.senco) {
		return bidDetail(this.db, writer, bidId).then((d) =>
			saveSection(this.db, writer, { bidId, section, version: d.bid.section_versions[section as 'overview'] ?? 0, content } as Parameters<typeof saveSection>[2])
		);
	}

	/** Writes every section of a bid with Meadowside and Castlebrook, and confirms both pledges: ready to sign off. */
	async complete(bidId: number): Promise<void> {
		const { ids, actors } = this;
		await this.save(bidId, 'overview', { title: 'Shared speech and language therapist', summary: 'One therapist across two settings.' });
		await this.save(bidId, 'need', { needs: ['communication_interaction'], phases: ['primary'], cohortSize: 40 });
		await this.save(bidId, 'measures', { measures: [{ measure: 'IM4', outcome: 'Needs identified a term earlier' }] });
		await this.save(bidId, 'budget', { lines: [{ item: 'Therapist, 0.6 FTE', category: 'staffing', costPence: 1_200_000 }] });
		// Each setting writes its own pledge: the lead's SENCO, then the partner's headteacher.
		const meadowPledge = { settingId: ids.meadow, moneyPence: 100_000, staffHours: 0, staffDescription: '' };
		await this.save(bidId, 'pledges', { pledges: [meadowPledge] });
		await this.save(bidId, 'pledges', { pledges: [meadowPledge, { settingId: ids.castle, moneyPence: 100_000, staffHours: 20, staffDescription: 'SENCO time' }] }, actors.partnerHead);
		await this.save(bidId, 'milestones', { milestones: [{ title: 'Therapist in post', dueOn: inDays(60) }] });
		await this.save(bidId, 'evaluation', { evaluation: 'WellComm scores each term.' });
		const pledgeVersion = (await bidDetail(this.db, actors.head, bidId)).bid.section_versions.pledges ?? 0;
		await confirmPledge(this.db, actors.head, { bidId, settingId: ids.meadow, sectionVersion: pledgeVersion });
		await confirmPledge(this.db, actors.partnerHead, { bidId, settingId: ids.castle, sectionVersion: pledgeVersion });
	}
}
