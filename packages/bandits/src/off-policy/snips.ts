import type { Rng } from '@recsys/data';
import { checkOption } from '../errors';
import type { LoggedDecision } from '../logging/logged-decision';
import { weightDiagnostics, Z_SCORES, type EstimateOptions, type OffPolicyEstimate } from './estimate';
import { importanceWeights, requireOverlap } from './importance-weights';
import type { TargetPolicy } from './target-policy';

export interface SnipsOptions extends EstimateOptions {
  /**
   * A percentile bootstrap interval over `resamples` resamples of the log drawn from `rng`, instead of the
   * delta method. Costs resamples × n.
   */
  readonly bootstrap?: { readonly resamples: number; readonly rng: Rng };
}

/**
 * Self-normalised IPS (Swaminathan & Joachims, NeurIPS 2015): V̂ = Σ wᵢrᵢ / Σ wᵢ. Slightly biased,
 * much lower variance than IPS when weights are large; never outside the range of the rewards.
 * Interval by the delta method on the ratio of means: Var(V̂) ≈ (1/n) E[w²(r − V)²] / E[w]², so
 *   SE = sqrt(Σ wᵢ²(rᵢ − V̂)²) / Σ wᵢ,  V̂ ± z·SE;
 * or a percentile bootstrap (option). NO_OVERLAP when every weight is 0.
 */
export function snips<C, A>(
  log: readonly LoggedDecision<C, A>[],
  target: TargetPolicy<C, A>,
  options: SnipsOptions = {},
): OffPolicyEstimate {
  const level = options.level ?? 0.95;
  const { weights, rewards } = importanceWeights(log, target);
  requireOverlap(weights, 'SNIPS');
  const value = ratio(weights, rewards);
  let squares = 0;
  let weightSum = 0;
  for (let i = 0; i < weights.length; i++) {
    squares += weights[i] ** 2 * (rewards[i] - value) ** 2;
    weightSum += weights[i];
  }
  const standardError = Math.sqrt(squares) / weightSum;
  const common = {
    estimator: 'snips' as const,
    value,
    standardError,
    level,
    n: weights.length,
    ...weightDiagnostics(weights),
  };
  if (options.bootstrap !== undefined) {
    const [lower, upper] = bootstrapInterval(weights, rewards, level, options.bootstrap);
    return { ...common, lower, upper, interval: 'bootstrap' };
  }
  const z = Z_SCORES[level];
  return {
    ...common,
    lower: value - z * standardError,
    upper: value + z * standardError,
    interval: 'delta-method',
  };
}

function ratio(weights: Float64Array, rewards: Float64Array): number {
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < weights.length; i++) {
    numerator += weights[i] * rewards[i];
    denominator += weights[i];
  }
  return numerator / denominator;
}

/** Percentile bootstrap of SNIPS; resamples whose weights are all 0 are skipped (they have no value). */
function bootstrapInterval(
  weights: Float64Array,
  rewards: Float64Array,
  level: keyof typeof Z_SCORES,
  { resamples, rng }: { resamples: number; rng: Rng },
): [number, number] {
  checkOption(
    Number.isInteger(resamples) && resamples >= 10,
    'bootstrap.resamples must be an integer ≥ 10',
    resamples,
  );
  const n = weights.length;
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let numerator = 0;
    let denominator = 0;
    for (let k = 0; k < n; k++) {
      const i = rng.int(n);
      numerator += weights[i] * rewards[i];
      denominator += weights[i];
    }
    if (denominator > 0) values.push(numerator / denominator);
  }
  values.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return [quantileSorted(values, tail), quantileSorted(values, 1 - tail)];
}

/** Linear-interpolation quantile of sorted values (numpy's default). */
function quantileSorted(sorted: readonly number[], q: number): number {
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
}
