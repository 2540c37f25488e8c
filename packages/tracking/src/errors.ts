/**
 * Public error codes of the tracking package (both back ends). Callers branch on `code`, never on message
 * text. Errors an MLflow server returns are `MlflowError`s (see `mlflow/mlflow-error.ts`), not these.
 */
export const TrackingErrorCode = {
  /** No run with that id. */
  RUN_NOT_FOUND: 'RUN_NOT_FOUND',
  /** A parameter already logged with another value: parameters are immutable, as in MLflow. */
  PARAM_CONFLICT: 'PARAM_CONFLICT',
  /** A non-finite metric, a non-integer step, an over-long parameter value, a bad artifact path. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** `logArtifacts` to a path that is, lies inside or contains a path the run already holds. */
  ARTIFACT_PATH_TAKEN: 'ARTIFACT_PATH_TAKEN',
  /** The local folder given to `logArtifacts` does not exist or holds no file. */
  ARTIFACT_MISSING: 'ARTIFACT_MISSING',
  /** The run's artifact URI is not one this tracker can upload to (MLflow: not `mlflow-artifacts:`). */
  UNSUPPORTED_ARTIFACT_URI: 'UNSUPPORTED_ARTIFACT_URI',
  /** The MLflow experiment of that name is deleted (restore it in MLflow or use another name). */
  EXPERIMENT_DELETED: 'EXPERIMENT_DELETED',
  /** MLFLOW_* variables that do not describe a server, or missing dependencies for the embedded store. */
  INVALID_CONFIG: 'INVALID_CONFIG',
} as const;
export type TrackingErrorCode = (typeof TrackingErrorCode)[keyof typeof TrackingErrorCode];

export class TrackingError extends Error {
  constructor(
    readonly code: TrackingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TrackingError';
  }
}

export function isTrackingError(error: unknown, code?: TrackingErrorCode): error is TrackingError {
  return error instanceof TrackingError && (code === undefined || error.code === code);
}
