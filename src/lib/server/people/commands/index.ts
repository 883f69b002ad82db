// People administration's commands, one file per job.
export * from './invitations';
export * from './roles';
export * from './accounts';
