// The bid feature's commands, by job. Each takes (db, actor, raw input), parses it with the shared
// schema, reads the row it changes once under the write's lock, asks the policy about that row,
// and records what happened with one `work.record`.
export { openRound, closeRound } from './rounds';
export { createBid, saveSection } from './writing';
export { addPartner, removePartner, confirmPledge } from './partners';
export { submitBid, endorseBid } from './lifecycle';
export { decideBid, moveBid, fundBid, closeBid, withdrawBid } from './decisions';
export { updateMilestone } from './milestones';
