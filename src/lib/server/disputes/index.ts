// District dispute-resolution panels: referrals, triage and the case page (with its access log).
export * from './cases';
export * from './pickers';
export * from './agreement';
export * from './pool';
export * from './poll';
export * from './outcome';
export * from './daily';
export * from './records';
export * from './feed';
export * from './reminders';
export * from './report';
export * from './papers';
export * from './settings';
export * from './themes';
