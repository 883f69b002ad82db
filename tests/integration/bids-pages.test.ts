import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { DomainError } from '../../src/lib/server/errors';
import { addPartner, createBid, saveSection, submitBid } from '../../src/lib/server/bids/commands';
import { BidFixture } from './bids-pages-fixture';
import { bidDetail } from '../../src/lib/server/bids/queries';
import { refuseSection } from '../../src/lib/server/document/form';
import { conflictFieldId } from '../../src/lib/document';

// What the bid's pages are given: the overview's task list, the check page's list of what is
// missing (sections, then the submission's own needs) and a section page's refused save.

let test: TestDatabase;
let db: Database;
let bids: BidFixture;
let ids: BidFixture['ids'];
let actors: BidFixture['actors'];

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	bids = new BidFixture(db, 'pages.test');
	({ ids, actors } = bids);
	await bids.banbury();
});

afterAll(async () => {
	await test?.close();
});

const save = (bidId: number, section: string, content: unknown) => bids.save(bidId, section, content);

async function newBid(): Promise<number> {
	const bidId = await createBid(db, actors.senco, { roundId: ids.round, leadSettingId: ids.meadow, title: 'Shared speech and language therapist' });
	await addPartner(db, actors.senco, { bidId, settingId: ids.castle });
	return bidId;
}

async function readyBid(): Promise<number> {
	const bidId = await newBid();
	await bids.complete(bidId);
	return bidId;
}

describe('the bid’s overview and check page', () => {
	it('completes “Title and summary” for every reader: the lead’s sign-off belongs to the submission', async () => {
		const bidId = await newBid();
		await save(bidId, 'overview', { title: 'Shared therapist', summary: 'One therapist across two settings.' });
		const forSenco = await bidDetail(db, actors.senco, bidId);
		const forHead = await bidDetail(db, actors.head, bidId);
		for (const detail of [forSenco, forHead]) {
			expect(detail.tasks.find((task) => task.section === 'overview')).toMatchObject({ status: 'completed', hints: [], href: `/bids/${bidId}/sections/overview` });
			expect(detail.missing.some((item) => item.section === 'overview')).toBe(false);
		}
		// Anyone but the lead headteacher is told the sign-off is still to come; she is the one to give it.
		expect(forSenco.signOffNeeds).toEqual(['The lead setting’s headteacher must sign off the bid']);
		expect(forHead.signOffNeeds).toEqual([]);
	});

	it('lists what is missing section by section, each linking to its section’s page', async () => {
		const bidId = await newBid();
		const { missing } = await bidDetail(db, actors.head, bidId);
		expect([...new Set(missing.map((item) => item.section))]).toEqual(['overview', 'need', 'measures', 'budget', 'pledges', 'milestones', 'evaluation']);
		for (const item of missing) expect(item.href).toBe(`/bids/${bidId}/sections/${item.section}`);
	});

	it('refuses a submission once the round has closed, on the submission rather than on a section', async () => {
		const bidId = await readyBid();
		const { version } = (await bidDetail(db, actors.head, bidId)).bid;
		await db.updateTable('funding_round').set({ closes_at: new Date(Date.now() - 60_000) }).where('id', '=', ids.round).execute();
		try {
			const refused = await submitBid(db, actors.head, { bidId, version }).then(
				() => null,
				(error: unknown) => error
			);
			expect(refused).toBeInstanceOf(DomainError);
			expect((refused as DomainError).fieldErrors).toEqual({ submission: ['The funding round is not open for submissions'] });
		} finally {
			await db.updateTable('funding_round').set({ closes_at: new Date(Date.now() + 30 * 86_400_000) }).where('id', '=', ids.round).execute();
		}
		// Open again, the same bid is submitted.
		await submitBid(db, actors.head, { bidId, version });
		expect((await bidDetail(db, actors.head, bidId)).bid.status).not.toBe('draft');
	});
});

describe('a section page’s refused save', () => {
	it('answers a clash with 409, the other writer’s text and the version to merge onto', async () => {
		const bidId = await newBid();
		const seen = (await bidDetail(db, actors.partnerSenco, bidId)).bid.section_versions.overview ?? 0;
		await save(bidId, 'overview', { title: 'Shared therapist', summary: 'Meadowside’s words.' });
		const clash = await saveSection(db, actors.partnerSenco, {
			bidId,
			section: 'overview',
			version: seen,
			content: { title: 'Shared therapist', summary: 'Castlebrook’s words.' }
		}).then(
			() => null,
			(error: unknown) => error
		);
		const answer = refuseSection(clash, 'save', {}, () => null);
		expect(answer.status).toBe(409);
		expect(answer.data.sectionConflict?.theirs).toContain('Summary: Meadowside’s words.');
		expect(answer.data.sectionConflict?.version).toBe((await bidDetail(db, actors.senco, bidId)).bid.section_versions.overview);
		expect(Object.keys(answer.data.errors)).toEqual([conflictFieldId('save')]);
		// Nothing of the second writer's was saved.
		expect((await bidDetail(db, actors.senco, bidId)).content.summary).toBe('Meadowside’s words.');
	});
});
