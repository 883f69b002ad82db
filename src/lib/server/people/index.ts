// People administration: invitations, roles and account status.
export * from './queries';
export * from './commands';
export * from './rules';
