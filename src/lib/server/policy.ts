import type { Actor } from './auth/actor';
import { deny, type Decision, type Rule } from './decision';
import { forbidden } from './errors';
import { accountRules, type AccountCheck } from './auth/policy';
import { bidRules, type BidCheck } from './bids/policy';
import { capitalRules, type CapitalCheck } from './capital/policy';
import { capitalApplicationRules, type CapitalApplicationCheck } from './capital/applications/policy';
import { moneyRules, type MoneyCheck } from './capital/money/policy';
import { assessmentRules, type AssessmentCheck } from './capital/assessment/policy';
import { grantRules, type GrantCheck } from './capital/grant/policy';
import { schemeRules, type SchemeCheck } from './capital/scheme/policy';
import { clusterRules, type ClusterCheck } from './clusters/policy';
import { disputeRules, type DisputeCheck } from './disputes/policy';
import { disputeOutcomeRules, type DisputeOutcomeCheck } from './disputes/outcome-policy';
import { disputePapersRules, type DisputePapersCheck } from './disputes/papers-policy';
import { notificationRules, type NotificationCheck } from './notifications/policy';
import { peopleRules, type PeopleCheck } from './people/policy';
import { pcfRules, type PcfCheck } from './pcf/policy';
import { discussionRules, type DiscussionCheck } from './discussions/policy';

/**
 * The one place that says who may see and do what. Every tRPC procedure, page load, form action
 * and socket.io event asks here, so a rule changes in one place and is tested in one place.
 * Each feature keeps its rules beside it (`server/<feature>/policy.ts`, a map from action to
 * rule); this file merges them. A refusal carries a reason a headteacher would understand.
 *
 * Adding a feature: import its check type and rule map, and add one entry to each list below.
 */
export type PolicyCheck = ClusterCheck | PeopleCheck | AccountCheck | NotificationCheck | BidCheck | CapitalCheck | CapitalApplicationCheck | PcfCheck | MoneyCheck | AssessmentCheck | GrantCheck | SchemeCheck | DisputeCheck | DisputeOutcomeCheck | DisputePapersCheck | DiscussionCheck;

type Rules = { [A in PolicyCheck['action']]: Rule<Extract<PolicyCheck, { action: A }>> };
const RULES: Rules = { ...clusterRules, ...peopleRules, ...accountRules, ...notificationRules, ...bidRules, ...capitalRules, ...capitalApplicationRules, ...pcfRules, ...moneyRules, ...assessmentRules, ...grantRules, ...schemeRules, ...disputeRules, ...disputeOutcomeRules, ...disputePapersRules, ...discussionRules };

export function can(actor: Actor | null, check: PolicyCheck): Decision {
	if (!actor) return deny('You need to sign in first.');
	// Cast: RULES maps each action to the rule for its own check; TypeScript cannot follow that pairing through an index by a union.
	const rule = RULES[check.action] as Rule<PolicyCheck>;
	return rule(actor, check);
}

/**
 * Asks the policy and refuses with its reason: the one wrapper. The refusal is a `DomainError`, so
 * a tRPC procedure answers FORBIDDEN, a form action and a page load show the 403 page.
 */
export function assertCan(actor: Actor | null, check: PolicyCheck): asserts actor is Actor {
	const decision = can(actor, check);
	if (!decision.allowed) throw forbidden(decision.reason);
}

export { allow, deny, independentOf, isCountyStaff, type ClusterRef, type Decision, type Involvement, type JudgedWork } from './decision';
export type { AccountChange, AccountRef } from './people/policy';
export type { BidCheck, BidRef, RoundRef, SettingRef } from './bids/policy';
