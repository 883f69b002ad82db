import type { Kysely } from 'kysely';
import type { DB } from '../db';
import type { Actor } from '../auth/actor';
import { can, type Decision } from '../policy';
import { notFound } from '../errors';
import { loadBidRef } from '../bids/access';
import { loadApplicationRef } from '../capital/applications/access';
import { loadProposal } from '../pcf/proposals';
import type { SubjectKind } from '$lib/discussions/model';

// What a discussion is on. Each kind loads its subject and says who may see it by asking that
// subject's own view rule through `can()`: a discussion is open to exactly the people who may
// see what it is about. A new kind (consultations) is one entry in SUBJECTS and SUBJECT_KINDS.

type Reader = Kysely<DB>;

export interface Subject {
	kind: SubjectKind;
	id: number;
	title: string;
	/** The subject's page, where its discussion shows. */
	link: string;
	/** The subject's own view rule for this person. */
	visibleTo(actor: Actor): Decision;
}

type Loader = (db: Reader, id: number) => Promise<Omit<Subject, 'kind' | 'id'> | null>;

const SUBJECTS: { [K in SubjectKind]: Loader } = {
	bid: async (db, id) => {
		const bid = await loadBidRef(db, id).catch(() => null);
		if (!bid) return null;
		const { title } = await db.selectFrom('bid').select('title').where('id', '=', id).executeTakeFirstOrThrow();
		return { title, link: `/bids/${id}`, visibleTo: (actor) => can(actor, { action: 'bid.view', bid }) };
	},
	capital_application: async (db, id) => {
		const application = await loadApplicationRef(db, id);
		if (!application) return null;
		const { title } = await db.selectFrom('capital_application').select('title').where('id', '=', id).executeTakeFirstOrThrow();
		return { title, link: `/capital/applications/${id}`, visibleTo: (actor) => can(actor, { action: 'capital.application.view', application }) };
	},
	// A consultation's discussion is open to whoever may read the consultation and the advice on it.
	pcf_consultation: async (db, id) => {
		const proposal = await loadProposal(db, { consultationId: id }).catch(() => null);
		if (!proposal) return null;
		return { title: proposal.title, link: `/pcf/consultations/${id}`, visibleTo: (actor) => can(actor, { action: 'pcf.advice.view', proposal }) };
	},
	// A round's discussion sits beside the forum's themed response to it, open to whoever may read that.
	funding_round: async (db, id) => {
		const proposal = await loadProposal(db, { roundId: id }).catch(() => null);
		if (!proposal) return null;
		return { title: proposal.title, link: `/pcf/rounds/${id}`, visibleTo: (actor) => can(actor, { action: 'pcf.advice.view', proposal }) };
	}
};

export async function loadSubject(db: Reader, kind: SubjectKind, id: number): Promise<Subject> {
	const found = await SUBJECTS[kind](db, id);
	if (!found) throw notFound('That page');
	return { kind, id, ...found };
}

/** The subject as the discussion rules read it for this person. */
export const seenBy = (subject: Subject, actor: Actor) => ({ title: subject.title, seen: subject.visibleTo(actor) });
