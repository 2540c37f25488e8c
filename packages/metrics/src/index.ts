// Public API of @recsys/metrics: pure metric functions over typed arrays, metric descriptors and the
// ranking accumulator. Kernels over precomputed gains stay internal to their modules.
export { MetricErrorCode, MetricInputError } from './metric-input-error';
export type { GradedRelevance, Relevance, RelevantItems } from './shared/relevance';

export { precisionAtK, recallAtK } from './ranking/precision-recall';
export { hitAtK } from './ranking/hit-rate';
export { reciprocalRank } from './ranking/reciprocal-rank';
export {
  averagePrecision,
  averagePrecisionAtK,
  averagePrecisionFromScores,
} from './ranking/average-precision';
export {
  ndcgAtK,
  ndcgFromScores,
  type NdcgFromScoresOptions,
  type NdcgGain,
  type NdcgOptions,
} from './ranking/ndcg';

export { aucOfScores } from './classification/auc';
export { logLoss, LOG_LOSS_EPSILON } from './classification/log-loss';
export { mae, rmse, type Ratings } from './rating/errors';

export { itemExposure, ExposureCounter } from './beyond-accuracy/exposure';
export { catalogCoverage } from './beyond-accuracy/coverage';
export { exposureGini, giniIndex } from './beyond-accuracy/gini';
export { itemPopularityFromHistories, type ItemPopularity } from './beyond-accuracy/popularity';
export { novelty, type NoveltyOptions } from './beyond-accuracy/novelty';
export {
  itemCategoriesFromSets,
  type ItemCategories,
  type ItemEmbeddings,
} from './beyond-accuracy/item-features';
export {
  intraListDiversityByCategory,
  intraListDiversityByEmbedding,
  type CategoryDistance,
  type CategoryDiversityOptions,
} from './beyond-accuracy/diversity';

export {
  describeMetric,
  isMetricName,
  METRIC_DEFINITIONS,
  parseMetricKey,
  type MetricAggregation,
  type MetricDefinition,
  type MetricDescriptor,
  type MetricName,
  type MetricNeed,
} from './metric-descriptor';
export {
  RankingMetricAccumulator,
  type EvaluationContext,
  type ListMetricName,
  type MetricResult,
  type RankingEvaluation,
  type RankingMetricAccumulatorOptions,
} from './aggregate/ranking-metric-accumulator';
