// The capital programme's set-up commands, one file per kind of item.
export { createLine, updateLine } from './lines';
export { createSource, updateSource } from './sources';
export { createTarget, updateTarget } from './targets';
export { createRound, setCriteria, stepRound, updateRound } from './rounds';
export { createTrust, linkAcademy, unlinkAcademy } from './trusts';
