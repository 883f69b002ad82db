// County set-up: officers shape the locality clusters the council's plan leaves "TBA".
export * from './rules';
export * from './commands';
export * from './queries';
