// The collaborative-document kit's client-safe half: declare a document, then ask where it stands.
export { defineDocument, isSectionOf, sectionHref, type DocumentDefinition, type SectionDefinition } from './define';
export { answers, checklist, missingBySection, sectionStatus, taskList, type AnswerRow, type MissingItem, type SectionStatus, type TaskListEntry } from './progress';
export { changedSections, type SectionChange } from './changes';
// The snapshot hash (`./hash`) is imported from its own module where it is used: SHA-256 from
// @oslojs is kept by the bundler whole, so re-exporting it here put it into every page that imports the kit.
export { conflictFieldId, sectionConflictIn, type SectionConflictState, type SectionRefusal } from './conflict';
