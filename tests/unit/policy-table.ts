import { expect } from 'vitest';
import { can, type PolicyCheck } from '../../src/lib/server/policy';
import type { Actor } from '../../src/lib/server/auth/actor';

// The people and the table assertion the policy tests share: each rule is checked for every
// person in a file's table, allowed and refused, so a new role cannot slip through untested.

type ClusterRole = Actor['clusterRoles'][number]['role'];
type SettingRole = Actor['settingRoles'][number]['role'];

/** A signed-in person holding only the roles given. */
export function person(id: number, roles: Partial<Actor> = {}): Actor {
	return { id, name: `Person ${id}`, email: `p${id}@example.test`, countyRole: null, settingRoles: [], clusterRoles: [], clusterIds: [], ...roles };
}

/** Someone with a role in a district (a district-level cluster). */
export function inDistrict(id: number, districtId: number, districtName: string, role: ClusterRole): Actor {
	return person(id, { clusterRoles: [{ clusterId: districtId, clusterName: districtName, clusterKind: 'district', role }], clusterIds: [districtId] });
}

/** Someone with a role at a setting in locality 10 of district 1. */
export function atSetting(id: number, settingId: number, role: SettingRole): Actor {
	return person(id, { settingRoles: [{ settingId, settingName: 'A setting', clusterId: 10, districtId: 1, role }], clusterIds: [1, 10] });
}

/**
 * Exactly `allowed` among `people` may pass `check`; everyone else is refused with a reason that
 * matches `says`, or, without it, one long enough to tell them why.
 */
export function expectOnly<P extends Record<string, Actor>>(people: P, check: PolicyCheck, allowed: readonly (keyof P)[], says?: RegExp): void {
	for (const who of Object.keys(people) as (keyof P & string)[]) {
		const decision = can(people[who], check);
		if (allowed.includes(who)) expect(decision, `${who} may ${check.action}`).toEqual({ allowed: true });
		else {
			expect(decision.allowed, `${who} may not ${check.action}`).toBe(false);
			if (decision.allowed) continue;
			if (says) expect(decision.reason, `${who}: ${decision.reason}`).toMatch(says);
			else expect(decision.reason.length, `${who} is told why`).toBeGreaterThan(10);
		}
	}
}
