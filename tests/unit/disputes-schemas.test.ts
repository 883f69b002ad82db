import { describe, expect, it } from 'vitest';
import { referralSchema } from '../../src/lib/schemas/disputes';
import { addYears, ukToday } from '../../src/lib/dates';

// A referral asks for the least about the child, and says what is wrong in words for people.

const good = {
	districtId: '3',
	otherParty: 'maintained_school',
	settingId: '40',
	category: 'sen_support',
	childInitials: 'j. s.',
	yearGroup: 'Year 4',
	tried: 'SENCO meeting',
	outcomeSought: 'A support plan review',
	childViews: '',
	urgent: 'yes',
	safeguarding: '',
	decisionLetterDate: ''
};
const problems = (input: Record<string, unknown>) => {
	const result = referralSchema.safeParse(input);
	return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
};

describe('a referral', () => {
	it('reads a form’s text into what the case keeps', () => {
		expect(referralSchema.parse(good)).toMatchObject({ districtId: 3, settingId: 40, childInitials: 'JS', urgent: true, safeguarding: false, decisionLetterDate: null });
	});

	it('takes initials only, never a name', () => {
		expect(problems({ ...good, childInitials: 'Jamie' })).toEqual({ childInitials: 'Enter the child’s initials only, 1 to 3 letters, like JS' });
		expect(problems({ ...good, childInitials: '' })).toHaveProperty('childInitials');
	});

	it('needs the setting when the disagreement is with one, and not when it is with the council', () => {
		expect(problems({ ...good, settingId: '' })).toEqual({ settingId: 'Choose the setting the disagreement is with' });
		expect(problems({ ...good, otherParty: 'council', settingId: '' })).toEqual({});
	});

	it('refuses a decision letter dated in the future or long ago', () => {
		expect(problems({ ...good, decisionLetterDate: addYears(ukToday(), 1) })).toEqual({ decisionLetterDate: 'The decision letter’s date must be today or in the past' });
		expect(problems({ ...good, decisionLetterDate: addYears(ukToday(), -3) })).toEqual({ decisionLetterDate: 'The decision letter’s date must be within the last 2 years' });
		expect(problems({ ...good, decisionLetterDate: ukToday() })).toEqual({});
	});

	it('refuses an unknown category or year group with words for people', () => {
		expect(problems({ ...good, category: 'ransom', yearGroup: 'Year 99' })).toEqual({ category: 'Choose what the disagreement is about', yearGroup: 'Choose the child’s year group' });
	});

	it('says who refers: the family by default, a young person only past compulsory school age, a setting only about itself', () => {
		expect(referralSchema.parse(good)).toMatchObject({ referrer: 'family', supporter: '', interpreter: '', adjustments: '' });
		expect(problems({ ...good, referrer: 'young_person' })).toEqual({ referrer: 'A young person refers in their own right only once over compulsory school age (Year 12 or older)' });
		expect(problems({ ...good, referrer: 'young_person', yearGroup: 'Year 12', otherParty: 'fe_college' })).toEqual({});
		expect(problems({ ...good, referrer: 'setting' })).toEqual({});
		expect(problems({ ...good, referrer: 'setting', otherParty: 'council', settingId: '' })).toEqual({ referrer: 'A setting can refer only a disagreement with itself: choose the family or the young person' });
		expect(problems({ ...good, referrer: 'neighbour' })).toEqual({ referrer: 'Choose who is making the referral' });
	});

	it('keeps what taking part needs as short notes', () => {
		expect(referralSchema.parse({ ...good, supporter: ' a grandparent ', interpreter: 'Polish', adjustments: 'A quiet room' })).toMatchObject({ supporter: 'a grandparent', interpreter: 'Polish', adjustments: 'A quiet room' });
		expect(problems({ ...good, adjustments: 'x'.repeat(501) })).toEqual({ adjustments: 'The reasonable adjustments must be 500 characters or fewer' });
	});
});
