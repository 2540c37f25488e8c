export * from './train-network';
export { EarlyStopping } from './early-stopping';
export { createAdam, FusedAdamOptimizer } from './fused-adam';
export { readCheckpoint, writeCheckpoint, type CheckpointMeta } from './checkpoint';
export { batchesOf, PointwiseExamples, type PointwiseBatch } from './pointwise-examples';
export {
  sampledHitRate,
  sampledValidation,
  type PairScorer,
  type SampledValidation,
} from './sampled-hit-rate';
export {
  lastItems,
  PAD,
  padSequence,
  SequenceExamples,
  type SequenceBatch,
  type SequenceNegatives,
} from './sequence-examples';
export {
  bceWithNegatives,
  bprMax,
  nextItemLoss,
  softmaxCrossEntropy,
  type NextItemLossKind,
  type NextItemOutput,
} from './sequence-losses';
export type { SequenceNetwork } from './sequence-network';
