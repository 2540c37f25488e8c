import { registerModelFactory } from '@recsys/models';
import { BlendModel } from './models/blend';
import { StackingModel } from './models/stacking';

export { BlendModel, type BlendParams } from './models/blend';
export { StackingModel, type StackingParams } from './models/stacking';
export { stackingFeatureNames } from './features/stacking-features';
export {
  EnsembleRecommender,
  type EnsembleSettings,
  type LearningSummary,
  type WeightLearner,
} from './core/ensemble-recommender';
export {
  baseModelListSchema,
  DEFAULT_BASE_MODELS,
  ENSEMBLE_MODEL_NAMES,
  type BaseModelSpec,
} from './base-models/base-model-list';
export { zScoreInPlace } from './scoring/normalize-scores';
export {
  coordinateAscent,
  type CoordinateAscentOptions,
  type LearnedWeights,
} from './learning/coordinate-ascent';
export {
  fitLogisticRegression,
  type LogisticModel,
  type LogisticRegressionOptions,
} from './learning/logistic-regression';
export { meanNdcg, type RankingList } from './learning/ranking-lists';
export { activityEdges, segmentOf, segmentsSchema, type SegmentsParams } from './segments/activity-segments';

/** `import '@recsys/ensembles'` adds the ensembles to @recsys/models' registry (createModel, loadModel). */
registerModelFactory('blend', () => new BlendModel());
registerModelFactory('stacking', () => new StackingModel());
