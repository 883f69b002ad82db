// The collaborative-document kit's client-safe half: declare a document, then ask where it stands.
export { defineDocument, isSectionOf, sectionHref, type DocumentDefinition, type SectionDefinition } from './define';
export { answers, checklist, missingBySection, sectionStatus, taskList, type AnswerRow, type MissingItem, type SectionStatus, type TaskListEntry } from './progress';
export { changedSections, type SectionChange } from './changes';
export { canonicalJson, snapshotHash } from './hash';
export { conflictFieldId, sectionConflictIn, type SectionConflictState, type SectionRefusal } from './conflict';
