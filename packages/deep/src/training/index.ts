export * from './train-network';
export { EarlyStopping } from './early-stopping';
export { readCheckpoint, writeCheckpoint, type CheckpointMeta } from './checkpoint';
export { batchesOf, PointwiseExamples, type PointwiseBatch } from './pointwise-examples';
export {
  sampledHitRate,
  sampledValidation,
  type PairScorer,
  type SampledValidation,
} from './sampled-hit-rate';
