import { defineDocument } from '../../src/lib/document/define';

// A small referral-like document the document-kit tests share: three sections, one of which
// cannot start until the child's details are in.
export interface Referral {
	child: string;
	needs: string[];
	support: string;
}

export const referral = defineDocument<Referral, 'child' | 'needs' | 'support'>({
	noun: 'referral',
	sections: {
		child: {
			label: 'The child',
			summary: (r) => [`Name: ${r.child}`],
			started: (r) => r.child.trim() !== '',
			required: (r) => (r.child.trim() ? [] : ['Give the child’s name'])
		},
		needs: {
			label: 'Needs',
			summary: (r) => r.needs,
			required: (r) => (r.needs.length ? [] : ['Add at least one need'])
		},
		support: {
			label: 'Support asked for',
			summary: (r) => (r.support ? [r.support] : []),
			required: (r) => (r.support.trim() ? [] : ['Say what support is asked for']),
			blockedBy: (r) => (r.child.trim() ? null : 'Add the child’s details first')
		}
	},
	order: ['child', 'needs', 'support']
});

export const blank: Referral = { child: '', needs: [], support: '' };
export const complete: Referral = { child: 'Sam', needs: ['Speech and language'], support: 'Weekly therapy' };
