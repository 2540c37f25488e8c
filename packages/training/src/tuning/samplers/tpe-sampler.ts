import type { Rng } from '@recsys/data';
import { TuningError, TuningErrorCode } from '../errors';
import {
  containsValue,
  fromInternal,
  internalBounds,
  internalCell,
  sampleSearchSpace,
  toInternal,
  validateSearchSpace,
  type CategoricalChoice,
  type CategoricalDimension,
  type Dimension,
  type NumericDimension,
  type TrialParams,
} from '../search-space';
import { compareBest, lastReport, type Direction, type TrialRecord } from '../trial';
import { CategoricalParzenEstimator, NumericParzenEstimator, type ParzenOptions } from './parzen-estimator';
import { checkSeed, proposalRng, type ProposalRequest, type Sampler } from './sampler';

export interface TpeSamplerOptions {
  /** Default 0. */
  seed?: number;
  /** Finished (COMPLETE or PRUNED) trials drawn at random before TPE takes over. Default 10. */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per dimension; the one maximising l(x)/g(x) is proposed. Default 24. */
  nEiCandidates?: number;
  /**
   * Share γ ∈ (0, 1) of the ranked trials that form the good group, n_l = ceil(γ · n) (Bergstra et
   * al. 2011 §4; hyperopt uses 0.25). Default (undefined): Optuna's γ(n) = min(ceil(0.1 · n), 25),
   * which keeps the good group small and sharp on long studies.
   */
  gamma?: number;
  /** Weight of each estimator's prior kernel. Default 1. */
  priorWeight?: number;
  /** Optuna's `consider_magic_clip` lower bound on bandwidths. Default true. */
  magicClip?: boolean;
}

export const DEFAULT_TPE_OPTIONS: Required<Omit<TpeSamplerOptions, 'gamma'>> = {
  seed: 0,
  nStartupTrials: 10,
  nEiCandidates: 24,
  priorWeight: 1,
  magicClip: true,
};

/** Optuna's `default_gamma`: the good group holds min(ceil(0.1 · n), 25) of n ranked trials. */
export function optunaGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Optuna's `default_weights` over n observations in trial order: all 1 when n < 25, otherwise a linear
 * ramp from 1/n up to 1 over the oldest n − 25 and 1 for the latest 25, so stale regions fade.
 */
export function optunaWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const w: number[] = [];
  for (let i = 0; i < ramp; i++) w.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) w.push(1);
  return w;
}

function invalidOption(message: string): TuningError {
  return new TuningError(TuningErrorCode.INVALID_OPTIONS, `TPE sampler: ${message}`);
}

/**
 * Finished trials best first, as Optuna's `_split_trials` ranks them: COMPLETE trials by value; then
 * PRUNED ones by how far they got (largest last step first), then by their value at that step; PRUNED
 * trials that never reported come last. FAILED trials and NaN values are left out.
 */
export function rankTrials(trials: readonly TrialRecord[], direction: Direction): TrialRecord[] {
  const better = compareBest(direction);
  const complete = trials
    .filter((t) => t.state === 'COMPLETE' && typeof t.value === 'number' && !Number.isNaN(t.value))
    .sort((a, b) => better(a.value as number, b.value as number) || a.number - b.number);
  const pruned = trials
    .filter((t) => t.state === 'PRUNED')
    .map((t) => ({ t, last: lastReport(t.intermediate) }))
    .filter(({ last }) => last === undefined || !Number.isNaN(last.value))
    .sort((a, b) => {
      if (a.last === undefined || b.last === undefined) {
        return (a.last === undefined ? 1 : 0) - (b.last === undefined ? 1 : 0) || a.t.number - b.t.number;
      }
      return b.last.step - a.last.step || better(a.last.value, b.last.value) || a.t.number - b.t.number;
    })
    .map(({ t }) => t);
  return [...complete, ...pruned];
}

/** The values of `name` in `group` (in trial-number order) that lie in `dim`, with Optuna's weights. */
function observations(
  group: readonly TrialRecord[],
  name: string,
  dim: Dimension,
): { values: CategoricalChoice[]; weights: number[] } {
  const values = [...group]
    .sort((a, b) => a.number - b.number)
    .map((t) => t.params[name])
    .filter((v): v is CategoricalChoice => containsValue(dim, v));
  return { values, weights: optunaWeights(values.length) };
}

/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kégl 2011, "Algorithms for
 * Hyper-Parameter Optimization", §4; Optuna's `TPESampler` with its univariate defaults).
 *
 * After `nStartupTrials` random proposals, the finished trials are ranked (see `rankTrials`) and split
 * into the best n_l = γ(n) — the "good" group, whose configurations fit l(x) — and the rest, fitting
 * g(x). Expected improvement over the γ-quantile y* is then monotone in l(x)/g(x) (paper, eq. 6:
 * EI ∝ (γ + g(x)/l(x) · (1 − γ))⁻¹), so each dimension independently draws `nEiCandidates` points
 * from l and proposes the one maximising log l(x) − log g(x). Numeric dimensions use truncated-Gaussian
 * Parzen estimators in the internal space (log x on log scales; an integer scored by the mass of its
 * unit cell), categoricals smoothed frequencies (see parzen-estimator.ts). Dimensions are modelled
 * independently, as Optuna's default (`multivariate=False`); running trials are not imputed (no
 * "constant liar"), so parallel proposals differ only through their trial numbers.
 *
 * Deterministic: the same options, history and trial number give the same configuration.
 */
export class TpeSampler implements Sampler {
  readonly options: Readonly<Required<Omit<TpeSamplerOptions, 'gamma'>>> & { gamma?: number };

  constructor(options: TpeSamplerOptions = {}) {
    const d = DEFAULT_TPE_OPTIONS;
    const o = {
      seed: options.seed ?? d.seed,
      nStartupTrials: options.nStartupTrials ?? d.nStartupTrials,
      nEiCandidates: options.nEiCandidates ?? d.nEiCandidates,
      gamma: options.gamma,
      priorWeight: options.priorWeight ?? d.priorWeight,
      magicClip: options.magicClip ?? d.magicClip,
    };
    checkSeed(o.seed);
    if (!Number.isInteger(o.nStartupTrials) || o.nStartupTrials < 0) {
      throw invalidOption(`nStartupTrials must be an integer ≥ 0, got ${o.nStartupTrials}`);
    }
    if (!Number.isInteger(o.nEiCandidates) || o.nEiCandidates < 1) {
      throw invalidOption(`nEiCandidates must be an integer ≥ 1, got ${o.nEiCandidates}`);
    }
    if (o.gamma !== undefined && !(o.gamma > 0 && o.gamma < 1)) {
      throw invalidOption(`gamma must lie in (0, 1), got ${o.gamma}`);
    }
    if (!(o.priorWeight > 0) || !Number.isFinite(o.priorWeight)) {
      throw invalidOption(`priorWeight must be a positive number, got ${o.priorWeight}`);
    }
    this.options = o;
  }

  /** Size of the good group among n ranked trials: at least 1 (when n ≥ 1), at most n. */
  goodCount(n: number): number {
    const g = this.options.gamma;
    const k = g === undefined ? optunaGamma(n) : Math.ceil(g * n);
    return Math.min(n, Math.max(n > 0 ? 1 : 0, k));
  }

  propose(request: ProposalRequest): TrialParams {
    const { space } = request;
    validateSearchSpace(space);
    const rng = proposalRng(this.options.seed, request);
    const ranked = rankTrials(request.trials, request.direction);
    if (ranked.length < this.options.nStartupTrials || ranked.length === 0)
      return sampleSearchSpace(space, rng);

    const nGood = this.goodCount(ranked.length);
    const good = ranked.slice(0, nGood);
    const bad = ranked.slice(nGood);
    const parzen: ParzenOptions = {
      priorWeight: this.options.priorWeight,
      magicClip: this.options.magicClip,
    };
    const params: TrialParams = {};
    for (const name of Object.keys(space)) {
      const dim = space[name];
      params[name] =
        dim.type === 'categorical'
          ? this.proposeCategorical(
              dim,
              observations(good, name, dim),
              observations(bad, name, dim),
              parzen,
              rng,
            )
          : this.proposeNumeric(
              dim,
              observations(good, name, dim),
              observations(bad, name, dim),
              parzen,
              rng,
            );
    }
    return params;
  }

  private proposeNumeric(
    dim: NumericDimension,
    good: { values: CategoricalChoice[]; weights: number[] },
    bad: { values: CategoricalChoice[]; weights: number[] },
    parzen: ParzenOptions,
    rng: Rng,
  ): number {
    const { low, high } = internalBounds(dim);
    const fit = (o: { values: CategoricalChoice[]; weights: number[] }) =>
      NumericParzenEstimator.fit(
        o.values.map((v) => toInternal(dim, v as number)),
        o.weights,
        low,
        high,
        parzen,
      );
    const l = fit(good);
    const g = fit(bad);
    let best = NaN;
    let bestScore = -Infinity;
    for (let c = 0; c < this.options.nEiCandidates; c++) {
      const x = fromInternal(dim, l.sample(rng));
      const cell = internalCell(dim, x);
      const score =
        cell === null
          ? l.logDensity(toInternal(dim, x)) - g.logDensity(toInternal(dim, x))
          : l.logMass(cell.low, cell.high) - g.logMass(cell.low, cell.high);
      if (Number.isNaN(best) || score > bestScore) {
        best = x;
        bestScore = score;
      }
    }
    return best;
  }

  private proposeCategorical(
    dim: CategoricalDimension,
    good: { values: CategoricalChoice[]; weights: number[] },
    bad: { values: CategoricalChoice[]; weights: number[] },
    parzen: ParzenOptions,
    rng: Rng,
  ): CategoricalChoice {
    const index = (v: CategoricalChoice) => dim.choices.indexOf(v);
    const l = CategoricalParzenEstimator.fit(
      good.values.map(index),
      good.weights,
      dim.choices.length,
      parzen,
    );
    const g = CategoricalParzenEstimator.fit(bad.values.map(index), bad.weights, dim.choices.length, parzen);
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < this.options.nEiCandidates; c++) {
      const k = l.sample(rng);
      const score = l.logPmf(k) - g.logPmf(k);
      if (best < 0 || score > bestScore) {
        best = k;
        bestScore = score;
      }
    }
    return dim.choices[best];
  }
}
