import type { Rng } from '@recsys/data';
import { checkOption } from '../errors';
import { argmax } from '../exploration/exploration';
import { sampleBeta } from '../random/beta';
import type { ArmStatistics } from './arm-statistics';
import type { ArmSelectionPolicy, ThompsonSamplingConfig } from './policy';

export const THOMPSON_DEFAULTS = { priorAlpha: 1, priorBeta: 1, propensityDraws: 1000 } as const;

/**
 * Beta-Bernoulli Thompson sampling (Thompson 1933; Chapelle & Li 2011; Agrawal & Goyal 2012): arm i's
 * reward rate has posterior Beta(α₀ + Sᵢ, β₀ + Nᵢ − Sᵢ) after Nᵢ pulls with reward sum Sᵢ (rewards in [0, 1]
 * count fractionally); play the arm whose posterior draw is highest.
 *
 * Propensity: P(arm i wins the draw) has no closed form beyond two arms, so it is estimated by Monte Carlo:
 * `propensityDraws` (M) independent rounds of posterior draws, Wᵢ the rounds arm i wins, and
 *   p̂ᵢ = (Wᵢ + 1) / (M + K)   (K arms; add-one smoothing, so no arm's propensity is 0 and an IPS weight
 *                             stays finite; the p̂ᵢ sum to 1),
 * whose standard error is about sqrt(p(1 − p)/M): 0.016 at p = 0.5 with the default M = 1000. The estimate
 * depends only on the counts, so it is cached per statistics object and recomputed only when the counts
 * changed: between two updates (serving, where feedback arrives in batches) a choice costs one round of K
 * Beta draws; right after an update it costs M + 1 rounds. Lower M where that matters more than precision.
 */
export class ThompsonSampling implements ArmSelectionPolicy {
  readonly config: Required<ThompsonSamplingConfig>;
  /** The last propensity estimate of each statistics object, with the counts it was made from. */
  private readonly cache = new WeakMap<
    ArmStatistics,
    { pulls: Float64Array; sums: Float64Array; p: Float64Array }
  >();

  constructor(config: ThompsonSamplingConfig) {
    this.config = { ...THOMPSON_DEFAULTS, ...config };
    const { priorAlpha, priorBeta, propensityDraws } = this.config;
    checkOption(priorAlpha > 0 && Number.isFinite(priorAlpha), 'thompson.priorAlpha must be > 0', priorAlpha);
    checkOption(priorBeta > 0 && Number.isFinite(priorBeta), 'thompson.priorBeta must be > 0', priorBeta);
    checkOption(
      Number.isInteger(propensityDraws) && propensityDraws >= 1,
      'thompson.propensityDraws must be an integer ≥ 1',
      propensityDraws,
    );
  }

  /** Posterior parameters (α, β) of arm i. */
  posterior(stats: ArmStatistics, i: number): { alpha: number; beta: number } {
    return {
      alpha: this.config.priorAlpha + stats.rewardSums[i],
      beta: this.config.priorBeta + stats.pulls[i] - stats.rewardSums[i],
    };
  }

  select(stats: ArmStatistics, rng: Rng): { armIndex: number; propensity: number } {
    const armIndex = this.drawWinner(stats, rng, new Float64Array(stats.size));
    return { armIndex, propensity: this.estimate(stats, rng)[armIndex] };
  }

  /** p̂ᵢ = (Wᵢ + 1)/(M + K) for every arm (a copy). */
  armProbabilities(stats: ArmStatistics, rng: Rng): Float64Array {
    return this.estimate(stats, rng).slice();
  }

  /** The propensity estimate, from the cache while the counts are unchanged. */
  private estimate(stats: ArmStatistics, rng: Rng): Float64Array {
    const cached = this.cache.get(stats);
    if (
      cached !== undefined &&
      sameCounts(cached.pulls, stats.pulls) &&
      sameCounts(cached.sums, stats.rewardSums)
    )
      return cached.p;
    const rounds = this.config.propensityDraws;
    const draws = new Float64Array(stats.size);
    const p = new Float64Array(stats.size).fill(1 / (rounds + stats.size));
    for (let m = 0; m < rounds; m++) p[this.drawWinner(stats, rng, draws)] += 1 / (rounds + stats.size);
    this.cache.set(stats, { pulls: stats.pulls.slice(), sums: stats.rewardSums.slice(), p });
    return p;
  }

  private drawWinner(stats: ArmStatistics, rng: Rng, draws: Float64Array): number {
    const { priorAlpha, priorBeta } = this.config;
    for (let i = 0; i < stats.size; i++)
      draws[i] = sampleBeta(
        rng,
        priorAlpha + stats.rewardSums[i],
        priorBeta + stats.pulls[i] - stats.rewardSums[i],
      );
    return argmax(draws);
  }
}

function sameCounts(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
