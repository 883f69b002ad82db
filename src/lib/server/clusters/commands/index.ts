// County set-up's commands, one file per job.
export * from './names';
export * from './lead-rounds';
export * from './merge';
export * from './move-setting';
