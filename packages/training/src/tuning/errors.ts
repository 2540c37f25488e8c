/**
 * Public error codes of the tuning layer. Callers branch on `code`, never on message text: the worker
 * turns INVALID_SEARCH_SPACE / INVALID_OPTIONS into a failed job without retries, and TRIAL_PRUNED into
 * a PRUNED trial record.
 */
export const TuningErrorCode = {
  /** A dimension with low ≥ high, a non-positive bound on a log scale, empty choices, or an unknown type. */
  INVALID_SEARCH_SPACE: 'INVALID_SEARCH_SPACE',
  /** A sampler, pruner or study option out of range (a non-integer seed, γ outside (0, 1), …). */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  /** `tell` or `report` for a trial number the study never handed out, or one already finished. */
  UNKNOWN_TRIAL: 'UNKNOWN_TRIAL',
  /** The objective's metric is absent from an evaluation result, or not a finite number. */
  METRIC_MISSING: 'METRIC_MISSING',
  /** Thrown by an objective when its pruner says stop: the study records the trial as PRUNED. */
  TRIAL_PRUNED: 'TRIAL_PRUNED',
} as const;
export type TuningErrorCode = (typeof TuningErrorCode)[keyof typeof TuningErrorCode];

export class TuningError extends Error {
  constructor(
    readonly code: TuningErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TuningError';
  }
}

/** Optuna's `TrialPruned`: an objective throws it to stop a trial its pruner gave up on. */
export class TrialPrunedError extends TuningError {
  constructor(
    readonly trialNumber: number,
    readonly step: number | null,
  ) {
    super(
      TuningErrorCode.TRIAL_PRUNED,
      step === null ? `trial ${trialNumber} pruned` : `trial ${trialNumber} pruned at step ${step}`,
    );
    this.name = 'TrialPrunedError';
  }
}
