import { describe, expect, it } from 'vitest';
import { checklist } from '../../src/lib/document';
import { applicationDocument, applicationFigures, PROCESS_SECTIONS } from '../../src/lib/capital/applications/document';
import { lineFindings, parseAnswers, signaturesMissing, signaturesNeeded } from '../../src/lib/server/capital/applications/rules';
import type { LineAssumptions } from '../../src/lib/server/capital/rules';

// The application as a document (sections by process), reading answers, the line's rules and who signs.

const line = (extra: Partial<LineAssumptions>): LineAssumptions => ({
	name: 'Line',
	maxPerBasePence: null,
	benchmarkPerPlacePence: null,
	standardBandPence: null,
	enhancedBandPence: null,
	enhancedSharePercent: null,
	placesMin: null,
	placesMax: null,
	...extra
});

describe('the application document', () => {
	it('has the sections its line’s process asks for: an early years grant is one short page', () => {
		expect(applicationDocument('grant').order).toEqual(['grant']);
		expect(applicationDocument('rollout').order).toEqual(['readiness', 'declarations']);
		expect(applicationDocument('scheme').order).toEqual(PROCESS_SECTIONS.scheme);
		expect(PROCESS_SECTIONS.scheme).toContain('involvement');
	});

	it('lists every unanswered required field by section, and nothing for an optional one', () => {
		const missing = checklist(applicationDocument('scheme'), { delivery: { route: 'trust' } }, '/capital/applications/1');
		expect(missing.filter((m) => m.section === 'delivery')).toEqual([]);
		expect(missing.find((m) => m.section === 'declarations')?.message).toBe('Confirm: the information in this application is accurate');
		expect(missing[0]).toMatchObject({ section: 'base', href: '/capital/applications/1/sections/base' });
	});

	it('reads as lines, money in pounds with the total made up of its parts', () => {
		const lines = applicationDocument('scheme').sections.capital.summary({ capital: { worksPence: 300_000_00, equipmentPence: 50_000_00 } });
		expect(lines).toContain('Building works: £300,000');
		expect(lines).toContain('Total requested: £350,000');
		expect(lines).toContain('Professional fees: Not answered');
	});

	it('gives the figures the pipeline counts', () => {
		expect(applicationFigures('scheme', { base: { places: 12 }, capital: { worksPence: 100 }, delivery: { route: 'council' }, opening: { year: 2027 } })).toEqual({
			places: 12,
			requestedPence: 100,
			openingYear: 2027,
			deliveryRoute: 'council',
			band: null
		});
		expect(applicationFigures('scheme', {}).requestedPence).toBeNull();
		expect(applicationFigures('rollout', { readiness: { band: 'enhanced', year: 2028 } })).toMatchObject({ band: 'enhanced', openingYear: 2028 });
	});
});

describe('reading answers', () => {
	it('turns a form’s strings into numbers, pence, choices and ticks', () => {
		const { answers, errors } = parseAnswers('grant', { places: '6', requestedPence: '£9,500.50', term: 'spring', accurate: 'yes', ageRange: ' 2 to 4 ', year: '' });
		expect(errors).toEqual({});
		expect(answers).toMatchObject({ places: 6, requestedPence: 950_050, term: 'spring', accurate: true, ageRange: '2 to 4', year: null });
	});

	it('refuses each bad answer on its own field, and drops fields the section does not have', () => {
		const { answers, errors } = parseAnswers('base', { places: '-3', needs: ['castles'], description: 'x'.repeat(5001), secret: 'x' });
		expect(errors).toEqual({
			places: 'How many places will the base have must be a whole number, like 8',
			needs: 'Choose areas of need the base will meet from the list',
			description: 'What the base will offer must be 5,000 characters or fewer'
		});
		expect(answers).not.toHaveProperty('secret');
	});
});

describe('the line’s rules', () => {
	it('places outside the range refuse on the places field', () => {
		expect(lineFindings('scheme', line({ placesMin: 16, placesMax: 40 }), { places: 10, requestedPence: null }).refusals).toEqual({ 'base.places': 'Line bases have at least 16 places' });
		expect(lineFindings('scheme', line({ placesMin: 16, placesMax: 40 }), { places: 16, requestedPence: null }).refusals).toEqual({});
	});

	it('an early years request above the hard maximum refuses on the amount', () => {
		expect(lineFindings('grant', line({ maxPerBasePence: 10_000_00 }), { places: 6, requestedPence: 10_000_01 }).refusals).toEqual({ 'grant.requestedPence': 'Line bases can receive at most £10,000 each' });
		expect(lineFindings('grant', line({ maxPerBasePence: 10_000_00 }), { places: 6, requestedPence: 10_000_00 }).refusals).toEqual({});
	});

	it('value per place above the benchmark warns and never refuses; nothing is judged before both figures are given', () => {
		const over = lineFindings('scheme', line({ benchmarkPerPlacePence: 34_173_00 }), { places: 10, requestedPence: 400_000_00 });
		expect(over).toEqual({ refusals: {}, warnings: ['£40,000 per place is above the benchmark of £34,173 per place'] });
		expect(lineFindings('scheme', line({ benchmarkPerPlacePence: 34_173_00 }), { places: null, requestedPence: 400_000_00 }).warnings).toEqual([]);
	});
});

describe('who signs', () => {
	const maintained = { id: 1, name: 'Hill View', signatories: ['headteacher', 'governing_body'] as const, landownerConsent: false };
	const va = { id: 2, name: 'St Anne’s', signatories: ['headteacher', 'governing_body'] as const, landownerConsent: true };
	const nursery = { id: 3, name: 'Acorns', signatories: ['owner_manager'] as const, landownerConsent: false };

	it('asks each setting type’s signatories, and a voluntary-aided school’s landowner', () => {
		expect(signaturesNeeded([maintained, va, nursery]).map((n) => [n.settingId, n.capacity, n.recorded])).toEqual([
			[1, 'headteacher', false],
			[1, 'governing_body', true],
			[2, 'headteacher', false],
			[2, 'governing_body', true],
			[2, 'landowner', true],
			[3, 'owner_manager', false]
		]);
	});

	it('lists only the signatures not yet given', () => {
		expect(signaturesMissing([maintained], [{ settingId: 1, capacity: 'headteacher' }]).map((n) => n.words)).toEqual(['Hill View: the governing body']);
	});
});
