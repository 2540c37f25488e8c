import type { Interval } from '../contract';
import { twoSidedCritical } from './normal';

/**
 * The Wilson score interval of a proportion (Wilson 1927): with p̂ = x/n and z the two-sided critical
 * value, (p̂ + z²/2n ± z·√(p̂(1-p̂)/n + z²/4n²)) / (1 + z²/n). Unlike the Wald interval it stays inside
 * [0, 1] and does not collapse at 0 or n successes. No trials: [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, alpha = 0.05): Interval {
  checkCounts(successes, trials);
  if (trials === 0) return { low: 0, high: 1 };
  const z = twoSidedCritical(alpha);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const center = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))) / (1 + z2n);
  // At 0 (n) successes the bound is exactly 0 (1); rounding would leave 1e-17 off.
  return {
    low: successes === 0 ? 0 : Math.max(0, center - half),
    high: successes === trials ? 1 : Math.min(1, center + half),
  };
}

/** Counts must be whole, non-negative, and successes no more than trials. */
export function checkCounts(successes: number, trials: number): void {
  if (!(Number.isInteger(successes) && Number.isInteger(trials) && successes >= 0 && successes <= trials)) {
    throw new RangeError(`need whole counts with 0 <= successes <= trials, got ${successes}/${trials}`);
  }
}
