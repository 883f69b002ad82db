// Inclusion-base capital, the money: commitments and plans by source and year, moves between
// lines with a second officer's approval, spending, and places occupied once a base is open.
export * from './commands';
export * from './queries';
