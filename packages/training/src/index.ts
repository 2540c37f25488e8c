export * from './evaluation/protocol';
export { buildFolds, type PredefinedFolds } from './evaluation/protocols/build-folds';
export {
  evaluateFullRanking,
  evaluateSampledRanking,
  type RankingFoldResult,
} from './evaluation/ranking-evaluation';
export { evaluateRatings, type RatingFoldResult } from './evaluation/rating-evaluation';
export {
  evaluateModel,
  supportsProtocol,
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
  trainAndRegister,
  type TrainAndRegisterOptions,
  type TrainAndRegisterProgress,
} from './pipelines/train-and-register';
export * from './queues';
export * from './tuning';
