export { applySplit, splitFromMask, type Split } from './split';
export { stratifiedHoldout, type StratifiedHoldoutOptions } from './stratified-holdout';
export { kFold, type KFoldOptions } from './k-fold';
export { temporalSplit, type TemporalSplitOptions } from './temporal-split';
export { leaveLastOut, type LeaveLastOutOptions } from './leave-last-out';
export { predefinedSplit } from './predefined-split';
