export * from './errors';
export * from './search-space';
export * from './model-search-spaces';
export {
  bestTrial,
  isBetter,
  type Direction,
  type IntermediateValue,
  type RunningTrial,
  type TrialRecord,
  type TrialState,
} from './trial';
export { nextTrialNumber, type ProposalRequest, type Sampler } from './samplers/sampler';
export { RandomSampler, type RandomSamplerOptions } from './samplers/random-sampler';
export {
  DEFAULT_TPE_OPTIONS,
  optunaGamma,
  optunaWeights,
  rankTrials,
  TpeSampler,
  type TpeSamplerOptions,
} from './samplers/tpe-sampler';
export type { Pruner, PrunerTrial } from './pruning/pruner';
export {
  DEFAULT_MEDIAN_PRUNER_OPTIONS,
  MedianPruner,
  shouldPruneByMedian,
  type MedianPrunerOptions,
} from './pruning/median-pruner';
export {
  DEFAULT_SUCCESSIVE_HALVING_OPTIONS,
  isPromotable,
  promotedAtRung,
  rungStep,
  rungValue,
  successiveHalvingDecision,
  SuccessiveHalvingPruner,
  type SuccessiveHalvingDecision,
  type SuccessiveHalvingOptions,
} from './pruning/successive-halving';
export * from './study';
export * from './objective';
export * from './specs';
