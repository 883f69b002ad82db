import { sql } from 'kysely';
import type { Database } from '../../src/lib/server/db';
import { seedBids } from './bids';
import { seedCapital, seedTrusts } from './capital';
import { seedCapitalApplications } from './capital-applications';
import { seedCapitalPipeline } from './capital-pipeline';
import { seedCapitalAssessment } from './capital-assessment';
import { seedCapitalGrants } from './capital-grant';
import { seedCapitalScheme } from './capital-scheme';
import { seedCounty } from './county';
import { seedDisputes } from './disputes';
import { seedDiscussions } from './discussions';
import { seedDisputePanel } from './disputes-panel';
import { seedDisputeOutcomes } from './dispute-outcomes';
import { seedDisputePapers } from './dispute-papers';
import { seedPeople } from './people';
import { seedPcf } from './pcf';
import { seedPcfConsultations, seedPcfSteeringDecision } from './pcf-consultations';
import { seedPcfEditions } from './pcf-editions';
import { seedWorkspaceFeeds } from './workspace';

// The demo county, one feature at a time in one transaction: places first, then the people who
// work there, then what they have done. Each step adds only what is missing, so a rerun adds
// nothing. Loaded only when seeding is asked for (dev, `npm run db:seed`, SEED_DEMO=1), so a
// production build carries it in a chunk of its own that a normal start never loads.

export interface DemoCountySummary {
	districts: number;
	localities: number;
	settings: number;
	users: number;
}

export async function seedDemoCounty(db: Database): Promise<DemoCountySummary> {
	return db.transaction().execute(async (trx) => {
		// Two instances starting on one empty database would otherwise both insert and one would fail.
		await sql`select pg_advisory_xact_lock(hashtext('seed-demo-county'))`.execute(trx);
		const county = await seedCounty(trx);
		const people = await seedPeople(trx, county);
		await seedWorkspaceFeeds(trx, county, people);
		await seedBids(trx, county, people);
		await seedCapital(trx, people);
		await seedTrusts(trx);
		await seedCapitalPipeline(trx, people);
		const applications = await seedCapitalApplications(trx, people);
		await seedCapitalAssessment(trx, people);
		await seedCapitalGrants(trx, people);
		await seedCapitalScheme(trx, people);
		await seedPcf(trx, county, people);
		await seedPcfConsultations(trx, county, people);
		await seedPcfSteeringDecision(trx, county, people);
		await seedPcfEditions(trx, county, people);
		await seedDiscussions(trx, people);
		await seedDisputes(trx, people);
		await seedDisputePanel(trx, people);
		await seedDisputeOutcomes(trx, people);
		await seedDisputePapers(trx, people);
		return { districts: county.districts, localities: county.localities, settings: county.settings + applications.settings, users: people.users };
	});
}
