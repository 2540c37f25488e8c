/**
 * Public error codes of the experiments package. Callers branch on `code`, never on message text; the
 * subgraph turns every one into BAD_USER_INPUT with the code in `extensions.experimentCode`.
 */
export const ExperimentErrorCode = {
  /** A field of the definition is malformed (name, placement, metric, sample size, alpha...). */
  INVALID_DEFINITION: 'INVALID_DEFINITION',
  /** Fewer than two variants, or no shown variant to be the control. */
  TOO_FEW_VARIANTS: 'TOO_FEW_VARIANTS',
  /** Two variants of one experiment share a name. */
  DUPLICATE_VARIANT_NAME: 'DUPLICATE_VARIANT_NAME',
  /** A share outside (0, 1], or a canary share above MAX_CANARY_SHARE. */
  INVALID_SHARE: 'INVALID_SHARE',
  /** The shares of the shown variants do not sum to 1 (within SHARE_SUM_TOLERANCE). */
  SHARES_DO_NOT_SUM_TO_ONE: 'SHARES_DO_NOT_SUM_TO_ONE',
  /** An end not after the start, or an end already past. */
  INVALID_DATES: 'INVALID_DATES',
  /** A variant names a model version the registry does not have. */
  UNKNOWN_MODEL_VERSION: 'UNKNOWN_MODEL_VERSION',
  /** A variant names an ARCHIVED model version. */
  ARCHIVED_MODEL_VERSION: 'ARCHIVED_MODEL_VERSION',
  /** A variant names a serving policy that is not known. */
  UNKNOWN_POLICY: 'UNKNOWN_POLICY',
  /** Another experiment already has this name. */
  EXPERIMENT_EXISTS: 'EXPERIMENT_EXISTS',
  /** No experiment with this name. */
  EXPERIMENT_NOT_FOUND: 'EXPERIMENT_NOT_FOUND',
  /** Another experiment runs on the same placement over an overlapping period. */
  OVERLAPPING_EXPERIMENT: 'OVERLAPPING_EXPERIMENT',
  /** A status change the life cycle does not allow (starting a running or stopped experiment...). */
  INVALID_STATUS_CHANGE: 'INVALID_STATUS_CHANGE',
  /** An exposure logged after the logger was closed. */
  LOGGER_CLOSED: 'LOGGER_CLOSED',
} as const;
export type ExperimentErrorCode = (typeof ExperimentErrorCode)[keyof typeof ExperimentErrorCode];

export class ExperimentError extends Error {
  constructor(
    readonly code: ExperimentErrorCode,
    message: string,
    /** The input field at fault, as a path (`variants[1].share`), when one is. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ExperimentError';
  }
}

export function isExperimentError(error: unknown, code?: ExperimentErrorCode): error is ExperimentError {
  return error instanceof ExperimentError && (code === undefined || error.code === code);
}
