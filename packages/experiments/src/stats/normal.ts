import { jStat } from 'jstat';

/** Φ(x), the standard normal CDF. */
export function normalCdf(x: number): number {
  return jStat.normal.cdf(x, 0, 1);
}

/** P(Z > x) = erfc(x/√2)/2, without the cancellation of 1 - Φ(x) far in the tail. */
export function normalUpperTail(x: number): number {
  return 0.5 * jStat.erfc(x / Math.SQRT2);
}

/** Φ⁻¹(p), the standard normal quantile. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  return jStat.normal.inv(p, 0, 1);
}

/** The two-sided critical value z with P(|Z| > z) = alpha (1.959964 for alpha 0.05). */
export function twoSidedCritical(alpha: number): number {
  return normalQuantile(1 - alpha / 2);
}
