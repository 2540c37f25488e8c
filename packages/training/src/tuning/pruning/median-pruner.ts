import { bestOf, isBetter, lastReport, valueAtStep, type Direction, type RunningTrial } from '../trial';
import { checkPrunerInteger, withDefaults, type Pruner, type PrunerTrial } from './pruner';

export interface MedianPrunerOptions {
  /** Completed trials needed before anything is pruned. Default 5. */
  nStartupTrials?: number;
  /** Steps of each trial that are never pruned (steps < nWarmupSteps). Default 0. */
  nWarmupSteps?: number;
  /** Check only at the first report of every `intervalSteps` steps after the warm-up. Default 1. */
  intervalSteps?: number;
  /** Completed trials that must have reported at the step for the median to count. Default 1. */
  nMinTrials?: number;
}

export const DEFAULT_MEDIAN_PRUNER_OPTIONS: Required<MedianPrunerOptions> = {
  nStartupTrials: 5,
  nWarmupSteps: 0,
  intervalSteps: 1,
  nMinTrials: 1,
};

/** The median of a non-empty list (mean of the two middle values for an even count, as numpy). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/**
 * Optuna's `_is_first_in_interval_step`: whether `step` is the first report in its pruning interval,
 * i.e. no earlier report falls at or after the interval's start warmup + ⌊(step − warmup)/interval⌋·interval.
 */
function isFirstInInterval(
  step: number,
  steps: readonly number[],
  warmup: number,
  interval: number,
): boolean {
  const intervalStart = Math.floor((step - warmup) / interval) * interval + warmup;
  let previous = -Infinity;
  for (const s of steps) if (s < step && s > previous) previous = s;
  return previous < intervalStart;
}

/**
 * The median stopping rule (Golovin et al. 2017, "Google Vizier: A Service for Black-Box Optimization",
 * §3.2.2), in Optuna's `MedianPruner` form: at the trial's latest step s, prune when its best
 * intermediate value so far is strictly worse than the median of the values the COMPLETE trials
 * reported at step s. Vizier compares against the median of the completed trials' running averages up
 * to s; Optuna, and this, use the value at s itself, which needs no history beyond one step.
 * Never prunes before `nStartupTrials` trials completed, before step `nWarmupSteps`, off the
 * `intervalSteps` grid, or when fewer than `nMinTrials` completed trials reported at s. A trial whose
 * reports are all NaN is pruned.
 */
export function shouldPruneByMedian(
  trial: RunningTrial,
  trials: readonly PrunerTrial[],
  direction: Direction,
  options: MedianPrunerOptions = {},
): boolean {
  const o = withDefaults(DEFAULT_MEDIAN_PRUNER_OPTIONS, options);
  const last = lastReport(trial.intermediate);
  if (last === undefined) return false;
  const step = last.step;
  const completed = trials.filter((t) => t.state === 'COMPLETE' && t.number !== trial.number);
  if (completed.length < o.nStartupTrials) return false;
  if (step < o.nWarmupSteps) return false;
  const steps = trial.intermediate.map((iv) => iv.step);
  if (!isFirstInInterval(step, steps, o.nWarmupSteps, o.intervalSteps)) return false;
  const best = bestOf(
    trial.intermediate.filter((iv) => iv.step <= step).map((iv) => iv.value),
    direction,
  );
  if (best === null) return true;
  const others: number[] = [];
  for (const t of completed) {
    const v = valueAtStep(t.intermediate, step);
    if (v !== undefined && !Number.isNaN(v)) others.push(v);
  }
  if (others.length < o.nMinTrials || others.length === 0) return false;
  return isBetter(median(others), best, direction);
}

/** `shouldPruneByMedian` with fixed options, as a `Pruner`. */
export class MedianPruner implements Pruner {
  readonly options: Required<MedianPrunerOptions>;

  constructor(options: MedianPrunerOptions = {}) {
    this.options = withDefaults(DEFAULT_MEDIAN_PRUNER_OPTIONS, options);
    checkPrunerInteger('median pruner', 'nStartupTrials', this.options.nStartupTrials, 0);
    checkPrunerInteger('median pruner', 'nWarmupSteps', this.options.nWarmupSteps, 0);
    checkPrunerInteger('median pruner', 'intervalSteps', this.options.intervalSteps, 1);
    checkPrunerInteger('median pruner', 'nMinTrials', this.options.nMinTrials, 1);
  }

  shouldPrune(trial: RunningTrial, trials: readonly PrunerTrial[], direction: Direction): boolean {
    return shouldPruneByMedian(trial, trials, direction, this.options);
  }
}
