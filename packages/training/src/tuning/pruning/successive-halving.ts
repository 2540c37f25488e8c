import { TuningError, TuningErrorCode } from '../errors';
import {
  compareBest,
  isBetter,
  lastReport,
  type Direction,
  type IntermediateValue,
  type RunningTrial,
} from '../trial';
import { checkPrunerInteger, withDefaults, type Pruner, type PrunerTrial } from './pruner';

export interface SuccessiveHalvingOptions {
  /** r: the resource (step) of the first rung. Default 1. */
  minResource?: number;
  /** η: rung k sits at r · η^(s + k), and the best 1/η of a rung go on to the next. Default 4 (Optuna). */
  reductionFactor?: number;
  /** s: skips the first s rungs (ASHA's "minimum early-stopping rate"). Default 0. */
  minEarlyStoppingRate?: number;
}

export const DEFAULT_SUCCESSIVE_HALVING_OPTIONS: Required<SuccessiveHalvingOptions> = {
  minResource: 1,
  reductionFactor: 4,
  minEarlyStoppingRate: 0,
};

/** What one report means for a trial under ASHA. */
export interface SuccessiveHalvingDecision {
  prune: boolean;
  /** The rung judged at this report (the highest one it crossed), or null when it crossed none. */
  rung: number | null;
}

function resolve(options: SuccessiveHalvingOptions): Required<SuccessiveHalvingOptions> {
  const o = withDefaults(DEFAULT_SUCCESSIVE_HALVING_OPTIONS, options);
  if (!(o.minResource > 0) || !Number.isFinite(o.minResource)) {
    throw new TuningError(
      TuningErrorCode.INVALID_OPTIONS,
      `successive halving: minResource must be a positive number, got ${o.minResource}`,
    );
  }
  checkPrunerInteger('successive halving', 'reductionFactor', o.reductionFactor, 2);
  checkPrunerInteger('successive halving', 'minEarlyStoppingRate', o.minEarlyStoppingRate, 0);
  return o;
}

/** The step at which rung k is reached: r · η^(s + k). */
export function rungStep(rung: number, options: SuccessiveHalvingOptions = {}): number {
  const o = resolve(options);
  return o.minResource * o.reductionFactor ** (o.minEarlyStoppingRate + rung);
}

/** A trial's value at rung k: what it reported at its first step ≥ the rung's step; undefined before. */
export function rungValue(
  intermediate: readonly IntermediateValue[],
  rung: number,
  options: SuccessiveHalvingOptions = {},
): number | undefined {
  const at = rungStep(rung, options);
  let first: IntermediateValue | undefined;
  for (const iv of intermediate)
    if (iv.step >= at && (first === undefined || iv.step < first.step)) first = iv;
  return first?.value;
}

/**
 * Whether `value` is in the top 1/η of `competitors` (which include it), as Optuna's
 * `_is_trial_promotable_to_next_rung`: it must be at least as good as the ⌊n/η⌋-th best. With fewer than
 * η competitors that would promote nobody, and trials cannot be paused for later promotion, so
 * only the best so far goes on.
 */
export function isPromotable(
  value: number,
  competitors: readonly number[],
  reductionFactor: number,
  direction: Direction,
): boolean {
  if (Number.isNaN(value)) return false;
  const sorted = competitors.filter((v) => !Number.isNaN(v)).sort(compareBest(direction));
  if (sorted.length === 0) return true;
  const k = Math.max(0, Math.floor(sorted.length / reductionFactor) - 1);
  return !isBetter(sorted[Math.min(k, sorted.length - 1)], value, direction);
}

/**
 * Asynchronous successive halving (Li et al. 2018, "A System for Massively Parallel Hyperparameter
 * Tuning", ASHA; Optuna's `SuccessiveHalvingPruner`). Rungs sit at steps r · η^(s+k). When a report
 * carries the trial across rung k (its previous report was below the rung's step), the trial competes
 * with every other trial that has reached rung k, on their rung-k values (`rungValue`): it goes on when
 * in the top 1/η (`isPromotable`), otherwise it is pruned. A report that crosses no rung never prunes, so
 * a promotion, once granted, is never revisited as later trials arrive. Competitors may be running,
 * complete or pruned: reaching the rung is what counts.
 */
export function successiveHalvingDecision(
  trial: RunningTrial,
  trials: readonly PrunerTrial[],
  direction: Direction,
  options: SuccessiveHalvingOptions = {},
): SuccessiveHalvingDecision {
  const o = resolve(options);
  const last = lastReport(trial.intermediate);
  if (last === undefined || !Number.isFinite(last.step)) return { prune: false, rung: null };
  let previous = -Infinity;
  for (const iv of trial.intermediate) if (iv.step < last.step && iv.step > previous) previous = iv.step;
  let judged: number | null = null;
  for (let k = 0; rungStep(k, o) <= last.step; k++) {
    if (rungStep(k, o) <= previous) continue;
    judged = k;
    if (Number.isNaN(last.value)) return { prune: true, rung: k };
    const competitors = [last.value];
    for (const t of trials) {
      if (t.number === trial.number) continue;
      const v = rungValue(t.intermediate, k, o);
      if (v !== undefined) competitors.push(v);
    }
    if (!isPromotable(last.value, competitors, o.reductionFactor, direction)) return { prune: true, rung: k };
  }
  return { prune: false, rung: judged };
}

/**
 * The synchronous view of one rung: of the trials with a rung-k value, the numbers of the best
 * max(1, ⌊n/η⌋) (ties: the lower number), i.e. those successive halving would run on to rung k + 1.
 */
export function promotedAtRung(
  trials: readonly PrunerTrial[],
  rung: number,
  direction: Direction,
  options: SuccessiveHalvingOptions = {},
): number[] {
  const o = resolve(options);
  const better = compareBest(direction);
  const reached = trials
    .map((t) => ({ number: t.number, value: rungValue(t.intermediate, rung, o) }))
    .filter((r): r is { number: number; value: number } => r.value !== undefined && !Number.isNaN(r.value))
    .sort((a, b) => better(a.value, b.value) || a.number - b.number);
  const keep = Math.max(1, Math.floor(reached.length / o.reductionFactor));
  return reached.slice(0, keep).map((r) => r.number);
}

/** `successiveHalvingDecision` with fixed options, as a `Pruner`. */
export class SuccessiveHalvingPruner implements Pruner {
  readonly options: Required<SuccessiveHalvingOptions>;

  constructor(options: SuccessiveHalvingOptions = {}) {
    this.options = resolve(options);
  }

  shouldPrune(trial: RunningTrial, trials: readonly PrunerTrial[], direction: Direction): boolean {
    return successiveHalvingDecision(trial, trials, direction, this.options).prune;
  }
}
