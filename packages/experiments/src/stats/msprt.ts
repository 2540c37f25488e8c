import type { Interval } from '../contract';
import { checkCounts } from './wilson-interval';

/**
 * The standard deviation τ of the normal mixture over effect sizes (absolute differences of rates): the
 * test is most powerful for effects around τ to a few τ. 0.01 suits click-through rates of a few percent
 * to a few tens of percent; any fixed τ keeps the test valid, a badly chosen one only costs power.
 */
export const DEFAULT_MIXING_SD = 0.01;

export interface SequentialTestResult {
  /** Treatment rate minus control rate. */
  difference: number;
  /** The mixture likelihood ratio Λₙ (as its logarithm, which does not overflow). */
  logLikelihoodRatio: number;
  /** min(1, 1/Λₙ): P(∃n: p ≤ α) ≤ α under H0, however often it is read. */
  pValue: number;
  /** {θ : Λₙ(θ) < 1/α}: covers the true difference at every n at once with probability ≥ 1 - α. */
  interval: Interval;
}

/** A rate for the variance only, (x + ½)/(n + 1): 0 or n successes do not claim zero variance. */
function smoothedRate(successes: number, trials: number): number {
  return (successes + 0.5) / (trials + 1);
}

/**
 * The mixture sequential probability ratio test (mSPRT) of H0: p₁ = p₂ for two proportions, after
 * Johari, Koomen, Pekelis, Walsh, "Peeking at A/B tests" (KDD 2017) / "Always valid inference" (OR 2022):
 * with d = p̂₂ - p̂₁ ≈ N(θ, V), V = p̃₁(1-p̃₁)/n₁ + p̃₂(1-p̃₂)/n₂, and θ ~ N(0, τ²) under the alternative,
 *
 *   Λₙ = √(V / (V + τ²)) · exp(τ² d² / (2 V (V + τ²))),   p = min(1, 1/Λₙ).
 *
 * Ville's inequality makes {p ≤ α} a level-α test at any number of looks: the peeking guard. The
 * always-valid interval inverts the same ratio: d ± √(V (V + τ²)/τ² · (2 ln(1/α) + ln((V + τ²)/V))).
 * (This is 1/Λₙ at the current n, not the running minimum over past n, which would need every past
 * look: rejecting whenever it is ≤ α is still valid, only a little more conservative.)
 */
export function sequentialTwoProportionTest(
  controlSuccesses: number,
  controlTrials: number,
  treatmentSuccesses: number,
  treatmentTrials: number,
  alpha = 0.05,
  mixingSd = DEFAULT_MIXING_SD,
): SequentialTestResult {
  checkCounts(controlSuccesses, controlTrials);
  checkCounts(treatmentSuccesses, treatmentTrials);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(mixingSd > 0 && Number.isFinite(mixingSd)))
    throw new RangeError(`mixingSd must be positive, got ${mixingSd}`);
  if (controlTrials === 0 || treatmentTrials === 0) {
    return { difference: 0, logLikelihoodRatio: 0, pValue: 1, interval: { low: -1, high: 1 } };
  }
  const difference = treatmentSuccesses / treatmentTrials - controlSuccesses / controlTrials;
  const q1 = smoothedRate(controlSuccesses, controlTrials);
  const q2 = smoothedRate(treatmentSuccesses, treatmentTrials);
  const v = (q1 * (1 - q1)) / controlTrials + (q2 * (1 - q2)) / treatmentTrials;
  const tau2 = mixingSd * mixingSd;
  const logLikelihoodRatio =
    0.5 * Math.log(v / (v + tau2)) + (tau2 * difference * difference) / (2 * v * (v + tau2));
  const half = Math.sqrt(((v * (v + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log((v + tau2) / v)));
  return {
    difference,
    logLikelihoodRatio,
    pValue: Math.min(1, Math.exp(-logLikelihoodRatio)),
    interval: { low: Math.max(-1, difference - half), high: Math.min(1, difference + half) },
  };
}
