import type { Rng } from '@recsys/data';
import { logNormalMass, logNormalPdf, logSumExp } from './normal';

/** How a Parzen estimator is smoothed; Optuna's TPESampler defaults. */
export interface ParzenOptions {
  /** Weight of the prior kernel (numeric: N(mid, range²); categorical: uniform) against observations of weight ≈ 1. */
  priorWeight: number;
  /** Optuna's `consider_magic_clip`: bandwidths at least range / min(100, 1 + kernels). */
  magicClip: boolean;
}

// Module-level aliases for the hot loops (see normal.ts: global lookups are slow inside jest's vm sandbox).
const { log, max, min } = Math;

/** Rejection tries before a truncated-normal draw falls back to clipping (each try succeeds with p ≥ ~0.34). */
const MAX_REJECTIONS = 64;

/**
 * A weighted mixture of Gaussians truncated to [low, high] (one per observation plus a prior kernel),
 * the "adaptive Parzen estimator" of Bergstra et al. 2011, §4.1, with Optuna's univariate bandwidths
 * (`optuna.samplers._tpe.parzen_estimator`, consider_endpoints = False):
 *   μ_k = x_k, and the prior μ_0 = (low + high)/2, σ_0 = high − low;
 *   σ_k = max(x_k − x_(k−1), x_(k+1) − x_k) over the sorted centres with low and high as end points
 *         (the outermost centres use their inner gap only), clipped to
 *         [ (high − low) / min(100, 1 + K), high − low ], K = kernels including the prior;
 *   p(x) = Σ_k w_k φ((x − μ_k)/σ_k) / (σ_k Z_k),  Z_k = Φ((high − μ_k)/σ_k) − Φ((low − μ_k)/σ_k),
 * with mixture weights w_k ∝ the observation weights and the prior weight. All coordinates are the
 * sampler's internal ones (log x on log scales), so the estimator itself is scale-agnostic.
 */
export class NumericParzenEstimator {
  private readonly cumWeights: Float64Array;
  /** Per kernel: log w_k − log σ_k − log Z_k (density) and log w_k − log Z_k (mass). */
  private readonly densityOffsets: Float64Array;
  private readonly massOffsets: Float64Array;
  private readonly invSigmas: Float64Array;
  /** Scratch for the per-kernel log terms of one evaluation. */
  private readonly terms: Float64Array;

  private constructor(
    readonly mus: Float64Array,
    readonly sigmas: Float64Array,
    weights: Float64Array,
    readonly low: number,
    readonly high: number,
  ) {
    const n = mus.length;
    let total = 0;
    for (let k = 0; k < n; k++) total += weights[k];
    this.cumWeights = new Float64Array(n);
    this.densityOffsets = new Float64Array(n);
    this.massOffsets = new Float64Array(n);
    this.invSigmas = new Float64Array(n);
    this.terms = new Float64Array(n);
    let cum = 0;
    for (let k = 0; k < n; k++) {
      const w = weights[k] / total;
      cum += w;
      this.cumWeights[k] = cum;
      const logNorm = logNormalMass((low - mus[k]) / sigmas[k], (high - mus[k]) / sigmas[k]);
      this.massOffsets[k] = log(w) - logNorm;
      this.densityOffsets[k] = this.massOffsets[k] - log(sigmas[k]);
      this.invSigmas[k] = 1 / sigmas[k];
    }
  }

  /** Fits the estimator to `observations` (internal coordinates in [low, high]) with per-observation `weights`. */
  static fit(
    observations: readonly number[],
    weights: readonly number[],
    low: number,
    high: number,
    options: ParzenOptions,
  ): NumericParzenEstimator {
    const n = observations.length;
    const range = high - low;
    const priorMu = 0.5 * (low + high);
    const centres = [...observations, priorMu];
    const order = centres.map((_, i) => i).sort((a, b) => centres[a] - centres[b] || a - b);
    const ends = [low, ...order.map((i) => centres[i]), high];
    const sortedSigmas = order.map((_, j) => max(ends[j + 1] - ends[j], ends[j + 2] - ends[j + 1]));
    if (ends.length >= 4) {
      sortedSigmas[0] = ends[2] - ends[1];
      sortedSigmas[sortedSigmas.length - 1] = ends[ends.length - 2] - ends[ends.length - 3];
    }
    const minSigma = options.magicClip ? range / min(100, 1 + centres.length) : range * 1e-12;
    const sigmas = new Float64Array(n + 1);
    order.forEach((i, j) => {
      sigmas[i] = min(range, max(minSigma, sortedSigmas[j]));
    });
    sigmas[n] = range;
    const w = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) w[i] = weights[i];
    w[n] = options.priorWeight;
    return new NumericParzenEstimator(Float64Array.from(centres), sigmas, w, low, high);
  }

  /** One draw: a kernel by weight, then its truncated Gaussian (by rejection; clipped after MAX_REJECTIONS). */
  sample(rng: Rng): number {
    const u = rng.next();
    let k = 0;
    while (k < this.cumWeights.length - 1 && u >= this.cumWeights[k]) k++;
    const mu = this.mus[k];
    const sigma = this.sigmas[k];
    for (let t = 0; t < MAX_REJECTIONS; t++) {
      const x = mu + sigma * rng.normal();
      if (x >= this.low && x <= this.high) return x;
    }
    return min(this.high, max(this.low, mu));
  }

  /** log p(x), the mixture's log density at internal coordinate x. */
  logDensity(x: number): number {
    const terms = this.terms;
    for (let k = 0; k < terms.length; k++) {
      terms[k] = this.densityOffsets[k] + logNormalPdf((x - this.mus[k]) * this.invSigmas[k]);
    }
    return logSumExp(terms);
  }

  /** log P(a ≤ x ≤ b), the mixture's log mass of an interval (an integer's cell). */
  logMass(a: number, b: number): number {
    const terms = this.terms;
    for (let k = 0; k < terms.length; k++) {
      const inv = this.invSigmas[k];
      terms[k] = this.massOffsets[k] + logNormalMass((a - this.mus[k]) * inv, (b - this.mus[k]) * inv);
    }
    return logSumExp(terms);
  }
}

/**
 * Smoothed, weighted category frequencies with a uniform prior (Bergstra et al. 2011, §4.1: "the
 * posterior of a categorical prior after observing the points"):
 *   p(c) = (Σ_i w_i [x_i = c] + priorWeight / C) / (Σ_i w_i + priorWeight).
 * Optuna spreads the prior over every kernel instead of adding one uniform kernel; the two agree up to
 * how much the prior weighs, and both leave every category a positive probability.
 */
export class CategoricalParzenEstimator {
  private constructor(readonly probs: Float64Array) {}

  static fit(
    indices: readonly number[],
    weights: readonly number[],
    nChoices: number,
    options: ParzenOptions,
  ): CategoricalParzenEstimator {
    const probs = new Float64Array(nChoices).fill(options.priorWeight / nChoices);
    let total = options.priorWeight;
    indices.forEach((c, i) => {
      probs[c] += weights[i];
      total += weights[i];
    });
    for (let c = 0; c < nChoices; c++) probs[c] /= total;
    return new CategoricalParzenEstimator(probs);
  }

  sample(rng: Rng): number {
    let u = rng.next();
    for (let c = 0; c < this.probs.length - 1; c++) {
      u -= this.probs[c];
      if (u < 0) return c;
    }
    return this.probs.length - 1;
  }

  logPmf(c: number): number {
    return log(this.probs[c]);
  }
}
