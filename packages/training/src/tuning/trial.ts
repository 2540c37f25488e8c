import type { TrialParams } from './search-space';

/** Whether larger (NDCG, recall) or smaller (RMSE, loss) objective values are better. */
export type Direction = 'maximize' | 'minimize';

/** How a trial ended. Running trials are not recorded: samplers see finished trials only. */
export type TrialState = 'COMPLETE' | 'PRUNED' | 'FAILED';

/** An objective value reported part-way through a trial (after an epoch, on a growing budget). */
export interface IntermediateValue {
  step: number;
  value: number;
}

/**
 * One finished trial, as stored in a job's result or a study file: plain JSON throughout.
 * `value` is the objective for COMPLETE, the last intermediate value (or null) for PRUNED (as Optuna's
 * `tell`), and null for FAILED.
 */
export interface TrialRecord {
  number: number;
  params: TrialParams;
  value: number | null;
  state: TrialState;
  intermediate: IntermediateValue[];
  /** FAILED only: what went wrong. */
  error?: string;
}

/** A trial still running, as a pruner sees it. */
export interface RunningTrial {
  number: number;
  intermediate: readonly IntermediateValue[];
}

/** Whether objective value `a` is strictly better than `b`. */
export function isBetter(a: number, b: number, direction: Direction): boolean {
  return direction === 'maximize' ? a > b : a < b;
}

/** Sort comparator putting better objective values first. */
export function compareBest(direction: Direction): (a: number, b: number) => number {
  return direction === 'maximize' ? (a, b) => b - a : (a, b) => a - b;
}

/** The best of `values` (largest when maximising); null when empty. NaN values are ignored. */
export function bestOf(values: Iterable<number>, direction: Direction): number | null {
  let best: number | null = null;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (best === null || isBetter(v, best, direction)) best = v;
  }
  return best;
}

/** A COMPLETE trial with a finite value: the only kind that can be "best". */
export function isCompleteWithValue(t: TrialRecord): t is TrialRecord & { value: number } {
  return t.state === 'COMPLETE' && typeof t.value === 'number' && Number.isFinite(t.value);
}

/**
 * The best COMPLETE trial (ties: the lower number, i.e. the earlier one); null when none completed.
 */
export function bestTrial(trials: readonly TrialRecord[], direction: Direction): TrialRecord | null {
  let best: (TrialRecord & { value: number }) | null = null;
  for (const t of trials) {
    if (!isCompleteWithValue(t)) continue;
    if (
      best === null ||
      isBetter(t.value, best.value, direction) ||
      (t.value === best.value && t.number < best.number)
    ) {
      best = t;
    }
  }
  return best;
}

/** The value reported at exactly `step`, or undefined. */
export function valueAtStep(intermediate: readonly IntermediateValue[], step: number): number | undefined {
  for (const iv of intermediate) if (iv.step === step) return iv.value;
  return undefined;
}

/** The report with the largest step, or undefined when there is none. */
export function lastReport(intermediate: readonly IntermediateValue[]): IntermediateValue | undefined {
  let last: IntermediateValue | undefined;
  for (const iv of intermediate) if (last === undefined || iv.step > last.step) last = iv;
  return last;
}
