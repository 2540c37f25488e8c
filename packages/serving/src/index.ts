export * from './contract';
export { createInferenceEngine, type ServingEngine } from './engine';
export {
  DEFAULT_CACHE_OPTIONS,
  DEFAULT_CANDIDATE_OPTIONS,
  DEFAULT_RANKING_OPTIONS,
  DEFAULT_REFRESH_OPTIONS,
  DEFAULT_TRENDING_OPTIONS,
  type CacheOptions,
  type CandidateOptions,
  type EngineOptions,
  type RankingOptions,
  type RefreshOptions,
  type TrendingOptions,
} from './options';
export type { EngineEvent, EngineStats, CacheLayer, CacheName } from './events';
export type { Logger } from './logger';
export {
  directoryModelSource,
  type DirectoryModelSource,
  type ModelChange,
  type ModelEventSubscription,
  type ModelRef,
  type ModelSource,
} from './models/model-source';
export { COLD_START_VERSION } from './recommend/recommend-pipeline';
export { mmrRerank } from './ranking/mmr';
export {
  registryModelEvents,
  registryModelSource,
  type ProductionLookup,
  type RegistryModelSourceOptions,
} from './models/registry-model-source';
export { ActiveModels, type ActiveModelsOptions } from './models/active-models';
export { loadServedModel, type LoadServedModelOptions, type ServedModel } from './models/served-model';
export type { ScoringRuntime } from './models/onnx-scoring';
