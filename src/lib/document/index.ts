// The collaborative-document kit's client-safe half: declare a document, then ask where it stands.
export { defineDocument, isSectionOf, sectionHref, type DocumentDefinition, type SectionDefinition } from './define';
export { checklist, missingBySection, sectionStatus, taskList, type MissingItem, type SectionStatus, type TaskListEntry } from './progress';
export { changedSections, type SectionChange } from './changes';
export { canonicalJson, snapshotHash } from './hash';
export { type SectionConflictState, type SectionRefusal, sectionConflictIn } from './conflict';
