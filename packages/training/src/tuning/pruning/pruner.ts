import { TuningError, TuningErrorCode } from '../errors';
import type { Direction, RunningTrial, TrialState } from '../trial';

/**
 * A trial as pruners see it: its reports, and its state once finished (absent while it runs).
 * A `TrialRecord` is one.
 */
export interface PrunerTrial extends RunningTrial {
  state?: TrialState;
}

/**
 * Decides, after a trial's latest report, whether to stop it. Pure: the answer depends only on the
 * options, the trial's reports and the other trials' reports, so the parent job can ask it with the
 * stored histories and a child can ask it in-process alike.
 */
export interface Pruner {
  shouldPrune(trial: RunningTrial, trials: readonly PrunerTrial[], direction: Direction): boolean;
}

export function checkPrunerInteger(pruner: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new TuningError(
      TuningErrorCode.INVALID_OPTIONS,
      `${pruner}: ${name} must be an integer ≥ ${min}, got ${value}`,
    );
  }
}

/** `options` over `defaults`, ignoring keys set to undefined. */
export function withDefaults<T extends object>(defaults: Required<T>, options: T): Required<T> {
  const out: Required<T> = { ...defaults };
  for (const key of Object.keys(options) as (keyof T)[]) {
    const v = options[key];
    if (v !== undefined) out[key] = v as Required<T>[keyof T];
  }
  return out;
}
