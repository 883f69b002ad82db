// Early years grants after the decision: offer, acceptance, claim, approval, withdrawal or lapse.
export * from './commands';
export * from './queries';
