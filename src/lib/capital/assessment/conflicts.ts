// The interests an assessor declares before seeing an application (plain constants for both ends).

export const CONFLICT_KINDS = ['governs', 'trust', 'child', 'other'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];
export const CONFLICT_LABELS: Record<'none' | ConflictKind, string> = {
	none: 'I have no conflict of interest in this application',
	governs: 'I govern the setting (governor, trustee or director)',
	trust: 'I work for the setting’s trust',
	child: 'I have a child at the setting',
	other: 'Another interest'
};
