// The rules of county set-up, as pure functions: what may be merged, retired, renamed or moved,
// and how to tell someone that another officer got there first. The commands enforce them inside a
// transaction; the pages ask the same functions to explain why a button is missing.

export interface ClusterFacts {
	id: number;
	name: string;
	kind: string;
	status: string;
	parentId: number | null;
}

export type RuleResult = { allowed: true } | { allowed: false; reasons: string[] };

const verdict = (reasons: string[]): RuleResult => (reasons.length ? { allowed: false, reasons } : { allowed: true });

const isActive = (cluster: ClusterFacts) => cluster.status === 'active';

export function canCreateLocalityIn(district: ClusterFacts): RuleResult {
	const reasons: string[] = [];
	if (district.kind !== 'district') reasons.push(`${district.name} is a locality cluster. Locality clusters sit directly under a district.`);
	if (!isActive(district)) reasons.push(`${district.name} has been retired, so no locality clusters can be added to it.`);
	return verdict(reasons);
}

export function canRename(cluster: ClusterFacts): RuleResult {
	return verdict(isActive(cluster) ? [] : [`${cluster.name} has been retired, so it keeps the name it had.`]);
}

/** Two localities merge when they are different, both active and in the same district. */
export function canMerge(source: ClusterFacts, target: ClusterFacts): RuleResult {
	const reasons: string[] = [];
	if (source.kind !== 'locality' || target.kind !== 'locality') {
		reasons.push('Only locality clusters can be merged. District clusters are fixed: one for each district.');
	}
	if (source.id === target.id) {
		reasons.push('Choose a different locality cluster: one cannot be merged into itself.');
		return verdict(reasons);
	}
	if (!isActive(source)) reasons.push(`${source.name} has already been retired.`);
	if (!isActive(target)) reasons.push(`${target.name} has been retired, so nothing can be merged into it.`);
	if (source.kind === 'locality' && target.kind === 'locality' && source.parentId !== target.parentId) {
		reasons.push(
			`${source.name} and ${target.name} are in different districts. Locality clusters can only be merged within their district; ` +
				'move settings one by one to change district.'
		);
	}
	return verdict(reasons);
}

/** A locality can be retired once it is empty, so no setting is left without a cluster. */
export function canRetire(cluster: ClusterFacts, settingCount: number): RuleResult {
	const reasons: string[] = [];
	if (cluster.kind !== 'locality') reasons.push('Only locality clusters can be retired. District clusters are fixed: one for each district.');
	if (!isActive(cluster)) reasons.push(`${cluster.name} has already been retired.`);
	else if (settingCount > 0) {
		reasons.push(
			`${cluster.name} still has ${settingCount === 1 ? '1 setting' : `${settingCount} settings`}. ` +
				`Move ${settingCount === 1 ? 'it' : 'them'} to another locality cluster, or merge ${cluster.name} into another locality cluster, first.`
		);
	}
	return verdict(reasons);
}

/**
 * A locality running a funding round that is not closed is still in use (bids in it are being
 * written, endorsed or decided), so it is merged or retired only once an officer has closed the
 * round: a retired cluster cannot run a round, and moving a live round would change who endorses
 * bids already submitted.
 */
export function roundsStillOpen(cluster: ClusterFacts, openRounds: readonly { name: string }[], change: 'merged' | 'retired'): RuleResult {
	if (openRounds.length === 0) return { allowed: true };
	const names = openRounds.map((r) => `“${r.name}”`).join(', ');
	const one = openRounds.length === 1;
	return verdict([
		`${cluster.name} has ${one ? 'a funding round' : `${openRounds.length} funding rounds`} that ${one ? 'is' : 'are'} not closed (${names}). ` +
			`Close ${one ? 'it' : 'them'} first: a cluster cannot be ${change} while its bids can still be written, endorsed or decided.`
	]);
}

/** A setting belongs to one active locality; moving it to where it already is changes nothing. */
export function canMoveSetting(settingName: string, from: ClusterFacts, to: ClusterFacts): RuleResult {
	const reasons: string[] = [];
	if (from.id === to.id) reasons.push(`${settingName} is already in ${to.name}. Choose a different locality cluster.`);
	else if (to.kind !== 'locality') reasons.push(`Settings belong to a locality cluster. ${to.name} is a district: choose one of its localities.`);
	else if (!isActive(to)) reasons.push(`${to.name} has been retired. Choose an active locality cluster.`);
	return verdict(reasons);
}

export interface ClusterNow {
	name: string;
	status: string;
	version: number;
	mergedIntoName?: string | null;
}

/**
 * Said when an officer's version is stale: someone else changed it, and this is how it is now.
 * `subject` names which cluster, when a form touches two.
 */
export function clusterChangedMessage(now: ClusterNow, subject = 'this cluster'): string {
	let state = `It is now called ${now.name}`;
	if (now.status === 'retired') {
		state += now.mergedIntoName ? ` and has been merged into ${now.mergedIntoName}` : ' and has been retired';
	}
	return (
		`Someone else changed ${subject} while you were working on it. ${state}. ` +
		'The page now shows the latest details: check them and try again.'
	);
}

export function settingChangedMessage(settingName: string, currentClusterName: string): string {
	return (
		`Someone else changed ${settingName} while you were working on it. It is now in ${currentClusterName}. ` +
		'The page now shows the latest details: check them and try again.'
	);
}

export function nameTakenMessage(name: string, parentName: string | null): string {
	return parentName
		? `There is already an active locality cluster called ${name} in ${parentName}. Choose a different name.`
		: `There is already an active district cluster called ${name}. Choose a different name.`;
}

/** What a merge does to the cluster roles of the merged locality: move each, unless the person already holds it at the target. */
export function planRoleMerge<R extends { id: number; userId: number; role: string }>(
	sourceRoles: R[],
	targetRoles: { userId: number; role: string }[]
): { move: R[]; duplicates: R[] } {
	const held = new Set(targetRoles.map((r) => `${r.userId}:${r.role}`));
	const move: R[] = [];
	const duplicates: R[] = [];
	for (const role of sourceRoles) {
		const key = `${role.userId}:${role.role}`;
		if (held.has(key)) duplicates.push(role);
		else {
			move.push(role);
			held.add(key);
		}
	}
	return { move, duplicates };
}
