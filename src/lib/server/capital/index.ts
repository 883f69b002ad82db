// Inclusion-base capital: the programme's set-up (lines, sources, targets, rounds) and who signs.
export * from './commands';
export * from './queries';
