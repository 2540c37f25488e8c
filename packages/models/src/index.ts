export * from './contract/errors';
export * from './contract/params';
export * from './contract/recommender';
export * from './artifact/manifest';
export { readArtifact, readManifest, writeArtifact, type ArtifactContents } from './artifact/artifact-io';
export { BaseRecommender, applyFilter, type ModelState } from './core/base-recommender';
export { topK } from './core/top-k';
export * from './core/vector-math';
export { stateArray, stateNumber } from './core/state-arrays';
export { PopularityModel } from './models/popularity';
export { ItemKnnModel, type ItemKnnParams } from './models/item-knn';
export { EaseModel, type EaseParams } from './models/ease';
export { TrendingModel, type TrendingParams } from './models/trending';
export { ContentTfidfModel, type ContentTfidfParams } from './models/content-tfidf';
export { CategorySimilarityModel, type CategorySimilarityParams } from './models/category-similarity';
export {
  cosineNeighbors,
  accumulateNeighbors,
  type NeighborLists,
  type CosineNeighborsOptions,
} from './core/sparse-similarity';
export {
  spdInverseInPlace,
  choleskyInPlace,
  invertLowerInPlace,
  NotPositiveDefiniteError,
} from './core/spd-inverse';
export { tfidf, type Tfidf, type TfidfOptions } from './core/tfidf';
export { tokenize, addTerms, STOP_WORDS } from './core/text-tokenizer';
export { feedbackMatrix, type Feedback } from './core/feedback-weights';
export { SvdModel, type SvdParams } from './models/svd';
export { NmfModel, type NmfParams } from './models/nmf';
export { RatingFactorModel, type LearnedFactors } from './core/rating-factor-model';
export {
  createModel,
  isModelName,
  loadModel,
  MODEL_NAMES,
  registerModelFactory,
  type ModelName,
} from './registry';
export { FactorModel, type Factors } from './core/factor-model';
export { AlsModel } from './models/als';
export { TruncatedSvdModel } from './models/truncated-svd';
export { randomizedSvd, type RandomizedSvdOptions, type SvdResult } from './models/truncated-svd-randomized';
export { yieldToEventLoop } from './core/yield-to-event-loop';
