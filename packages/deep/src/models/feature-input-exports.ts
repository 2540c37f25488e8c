// The public surface of the feature models (re-exported by src/index.ts in one line, so the package index
// stays a short list while several models are added to it in parallel).
export {
  featureLayout,
  EMBEDDING_INIT_STD,
  FeatureInput,
  type FeatureInputOptions,
  type FeatureLayout,
  type FeatureRows,
  type FeatureTensors,
  type LabelledRows,
} from './feature-input';
export { FeatureNetwork, type FeatureNetworkBase } from './feature-input-network';
export {
  FEATURE_MODEL_BATCH_SIZE,
  TRAINING_PARAMS,
  type FeatureTrainingParams,
} from './feature-input-params';
export {
  FittedFeatures,
  rankingSchema,
  type FeatureObjective,
  type FeatureRecordRow,
} from './feature-input-tables';
export {
  ctrScores,
  ctrSplit,
  isCtrRecommender,
  type CtrRecommender,
  type CtrRowsOptions,
  type CtrScores,
  type CtrSplit,
  type CtrTrainingData,
} from './feature-input-ctr';
export {
  FeatureInputRecommender,
  type FeatureGraphForm,
  type FeatureModelOptions,
} from './feature-input-recommender';
export {
  LogisticRegressionModel,
  LogisticRegressionNetwork,
  type LogisticRegressionParams,
} from './logistic-regression';
export {
  FactorizationMachineModel,
  FactorizationMachineNetwork,
  type FactorizationMachineParams,
} from './factorization-machine';
export {
  WideDeepModel,
  WideDeepNetwork,
  DEFAULT_CROSSES,
  type WideDeepParams,
  type WideDeepArchitecture,
} from './wide-deep';
export { crossBucket, resolveCrosses, type CrossSpec, type ResolvedCross } from './wide-deep-crosses';
export { NfmModel, NfmNetwork, type NfmParams, type NfmArchitecture } from './nfm';
export { DcnV2Model, DcnV2Network, type DcnV2Params, type DcnV2Architecture } from './dcn-v2';
