// Registers the deep models (NeuMF, the feature and sequence models) with @recsys/models' registry, so
// createModel, loadModel, the CLI, the worker and the evaluation harness know them. @recsys/deep must
// never import @recsys/training (no cycle).
import '@recsys/deep';
// Registers the hybrid ensembles (blend, stacking), which build on the registered models.
import '@recsys/ensembles';

export * from './evaluation/protocol';
export { buildFolds, type PredefinedFolds } from './evaluation/protocols/build-folds';
export { isModelGroup, MODEL_GROUPS, modelsOfGroup, type ModelGroup } from './evaluation/model-groups';
export {
  evaluateFullRanking,
  evaluateSampledRanking,
  type RankingFoldResult,
} from './evaluation/ranking-evaluation';
export { evaluateRatings, type RatingFoldResult } from './evaluation/rating-evaluation';
export { evaluateCtr, type CtrRunOptions, type CtrRunResult } from './evaluation/protocols/ctr';
export {
  evaluateModel,
  supportsProtocol,
  unsupportedProtocolMessage,
  type EvaluateModelOptions,
  type EvaluationResult,
} from './evaluation/evaluate-model';
export {
  loadDataset,
  loadPredefinedPair,
  movieLens100kFolds,
  type DatasetSpec,
  type LoadDatasetOptions,
} from './datasets/load-dataset';
export {
  backendFor,
  trainingRuntimeOf,
  type ComputeBackend,
  type TrainingRuntime,
} from './pipelines/training-runtime';
export {
  trainAndRegister,
  type TrainAndRegisterOptions,
  type TrainAndRegisterProgress,
} from './pipelines/train-and-register';
export * from './queues';
export * from './tuning';
