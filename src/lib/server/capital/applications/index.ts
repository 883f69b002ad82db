// Inclusion-base applications, the applicant's side: commands, the pages' reads, the policy's view.
export * from './commands';
export { APPLICATIONS_KEY, REGISTER_KEY, applicationDetail, applicationsPage, districtNeed, districtNeedsPage, registerPage, startOptions, type ApplicationDetail } from './queries';
export { loadApplicationRef } from './access';
