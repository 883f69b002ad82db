import { describe, expect, it } from 'vitest';
import { can } from '../../src/lib/server/policy';
import type { Actor } from '../../src/lib/server/auth/actor';
import type { SubjectSeen } from '../../src/lib/server/discussions/policy';

// The discussion rules, both ways: the subject's own view rule decides reading and posting; only
// the author edits; the author or a council officer (moderator) deletes; nothing on a deleted comment.

const person = (id: number, roles: Partial<Actor> = {}): Actor => ({ id, name: `P${id}`, email: `p${id}@example.test`, countyRole: null, settingRoles: [], clusterRoles: [], clusterIds: [], ...roles });
const author = person(1);
const other = person(2);
const officer = person(3, { countyRole: 'officer' });
const SEEN: SubjectSeen = { title: 'A bid', seen: { allowed: true } };
const HIDDEN: SubjectSeen = { title: 'A bid', seen: { allowed: false, reason: 'Bids in the Banbury cluster are open to its members and council officers.' } };
const live = { authorId: 1, deleted: false };
const gone = { authorId: 1, deleted: true };

describe('discussion rules', () => {
	it('reading and posting follow the subject’s own view rule, with its reason', () => {
		for (const action of ['discussion.view', 'discussion.post'] as const) {
			expect(can(other, { action, subject: SEEN })).toEqual({ allowed: true });
			expect(can(other, { action, subject: HIDDEN })).toEqual(HIDDEN.seen);
		}
		expect(can(null, { action: 'discussion.view', subject: SEEN }).allowed).toBe(false);
	});

	it('only the author edits, while they may see the subject, and never a deleted comment', () => {
		expect(can(author, { action: 'discussion.edit', subject: SEEN, comment: live }).allowed).toBe(true);
		expect(can(other, { action: 'discussion.edit', subject: SEEN, comment: live })).toMatchObject({ allowed: false, reason: /Only the person who wrote/ });
		expect(can(officer, { action: 'discussion.edit', subject: SEEN, comment: live }).allowed).toBe(false);
		expect(can(author, { action: 'discussion.edit', subject: HIDDEN, comment: live }).allowed).toBe(false);
		expect(can(author, { action: 'discussion.edit', subject: SEEN, comment: gone })).toMatchObject({ allowed: false, reason: /deleted/ });
	});

	it('the author or a moderator deletes; nobody else, and not twice', () => {
		expect(can(author, { action: 'discussion.delete', subject: SEEN, comment: live }).allowed).toBe(true);
		expect(can(officer, { action: 'discussion.delete', subject: SEEN, comment: live }).allowed).toBe(true);
		expect(can(other, { action: 'discussion.delete', subject: SEEN, comment: live })).toMatchObject({ allowed: false, reason: /moderating/ });
		expect(can(author, { action: 'discussion.delete', subject: HIDDEN, comment: live }).allowed).toBe(false);
		expect(can(officer, { action: 'discussion.delete', subject: SEEN, comment: gone }).allowed).toBe(false);
	});
});
