// District dispute-resolution panels: referrals, triage and the case page (with its access log).
export * from './cases';
export * from './pickers';
export * from './agreement';
