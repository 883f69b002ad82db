// The collaborative-document kit's server half: what a feature's commands call in their transaction.
export { saveSection, lockSectionVersions, bumpSection, type BumpedVersions, type Executor, type SaveSectionOptions, type SavedSection, type TheirSection, type VersionedTable } from './sections';
export { freeze, readFrozen, changesSinceFrozen, type ChangesSince, type Frozen, type SnapshotTable } from './snapshot';
export { SectionConflict, conflictMessage, sectionConflictData } from './conflict';
