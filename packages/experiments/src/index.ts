export * from './contract';
export { ExperimentError, ExperimentErrorCode, isExperimentError } from './errors';
export { silentLogger, type ExperimentLogger } from './logger';
export {
  ExperimentDefinitionSchema,
  VariantDefinitionSchema,
  NAME_PATTERN,
  IDENTIFIER_PATTERN,
  DEFAULT_ALPHA,
  DEFAULT_MIN_SAMPLE_SIZE,
  type ParsedDefinition,
  type ParsedVariant,
} from './definition/definition-schema';
export { validateDefinition, SHARE_SUM_TOLERANCE, MAX_CANARY_SHARE } from './definition/validate-definition';
export { BUCKETS, bucketOf, assignmentBucket, shadowBucket } from './assignment/bucket';
export { assignVariant, splitBounds, variantForBucket } from './assignment/assign-variant';
export { ExperimentStore, DEFAULT_POLICIES, type ExperimentStoreOptions } from './store/experiment-store';
export {
  ActiveExperiments,
  appliesAt,
  type ActiveExperimentsOptions,
  type RunningExperimentSource,
} from './serving/active-experiments';
export {
  ExposureLogger,
  type ExposureLoggerOptions,
  type ExposureLoggerStats,
} from './exposures/exposure-logger';
export { prismaExposureSink, type ExposureSink } from './exposures/exposure-sink';
export { normalCdf, normalQuantile, normalUpperTail, twoSidedCritical } from './stats/normal';
export { wilsonInterval } from './stats/wilson-interval';
export { twoProportionZTest, type ZTestResult } from './stats/two-proportion-z-test';
export { sequentialTwoProportionTest, DEFAULT_MIXING_SD, type SequentialTestResult } from './stats/msprt';
export { compareToControl, type ComparisonSettings, type ProportionCounts } from './stats/compare-variants';
export { readVariantCounts, NO_COUNTS, type VariantCounts } from './results/variant-counts';
export { summarizeResults, experimentResults, type ResultsOptions } from './results/experiment-results';
export { ExperimentService, type ExperimentServiceOptions } from './experiment-service';
