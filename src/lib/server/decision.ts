import type { Actor } from './auth/actor';

// What every feature's rule map is written with. The maps live beside their features
// (`server/<feature>/policy.ts`); `policy.ts` merges them into the one `can()`.

export type Decision = { allowed: true } | { allowed: false; reason: string };

export const allow: Decision = { allowed: true };
export const deny = (reason: string): Decision => ({ allowed: false, reason });

/** A rule: the signed-in person and the check (with the row it is about, read under the write's lock). */
export type Rule<C> = (actor: Actor, check: C) => Decision;

/** A feature's rules, one per action of its checks. */
export type RuleMap<C extends { action: string }> = { [A in C['action']]: Rule<Extract<C, { action: A }>> };

export function isCountyStaff(actor: Actor | null): boolean {
	return actor?.countyRole === 'officer' || actor?.countyRole === 'admin';
}

/** A workspace's people: its members, and council officers everywhere. */
export const memberOf = (actor: Actor, clusterId: number) => isCountyStaff(actor) || actor.clusterIds.includes(clusterId);

export const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export interface ClusterRef {
	id: number;
	name: string;
	kind: string;
	status?: string;
}

/**
 * What the acting person has already done to a piece of work, read from its history: led it
 * (started or signed it off), wrote part of it, confirmed a pledge to it, endorsed or objected.
 * Scoring and panels add their own words here as they land.
 */
export type Involvement = 'led' | 'wrote' | 'pledged' | 'endorsed' | 'objected';
const INVOLVEMENT_WORDS: Record<Involvement, string> = {
	led: 'led',
	wrote: 'wrote part of',
	pledged: 'confirmed a pledge to',
	endorsed: 'endorsed',
	objected: 'objected to'
};

/** A piece of work someone may be asked to judge, and what the actor has done to it. */
export interface JudgedWork {
	/** "bid" */
	noun: string;
	/** Settings whose work it is: their staff have an interest in it. */
	settingIds: readonly number[];
	involvement: readonly Involvement[];
}

/**
 * Separation of duties, said once for every judgement (deciding a bid today; scoring, moderating
 * and panels as they land): nobody judges work they took part in, or work of a setting where they
 * hold a role. `instead` says who must do it ("another officer must decide it").
 */
export function independentOf(actor: Actor, work: JudgedWork, instead: string): Decision {
	const done = work.involvement[0];
	if (done) return deny(`You ${INVOLVEMENT_WORDS[done]} this ${work.noun}, so ${instead}.`);
	const role = actor.settingRoles.find((r) => work.settingIds.includes(r.settingId));
	if (role) return deny(`You work at ${role.settingName}, which is part of this ${work.noun}, so ${instead}.`);
	return allow;
}
