export * from './contract';
export {
  JobError,
  JobErrorCode,
  invalidPayload,
  isPermanentFailure,
  queueUnavailable,
  type PayloadIssue,
} from './errors';
export { DatasetCache, type DatasetCacheOptions } from './dataset-cache';
export type { JobDeps, JobRun } from './job-context';
export { evaluationProgress, trainingProgress } from './job-progress';
export { protocolParams, trackingMetricKey, trackingMetrics, trackingParams } from './tracking-values';
export { runTrainingJob, type TrainingJobOptions } from './training-job';
export { runEvaluationJob } from './evaluation-job';
export {
  bestOfSearch,
  collectBatch,
  finishTuning,
  initialTuneState,
  proposeBatch,
  runTrial,
  singleThreadParams,
  trialJobSuffix,
  trialPayloads,
  tuneExperiment,
  tuneProgress,
  type TrialProposal,
} from './tuning-job';
export {
  DEFAULT_ENQUEUE_TIMEOUT_MS,
  TrainingJobProducer,
  type EnqueueTrainingOptions,
  type EnqueuedTrainingJob,
  type TrainingJobEnqueuer,
  type TrainingJobProducerOptions,
  type TrainingJobRequest,
  type TrainingQueueName,
} from './training-producer';
