// The applicant's side of an inclusion-base application: one module per job.
export { saveApplicationSection, signApplication, startApplication, submitApplication } from './writing';
export { askForInformation, decideRollout, startAssessment, withdrawApplication } from './moves';
export { downloadEvidence, evidenceList, sniffEvidence, uploadEvidence } from './files';
export { enrolSecondaries, updateDistrictNeed } from './register';
export { startTrustApplications, trustApplyOptions } from './trust';
