export * from './tracker';
export { TrackingError, TrackingErrorCode, isTrackingError } from './errors';
export { MAX_PARAM_VALUE_LENGTH } from './run-input';
export { createTracker, trackerConfig, type TrackerConfig, type TrackerDeps } from './create-tracker';
export {
  EmbeddedTracker,
  type ArtifactRecord,
  type EmbeddedTrackerOptions,
} from './embedded/embedded-tracker';
export { MlflowTracker, type MlflowTrackerOptions } from './mlflow/mlflow-tracker';
export { MlflowClient, artifactProxyPath, type MlflowClientOptions } from './mlflow/mlflow-client';
export { MlflowError, MlflowErrorCode, isMlflowError } from './mlflow/mlflow-error';
export { LOG_BATCH_LIMITS, logBatchChunks, type BatchItems } from './mlflow/log-batch-chunks';
export type * from './mlflow/mlflow-types';
