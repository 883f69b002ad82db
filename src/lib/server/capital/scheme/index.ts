// Specialist schemes after approval in principle: feasibility and change control, statutory steps,
// the equalities impact assessment, the funding agreement, delivery milestones, opening.
export * from './commands';
export * from './queries';
