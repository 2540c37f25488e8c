export { BanditError, BanditErrorCode } from './errors';
export { sampleBeta } from './random/beta';
export {
  argmax,
  checkExploration,
  choiceProbabilities,
  GREEDY,
  sampleSlate,
  type Exploration,
  type SlateSelection,
} from './exploration/exploration';

export { ArmStatistics, type ArmCounts, type ArmStatisticsState } from './multi-armed/arm-statistics';
export type {
  ArmChoice,
  ArmSelectionPolicy,
  EpsilonGreedyConfig,
  KlUcbConfig,
  MultiArmedPolicyConfig,
  ThompsonSamplingConfig,
  Ucb1Config,
} from './multi-armed/policy';
export { ThompsonSampling, THOMPSON_DEFAULTS } from './multi-armed/thompson-sampling';
export { Ucb1 } from './multi-armed/ucb1';
export { KlUcb, bernoulliKl } from './multi-armed/kl-ucb';
export { EpsilonGreedy } from './multi-armed/epsilon-greedy';
export { createPolicy } from './multi-armed/create-policy';
export {
  BANDIT_STATE_VERSION,
  type MultiArmedBanditState,
  type SegmentedBanditState,
} from './multi-armed/bandit-state';
export { MultiArmedBandit, type MultiArmedBanditOptions } from './multi-armed/multi-armed-bandit';
export {
  SegmentedBandit,
  type SegmentContext,
  type SegmentedArmChoice,
} from './multi-armed/segmented-bandit';

export { LinUcbArm, type LinUcbArmState } from './contextual/lin-ucb-arm';
export {
  LIN_UCB_STATE_VERSION,
  LinUcb,
  type LinUcbCandidate,
  type LinUcbOptions,
  type LinUcbState,
  type SlateChoice,
} from './contextual/lin-ucb';

export {
  checkLoggedDecision,
  servedDecision,
  withReward,
  type LoggedDecision,
  type PolicyChoice,
  type ServedDecision,
} from './logging/logged-decision';
export {
  deterministicPolicy,
  policyFromDistribution,
  type ActionDistributionPolicy,
  type TargetPolicy,
} from './off-policy/target-policy';
export {
  Z_SCORES,
  type ConfidenceLevel,
  type EstimateOptions,
  type OffPolicyEstimate,
} from './off-policy/estimate';
export { ips } from './off-policy/ips';
export { snips, type SnipsOptions } from './off-policy/snips';
export { doublyRobust, type RewardModel } from './off-policy/doubly-robust';
