import { describe, expect, it } from 'vitest';
import {
	APPLICATION_STAGES,
	BEFORE_DECISION,
	PIPELINE_PHASE,
	moveFor,
	movesFrom,
	stagesOf
} from '$lib/capital/flow';

describe('the stages an inclusion-base application moves through', () => {
	it('a draft of any process can be submitted, and resubmitted after more information was asked for', () => {
		for (const process of ['grant', 'rollout', 'scheme'] as const) {
			expect(moveFor(process, 'draft', 'submit')).toEqual({ ok: true, to: 'submitted' });
			expect(moveFor(process, 'more_information', 'submit')).toEqual({ ok: true, to: 'submitted' });
			expect(moveFor(process, 'submitted', 'submit').ok).toBe(false);
		}
	});

	it('a grant goes assessed, offered, accepted, claimed, open, and has no boards', () => {
		const path = ['start_assessment', 'offer_grant', 'accept_grant', 'claim', 'open'] as const;
		let stage: (typeof APPLICATION_STAGES)[number] = 'submitted';
		for (const move of path) {
			const answer = moveFor('grant', stage, move);
			if (!answer.ok) throw new Error(answer.reason);
			stage = answer.to;
		}
		expect(stage).toBe('open');
		const board = moveFor('grant', 'in_assessment', 'endorse_at_board');
		expect(board.ok).toBe(false);
		if (!board.ok) expect(board.reason).toMatch(/not a step in a grant application/);
	});

	it('a rollout is approved with a year and band or deferred, never recommended against others', () => {
		expect(moveFor('rollout', 'in_assessment', 'approve')).toEqual({ ok: true, to: 'approved' });
		expect(moveFor('rollout', 'in_assessment', 'defer')).toEqual({ ok: true, to: 'deferred' });
		expect(moveFor('rollout', 'in_assessment', 'recommend').ok).toBe(false);
	});

	it('a scheme needs the capital board before the Sufficiency Board, and feasibility before the agreement', () => {
		expect(moveFor('scheme', 'recommended', 'approve_in_principle').ok).toBe(false);
		expect(moveFor('scheme', 'board_endorsed', 'approve_in_principle')).toEqual({ ok: true, to: 'approved_in_principle' });
		expect(moveFor('scheme', 'approved_in_principle', 'issue_agreement').ok).toBe(false);
		expect(moveFor('scheme', 'feasibility', 'issue_agreement')).toEqual({ ok: true, to: 'agreement' });
		expect(moveFor('scheme', 'statutory', 'issue_agreement')).toEqual({ ok: true, to: 'agreement' });
	});

	it('withdrawing is possible before a decision and refused after it, with the stage named', () => {
		for (const stage of BEFORE_DECISION) expect(moveFor('scheme', stage, 'withdraw').ok).toBe(true);
		const late = moveFor('scheme', 'approved_in_principle', 'withdraw');
		expect(late.ok).toBe(false);
		if (!late.ok) expect(late.reason).toMatch(/approved in principle/);
	});

	it('offers only the moves the table allows from a stage', () => {
		expect(movesFrom('scheme', 'in_assessment')).toEqual(['withdraw', 'ask_for_information', 'recommend', 'not_recommend']);
		expect(movesFrom('grant', 'open')).toEqual([]);
	});

	it('every stage has a pipeline phase, and each process reaches open', () => {
		for (const stage of APPLICATION_STAGES) expect(PIPELINE_PHASE[stage]).toBeTruthy();
		for (const process of ['grant', 'rollout', 'scheme'] as const) expect(stagesOf(process)).toContain('open');
		expect(stagesOf('grant')).not.toContain('board_endorsed');
	});
});
