import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db';
import type { Database } from '../../src/lib/server/db';
import { loadActor, type Actor } from '../../src/lib/server/auth/actor';
import { DomainError, type DomainErrorCode } from '../../src/lib/server/errors';
import { SectionConflict } from '../../src/lib/server/document';
import {
	applicationDetail,
	applicationsPage,
	askForInformation,
	decideRollout,
	districtNeedsPage,
	downloadEvidence,
	enrolSecondaries,
	evidenceList,
	registerPage,
	saveApplicationSection,
	signApplication,
	startApplication,
	submitApplication,
	updateDistrictNeed,
	uploadEvidence,
	withdrawApplication
} from '../../src/lib/server/capital/applications';
import { appRouter } from '../../src/lib/server/trpc/router';
import { addYears, ukToday } from '../../src/lib/dates';
import { planOf, sequentialScans } from './plans';
import { parseCursor } from '../../src/lib/server/paging';
import { DISTRICT_KEY } from '../../src/lib/server/workspace/queries';

// The applicant's side of an inclusion-base application against a real PostgreSQL: every
// permission both ways, the line's rules, concurrent section saves, submission with what is
// missing listed, signatures, evidence files and the rollout register.

let test: TestDatabase;
let db: Database;
const people: Record<string, Actor> = {};
const ids = { district: 0, otherDistrict: 0, school: 0, secondary: 0, vaSecondary: 0, nursery: 0, otherSchool: 0, scheme: 0, grant: 0, rollout: 0, round: 0 };

async function user(key: string, countyRole: 'officer' | null = null): Promise<number> {
	const row = await db.insertInto('app_user').values({ name: key, email: `${key}@example.org`, county_role: countyRole }).returning('id').executeTakeFirstOrThrow();
	return row.id;
}
const reload = async (key: string, id: number) => (people[key] = (await loadActor(db, id))!);

async function refused(call: Promise<unknown>, code: DomainErrorCode): Promise<DomainError> {
	const caught = await call.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(caught, 'the command should have been refused').toBeInstanceOf(DomainError);
	expect((caught as DomainError).code).toBe(code);
	return caught as DomainError;
}

const SCHEME_ANSWERS = {
	base: { places: '16', ageFrom: '11', ageTo: '16', needs: ['communication_interaction'], description: 'A base for autistic pupils' },
	space: { rooms: 'Two classrooms', surplusSpace: 'Falling rolls freed the east wing', adaptations: 'Quiet room', sensoryTherapy: 'Sensory room', accessibility: 'Level access', consents: ['none'] },
	delivery: { route: 'trust', notes: '' },
	capital: { worksPence: '300000', equipmentPence: '40000', feesPence: '20000', contingencyPence: '20000', notes: 'Surveyor’s estimate' },
	revenue: { sources: ['place_funding', 'top_up'], staffing: 'A teacher and two TAs' },
	opening: { term: 'autumn', year: '2027' },
	outreach: { outreach: 'Termly training for cluster schools' },
	involvement: { parents: 'Two coffee mornings', pcf: 'PCF reviewed the plan' },
	declarations: { accurate: 'yes', clawback: 'yes', dataProtection: 'yes' }
} as const;

async function writeAll(actor: Actor, applicationId: number, answers: Record<string, Record<string, unknown>>) {
	for (const [section, values] of Object.entries(answers)) {
		const detail = await applicationDetail(db, actor, applicationId);
		await saveApplicationSection(db, actor, { applicationId, section, version: detail.application.sectionVersions[section] ?? 0, answers: values });
	}
}

beforeAll(async () => {
	test = await freshDatabase();
	db = test.db;
	const district = await db.insertInto('cluster').values({ kind: 'district', name: 'Cherwell' }).returning('id').executeTakeFirstOrThrow();
	const other = await db.insertInto('cluster').values({ kind: 'district', name: 'Vale' }).returning('id').executeTakeFirstOrThrow();
	ids.district = district.id;
	ids.otherDistrict = other.id;
	const locality = await db.insertInto('cluster').values({ kind: 'locality', name: 'Banbury', parent_id: district.id }).returning('id').executeTakeFirstOrThrow();
	const otherLocality = await db.insertInto('cluster').values({ kind: 'locality', name: 'Abingdon', parent_id: other.id }).returning('id').executeTakeFirstOrThrow();
	const setting = (name: string, urn: string, type: string, phase: string, cluster = locality.id) =>
		db.insertInto('setting').values({ urn, name, phase, setting_type: type, town: 'Banbury', pupil_count: 600, cluster_id: cluster }).returning('id').executeTakeFirstOrThrow().then((r) => r.id);
	ids.school = await setting('Hill View School', '910001', 'community secondary', 'secondary');
	ids.secondary = await setting('Castle Academy', '910002', 'academy', 'secondary');
	ids.vaSecondary = await setting('St Anne’s School', '910003', 'voluntary aided secondary', 'secondary');
	ids.nursery = await setting('Little Acorns Nursery', '910004', 'day nursery', 'early_years');
	ids.otherSchool = await setting('Abbey School', '910005', 'community secondary', 'secondary', otherLocality.id);
	const line = (name: string, process: string, extra: Record<string, unknown>) =>
		db.insertInto('capital_line').values({ name, process: process as 'grant', ...extra }).returning('id').executeTakeFirstOrThrow().then((r) => r.id);
	ids.scheme = await line('Specialist unit', 'scheme', { places_min: 8, places_max: 40, benchmark_per_place_pence: 34_173_00, eligible_setting_types: ['community secondary', 'academy', 'voluntary aided secondary'] });
	ids.grant = await line('Early years base', 'grant', { places_min: 6, places_max: 6, max_per_base_pence: 10_000_00, eligible_setting_types: ['day nursery'] });
	ids.rollout = await line('Secondary base', 'rollout', { standard_band_pence: 75_000_00, enhanced_band_pence: 125_000_00, eligible_setting_types: ['community secondary', 'academy', 'voluntary aided secondary'] });
	const round = await db.insertInto('capital_round').values({ name: 'Round 1', closes_on: addYears(ukToday(), 1), status: 'open' }).returning('id').executeTakeFirstOrThrow();
	ids.round = round.id;
	await db.insertInto('capital_round_line').values([ids.scheme, ids.grant, ids.rollout].map((line_id) => ({ round_id: round.id, line_id }))).execute();
	const staff: [string, number, 'headteacher' | 'senco'][] = [
		['head', ids.school, 'headteacher'],
		['senco', ids.school, 'senco'],
		['academyHead', ids.secondary, 'headteacher'],
		['vaHead', ids.vaSecondary, 'headteacher'],
		['manager', ids.nursery, 'headteacher'],
		['otherHead', ids.otherSchool, 'headteacher']
	];
	for (const [key, settingId, role] of staff) {
		const id = await user(key);
		await db.insertInto('setting_membership').values({ user_id: id, setting_id: settingId, role }).execute();
		await reload(key, id);
	}
	await reload('officer', await user('officer', 'officer'));
	const lead = await user('lead');
	await db.insertInto('cluster_role').values({ user_id: lead, cluster_id: ids.district, role: 'cluster_lead' }).execute();
	await reload('lead', lead);
	const otherPcf = await user('otherPcf');
	await db.insertInto('cluster_role').values({ user_id: otherPcf, cluster_id: ids.otherDistrict, role: 'pcf_rep' }).execute();
	await reload('otherPcf', otherPcf);
});

afterAll(async () => {
	await test?.close();
});

describe('a specialist scheme application', () => {
	let id = 0;

	it('a SENCO starts one for their school; the district is the school’s', async () => {
		({ id } = await startApplication(db, people.senco, { roundId: ids.round, lineId: ids.scheme, settingId: ids.school, title: 'Autism base' }));
		const row = await db.selectFrom('capital_application').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ district_id: ids.district, stage: 'draft', setting_id: ids.school });
		expect(row.reference).toMatch(/^CAP-\d{5}$/);
	});

	it('nobody starts one for a school where they do not work, or of a kind the line does not take', async () => {
		const notTheirs = await refused(startApplication(db, people.otherHead, { roundId: ids.round, lineId: ids.scheme, settingId: ids.school, title: 'X' }), 'FORBIDDEN');
		expect(notTheirs.message).toBe('Only the headteacher or SENCO of Hill View School can apply for it.');
		const wrongKind = await refused(startApplication(db, people.manager, { roundId: ids.round, lineId: ids.scheme, settingId: ids.nursery, title: 'X' }), 'FORBIDDEN');
		expect(wrongKind.message).toBe('Little Acorns Nursery is not a kind of setting that can apply to Specialist unit.');
	});

	it('another district’s member, a cluster lead before submission and an unconnected officer-less user are refused by URL and API', async () => {
		await refused(applicationDetail(db, people.otherHead, id), 'FORBIDDEN');
		await refused(applicationDetail(db, people.otherPcf, id), 'FORBIDDEN');
		const early = await refused(applicationDetail(db, people.lead, id), 'FORBIDDEN');
		expect(early.message).toBe('The district sees an application once it has been submitted.');
		const caller = appRouter.createCaller({ db, io: undefined, actor: people.otherHead, session: null, event: {} as never });
		await expect(caller.capitalApplications.get({ applicationId: id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(caller.capitalApplications.saveSection({ applicationId: id, section: 'base', version: 0, answers: { places: 10 } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect((await applicationsPage(db, people.otherHead, null)).items.map((r) => r.id)).not.toContain(id);
		expect((await applicationsPage(db, people.senco, null)).items.map((r) => r.id)).toContain(id);
	});

	it('places outside the line’s range are refused on the field; value per place above the benchmark only warns', async () => {
		const tooMany = await refused(saveApplicationSection(db, people.senco, { applicationId: id, section: 'base', version: 0, answers: { places: '60' } }), 'BAD_REQUEST');
		expect(tooMany.fieldErrors?.places).toEqual(['Specialist unit bases have at most 40 places']);
		const badNumber = await refused(saveApplicationSection(db, people.senco, { applicationId: id, section: 'base', version: 0, answers: { places: 'lots' } }), 'BAD_REQUEST');
		expect(badNumber.fieldErrors?.places).toEqual(['How many places will the base have must be a whole number, like 8']);
		await saveApplicationSection(db, people.senco, { applicationId: id, section: 'base', version: 0, answers: { places: '10' } });
		const saved = await saveApplicationSection(db, people.senco, { applicationId: id, section: 'capital', version: 0, answers: { worksPence: '400000' } });
		expect(saved.warnings).toEqual(['£40,000 per place is above the benchmark of £34,173 per place']);
		const row = await db.selectFrom('capital_application').select(['places', 'requested_pence']).where('id', '=', id).executeTakeFirstOrThrow();
		expect(row).toEqual({ places: 10, requested_pence: 400_000_00 });
	});

	it('two people saving the same section: the second is told, with the first’s text and who saved it', async () => {
		const detail = await applicationDetail(db, people.senco, id);
		const version = detail.application.sectionVersions.space ?? 0;
		await saveApplicationSection(db, people.senco, { applicationId: id, section: 'space', version, answers: { rooms: 'The old library' } });
		const clash = await refused(saveApplicationSection(db, people.head, { applicationId: id, section: 'space', version, answers: { rooms: 'Two classrooms' } }), 'CONFLICT');
		expect(clash).toBeInstanceOf(SectionConflict);
		expect((clash as SectionConflict).sectionConflict).toMatchObject({ section: 'space', savedBy: 'senco' });
		expect((clash as SectionConflict).sectionConflict.theirs).toContain('Which rooms the base will use: The old library');
	});

	it('concurrent saves of one section: exactly one wins', async () => {
		const detail = await applicationDetail(db, people.senco, id);
		const version = detail.application.sectionVersions.outreach ?? 0;
		const results = await Promise.allSettled([
			saveApplicationSection(db, people.senco, { applicationId: id, section: 'outreach', version, answers: { outreach: 'A' } }),
			saveApplicationSection(db, people.head, { applicationId: id, section: 'outreach', version, answers: { outreach: 'B' } })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof SectionConflict)).toHaveLength(1);
	});

	it('submitting with tasks incomplete lists what is missing by section, and writes nothing', async () => {
		const before = await db.selectFrom('capital_application').select(['stage', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
		const missing = await refused(submitApplication(db, people.senco, { applicationId: id, version: before.version }), 'BAD_REQUEST');
		expect(missing.fieldErrors?.delivery).toEqual(['Answer “Who will deliver the works?”']);
		expect(missing.fieldErrors?.signatures).toEqual(['Sign-off needed from Hill View School: the headteacher', 'Sign-off needed from Hill View School: the governing body']);
		expect(await db.selectFrom('capital_application').select(['stage', 'version']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual(before);
	});

	it('a SENCO may not sign; the headteacher signs and records the governing body’s sign-off', async () => {
		await writeAll(people.senco, id, SCHEME_ANSWERS);
		const { version } = await db.selectFrom('capital_application').select('version').where('id', '=', id).executeTakeFirstOrThrow();
		const senco = await refused(signApplication(db, people.senco, { applicationId: id, settingId: ids.school, capacity: 'headteacher', version }), 'FORBIDDEN');
		expect(senco.message).toBe('Only the headteacher of Hill View School can sign for it in that capacity.');
		const trust = await refused(signApplication(db, people.head, { applicationId: id, settingId: ids.school, capacity: 'trust', version }), 'FORBIDDEN');
		expect(trust.message).toMatch(/sign for Hill View School, not the trust/);
		await refused(signApplication(db, people.head, { applicationId: id, settingId: ids.school, capacity: 'governing_body', version }), 'BAD_REQUEST');
		await signApplication(db, people.head, { applicationId: id, settingId: ids.school, capacity: 'headteacher', version });
		await signApplication(db, people.head, { applicationId: id, settingId: ids.school, capacity: 'governing_body', version, signedForName: 'Gill Chair' });
		const detail = await applicationDetail(db, people.senco, id);
		expect(detail.signatures.map((s) => [s.capacity, s.signed?.by, s.signed?.forName])).toEqual([
			['headteacher', 'head', ''],
			['governing_body', 'head', 'Gill Chair']
		]);
		expect(detail.missing).toEqual([]);
	});

	it('a save after signing asks for the signatures again', async () => {
		const detail = await applicationDetail(db, people.senco, id);
		await saveApplicationSection(db, people.senco, { applicationId: id, section: 'outreach', version: detail.application.sectionVersions.outreach, answers: { outreach: 'Termly training' } });
		const after = await applicationDetail(db, people.senco, id);
		expect(after.missing.map((m) => m.section)).toEqual(['signatures', 'signatures']);
		const { version } = after.application;
		await signApplication(db, people.head, { applicationId: id, settingId: ids.school, capacity: 'headteacher', version });
		await signApplication(db, people.head, { applicationId: id, settingId: ids.school, capacity: 'governing_body', version, signedForName: 'Gill Chair' });
	});

	it('submits: the version is frozen with its hash, the district sees it, and nobody can edit it after', async () => {
		const { version } = await db.selectFrom('capital_application').select('version').where('id', '=', id).executeTakeFirstOrThrow();
		const { submissionNo, hash } = await submitApplication(db, people.senco, { applicationId: id, version });
		expect(submissionNo).toBe(1);
		const frozen = await db.selectFrom('capital_application_submission').selectAll().where('application_id', '=', id).executeTakeFirstOrThrow();
		expect(frozen.snapshot_hash).toBe(hash);
		expect(frozen.snapshot.base.places).toBe(16);
		expect((await applicationDetail(db, people.lead, id)).application.stage).toBe('submitted');
		await refused(applicationDetail(db, people.otherPcf, id), 'FORBIDDEN');
		const locked = await refused(saveApplicationSection(db, people.senco, { applicationId: id, section: 'outreach', version: 99, answers: { outreach: 'x' } }), 'FORBIDDEN');
		expect(locked.message).toMatch(/has been submitted, so it can no longer be changed/);
	});

	it('an officer asks for more information; the applicant edits and resubmits', async () => {
		await refused(askForInformation(db, people.head, { applicationId: id, points: 'More on staffing' }), 'FORBIDDEN');
		await askForInformation(db, people.officer, { applicationId: id, points: 'More on staffing' });
		const detail = await applicationDetail(db, people.senco, id);
		expect(detail.application.stage).toBe('more_information');
		await saveApplicationSection(db, people.senco, { applicationId: id, section: 'revenue', version: detail.application.sectionVersions.revenue, answers: { sources: ['place_funding'], staffing: 'A teacher, two TAs and a therapist' } });
		const { version } = await db.selectFrom('capital_application').select('version').where('id', '=', id).executeTakeFirstOrThrow();
		await signApplication(db, people.head, { applicationId: id, settingId: ids.school, capacity: 'headteacher', version });
		await signApplication(db, people.head, { applicationId: id, settingId: ids.school, capacity: 'governing_body', version, signedForName: 'Gill Chair' });
		expect((await submitApplication(db, people.senco, { applicationId: id, version })).submissionNo).toBe(2);
		const timeline = (await applicationDetail(db, people.officer, id)).timeline.map((e) => e.action);
		expect(timeline).toContain('capital.application_information_asked');
		expect(timeline[0]).toBe('capital.application_submitted');
	});

	it('only the lead’s headteacher withdraws, with a reason', async () => {
		await refused(withdrawApplication(db, people.senco, { applicationId: id, reason: 'No space' }), 'FORBIDDEN');
		await refused(withdrawApplication(db, people.head, { applicationId: id, reason: '' }), 'BAD_REQUEST');
		await withdrawApplication(db, people.head, { applicationId: id, reason: 'The space is needed for Year 7' });
		expect((await applicationDetail(db, people.head, id)).application.stage).toBe('withdrawn');
	});
});

describe('an early years grant', () => {
	it('a nursery manager writes the single page; above the line’s £10,000 maximum is refused', async () => {
		const { id } = await startApplication(db, people.manager, { roundId: ids.round, lineId: ids.grant, settingId: ids.nursery, title: 'Quiet room' });
		const detail = await applicationDetail(db, people.manager, id);
		expect(detail.sections).toEqual(['grant']);
		const answers = { places: '6', ageRange: '2 to 4', spendOn: 'A quiet room', requestedPence: '12000', term: 'spring', year: '2027', accurate: 'yes' };
		const over = await refused(saveApplicationSection(db, people.manager, { applicationId: id, section: 'grant', version: 0, answers }), 'BAD_REQUEST');
		expect(over.fieldErrors?.requestedPence).toEqual(['Early years base bases can receive at most £10,000 each']);
		await saveApplicationSection(db, people.manager, { applicationId: id, section: 'grant', version: 0, answers: { ...answers, requestedPence: '9500' } });
		const { version } = await db.selectFrom('capital_application').select('version').where('id', '=', id).executeTakeFirstOrThrow();
		await signApplication(db, people.manager, { applicationId: id, settingId: ids.nursery, capacity: 'owner_manager', version });
		await submitApplication(db, people.manager, { applicationId: id, version });
		expect((await db.selectFrom('capital_application').select(['stage', 'requested_pence']).where('id', '=', id).executeTakeFirstOrThrow())).toEqual({ stage: 'submitted', requested_pence: 9_500_00 });
	});
});

describe('evidence files', () => {
	let id = 0;
	const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
	const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]);

	beforeAll(async () => {
		({ id } = await startApplication(db, people.academyHead, { roundId: ids.round, lineId: ids.scheme, settingId: ids.secondary, title: 'Resource base' }));
	});

	it.each([
		['an empty file', new Uint8Array(0), 'The selected file is empty'],
		['a file too large', new Uint8Array(10 * 1024 * 1024 + 1), 'The selected file must be smaller than 10 MB'],
		['a renamed program', Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0, ...new Array(64).fill(0)]), 'The selected file must be a PDF, PNG image, JPEG image or Word document'],
		['an HTML page', new TextEncoder().encode('<!doctype html><html><script>alert(1)</script></html>'), 'The selected file must be a PDF, PNG image, JPEG image or Word document'],
		['an SVG with script', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'The selected file must be a PDF, PNG image, JPEG image or Word document']
	])('%s is refused on the file field and nothing is stored', async (_, content, message) => {
		const error = await refused(uploadEvidence(db, people.academyHead, { applicationId: id }, { name: 'plan.pdf', content }), 'BAD_REQUEST');
		expect(error.fieldErrors?.file).toEqual([message]);
		expect(await db.selectFrom('capital_application_file').select('id').where('application_id', '=', id).execute()).toEqual([]);
	});

	it('a PDF is stored with its sniffed type; a sensitive floor plan opens only for officers, each look logged', async () => {
		const pdf = await uploadEvidence(db, people.academyHead, { applicationId: id, description: 'Costings' }, { name: '../../costs.pdf', content: PDF });
		const plan = await uploadEvidence(db, people.academyHead, { applicationId: id, sensitive: true, description: 'Floor plan' }, { name: 'plan.png', content: PNG });
		const stored = await db.selectFrom('capital_application_file').select(['name', 'media_type']).where('id', '=', pdf.id).executeTakeFirstOrThrow();
		expect(stored).toEqual({ name: 'costs.pdf', media_type: 'application/pdf' });
		const opened = await downloadEvidence(db, people.academyHead, id, pdf.id);
		expect(Buffer.from(opened.content).subarray(0, 5).toString()).toBe('%PDF-');
		const refusedPlan = await refused(downloadEvidence(db, people.academyHead, id, plan.id), 'FORBIDDEN');
		expect(refusedPlan.message).toMatch(/only council officers and assessors can open it/);
		expect((await downloadEvidence(db, people.officer, id, plan.id)).media_type).toBe('image/png');
		await refused(downloadEvidence(db, people.otherHead, id, pdf.id), 'FORBIDDEN');
		const looks = await db.selectFrom('capital_file_download').select(['file_id', 'user_id']).orderBy('id').execute();
		expect(looks).toEqual([
			{ file_id: pdf.id, user_id: people.academyHead.id },
			{ file_id: plan.id, user_id: people.officer.id }
		]);
		const listed = await evidenceList(db, people.academyHead, id);
		expect(listed.withheld).toBeNull();
		expect(listed.files.map((f) => [f.name, f.mayOpen])).toEqual([
			['costs.pdf', true],
			['plan.png', false]
		]);
	});

	it('an officer or assessor who declared a conflict in the application neither sees nor opens its sensitive files, and is told why; one who declared none does', async () => {
		const plan = await db.selectFrom('capital_application_file').select('id').where('application_id', '=', id).where('sensitive', '=', true).executeTakeFirstOrThrow();
		const pdf = await db.selectFrom('capital_application_file').select('id').where('application_id', '=', id).where('sensitive', '=', false).executeTakeFirstOrThrow();
		const conflicted = await reload('conflictedAssessor', await user('conflictedAssessor', 'officer'));
		const cleared = await reload('clearedAssessor', await user('clearedAssessor', 'officer'));
		await db
			.insertInto('capital_declaration')
			.values([
				{ application_id: id, user_id: conflicted.id, conflict: 'trust', details: 'I am a trustee of the academy’s trust' },
				{ application_id: id, user_id: cleared.id, conflict: 'none' }
			])
			.execute();
		const looksBefore = await db.selectFrom('capital_file_download').select('id').execute();
		const download = await refused(downloadEvidence(db, conflicted, id, plan.id), 'FORBIDDEN');
		expect(download.message).toBe('You declared a conflict of interest in this application, so you cannot see its safeguarding-sensitive files (floor plans and photos that may show pupils).');
		expect(await db.selectFrom('capital_file_download').select('id').execute()).toEqual(looksBefore);
		const listed = await evidenceList(db, conflicted, id);
		expect(listed.files.map((f) => f.name)).toEqual(['costs.pdf']);
		expect(listed.withheld).toEqual({ count: 1, reason: download.message });
		// What is not sensitive stays open to them, as to any officer.
		expect((await downloadEvidence(db, conflicted, id, pdf.id)).name).toBe('costs.pdf');
		// Declaring no conflict leaves both open.
		expect((await downloadEvidence(db, cleared, id, plan.id)).media_type).toBe('image/png');
		const clearedList = await evidenceList(db, cleared, id);
		expect(clearedList.files.map((f) => [f.name, f.mayOpen])).toEqual([
			['costs.pdf', true],
			['plan.png', true]
		]);
		expect(clearedList.withheld).toBeNull();
	});

	it('a colleague at a school not on the application neither lists nor opens its files; a colleague on it sees the sensitive file is held but cannot open it', async () => {
		const plan = await db.selectFrom('capital_application_file').select('id').where('application_id', '=', id).where('sensitive', '=', true).executeTakeFirstOrThrow();
		const outside = await refused(evidenceList(db, people.otherHead, id), 'FORBIDDEN');
		expect(outside.message).toMatch(/^Only the staff of the settings applying/);
		await refused(downloadEvidence(db, people.otherHead, id, plan.id), 'FORBIDDEN');
		const senco = await reload('academySenco', await user('academySenco'));
		await db.insertInto('setting_membership').values({ user_id: senco.id, setting_id: ids.secondary, role: 'senco' }).execute();
		const colleague = await reload('academySenco', senco.id);
		const refusal = await refused(downloadEvidence(db, colleague, id, plan.id), 'FORBIDDEN');
		expect(refusal.message).toMatch(/only council officers and assessors can open it/);
		expect((await evidenceList(db, colleague, id)).files.map((f) => [f.name, f.mayOpen])).toEqual([
			['costs.pdf', true],
			['plan.png', false]
		]);
	});

	it('nobody outside the application uploads to it', async () => {
		await refused(uploadEvidence(db, people.otherHead, { applicationId: id }, { name: 'x.pdf', content: PDF }), 'FORBIDDEN');
	});
});

describe('the rollout register and need figures', () => {
	it('an officer puts every secondary of an eligible kind on the register in one go; a rerun adds none', async () => {
		await refused(enrolSecondaries(db, people.head, { lineId: ids.rollout }), 'FORBIDDEN');
		const first = await enrolSecondaries(db, people.officer, { lineId: ids.rollout });
		expect(first.added).toBe(4);
		expect((await enrolSecondaries(db, people.officer, { lineId: ids.rollout })).added).toBe(0);
		const page = await registerPage(db, people.officer, { search: '', districtId: ids.district, status: 'not_engaged' }, null);
		expect(page.page.items.map((r) => r.name)).toEqual(['Castle Academy', 'Hill View School', 'St Anne’s School']);
		const searched = await registerPage(db, people.lead, { search: 'abb', districtId: null, status: null }, null);
		expect(searched.page.items.map((r) => r.name)).toEqual(['Abbey School']);
		await refused(registerPage(db, people.head, { search: '', districtId: null, status: null }, null), 'FORBIDDEN');
	});

	it('a readiness application’s approval sets the year and band on the register; a VA school needs the diocese’s consent', async () => {
		const { id } = await startApplication(db, people.vaHead, { roundId: ids.round, lineId: ids.rollout, settingId: ids.vaSecondary, title: 'Our base' });
		expect((await db.selectFrom('capital_rollout').select('status').where('setting_id', '=', ids.vaSecondary).executeTakeFirstOrThrow()).status).toBe('application');
		await writeAll(people.vaHead, id, {
			readiness: { readiness: 'Ready', space: 'Old library', band: 'enhanced', bandReason: 'High need', year: '2027', phasing: 'Autumn fit-out' },
			declarations: SCHEME_ANSWERS.declarations
		});
		const detail = await applicationDetail(db, people.vaHead, id);
		expect(detail.missing.map((m) => m.message)).toContain('Sign-off needed from St Anne’s School: the landowner or diocese');
		const version = detail.application.version;
		await signApplication(db, people.vaHead, { applicationId: id, settingId: ids.vaSecondary, capacity: 'headteacher', version });
		await signApplication(db, people.vaHead, { applicationId: id, settingId: ids.vaSecondary, capacity: 'governing_body', version, signedForName: 'Chair' });
		await signApplication(db, people.vaHead, { applicationId: id, settingId: ids.vaSecondary, capacity: 'landowner', version, signedForName: 'Diocesan officer' });
		await submitApplication(db, people.vaHead, { applicationId: id, version });
		const { startAssessment } = await import('../../src/lib/server/capital/applications');
		await startAssessment(db, people.officer, { applicationId: id, reason: '' });
		const noBand = await refused(decideRollout(db, people.officer, { applicationId: id, move: 'approve', reason: 'Ready', plannedYear: '2027' }), 'BAD_REQUEST');
		expect(noBand.fieldErrors?.band).toEqual(['Choose the band']);
		await refused(decideRollout(db, people.vaHead, { applicationId: id, move: 'approve', reason: 'Mine', plannedYear: '2027', band: 'enhanced' }), 'FORBIDDEN');
		await decideRollout(db, people.officer, { applicationId: id, move: 'approve', reason: 'Ready with space', plannedYear: '2027', band: 'standard' });
		const register = await db.selectFrom('capital_rollout').select(['status', 'planned_year', 'band', 'application_id']).where('setting_id', '=', ids.vaSecondary).executeTakeFirstOrThrow();
		expect(register).toEqual({ status: 'approved', planned_year: 2027, band: 'standard', application_id: id });
		await decideRollout(db, people.officer, { applicationId: id, move: 'start_delivery', reason: 'Works start' });
		expect((await db.selectFrom('capital_rollout').select('status').where('setting_id', '=', ids.vaSecondary).executeTakeFirstOrThrow()).status).toBe('in_delivery');
	});

	it('officers keep the district need figures, with a version check; applicants are shown them', async () => {
		await refused(updateDistrictNeed(db, people.head, { districtId: ids.district, version: 0, forecastDemand: 5, plannedPlaces: 1, outOfArea: 1, independent: 1, needMix: {}, reason: '' }), 'FORBIDDEN');
		await updateDistrictNeed(db, people.officer, { districtId: ids.district, version: 0, forecastDemand: '640', plannedPlaces: '210', outOfArea: '35', independent: '48', needMix: { asd: '300', semh: '120' }, reason: 'Autumn census' });
		const stale = await refused(updateDistrictNeed(db, people.officer, { districtId: ids.district, version: 0, forecastDemand: 1, plannedPlaces: 1, outOfArea: 1, independent: 1, needMix: {}, reason: '' }), 'CONFLICT');
		expect(stale.message).toMatch(/^officer changed Cherwell’s figures/);
		const { id } = await startApplication(db, people.head, { roundId: ids.round, lineId: ids.scheme, settingId: ids.school, title: 'Second base' });
		const detail = await applicationDetail(db, people.head, id);
		expect(detail.need).toMatchObject({ districtName: 'Cherwell', forecastDemand: 640, outOfArea: 35, independent: 48, needMix: { asd: 300, semh: 120 } });
	});

	it('the need figures page goes through every active district a page at a time, each with its own figures and history', async () => {
		await refused(districtNeedsPage(db, people.head, null), 'FORBIDDEN');
		// More districts than a page holds (the plan's five, or England's hundreds); one retired.
		await db
			.insertInto('cluster')
			.values(Array.from({ length: 24 }, (_, n) => ({ kind: 'district' as const, name: `Zed ${String(n).padStart(2, '0')}`, status: n === 3 ? ('retired' as const) : ('active' as const) })))
			.execute();
		const active = await db.selectFrom('cluster').select(['id', 'name']).where('kind', '=', 'district').where('status', '=', 'active').orderBy(sql`lower(name)`).orderBy('id').execute();
		const first = await districtNeedsPage(db, people.officer, null);
		expect(first.needs).toHaveLength(20);
		expect(first.previous).toBeNull();
		expect(first.needs.find((n) => n.districtId === ids.district)).toMatchObject({ forecastDemand: 640, needMix: { asd: 300, semh: 120 } });
		expect(first.history.map((e) => e.reason)).toEqual(['Autumn census']);
		const second = await districtNeedsPage(db, people.officer, parseCursor(first.next, DISTRICT_KEY));
		expect([...first.needs, ...second.needs].map((n) => n.districtName)).toEqual(active.map((d) => d.name));
		expect(second.next).toBeNull();
		expect(second.needs.every((n) => n.forecastDemand === 0 && n.version === 0)).toBe(true);
		// Only the figures of the districts on the page have their history here.
		expect(second.history).toEqual([]);
	});

	it('an application’s files are read through their index, not by scanning every file', async () => {
		const plan = await planOf(db, db.selectFrom('capital_application_file').select(['id', 'name']).where('application_id', '=', 1).orderBy('id').limit(100));
		expect(sequentialScans(plan, ['capital_application_file'])).toEqual([]);
	});
});
