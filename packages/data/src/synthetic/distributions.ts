import type { Rng } from '../random/rng';

/** Small samplers over the seeded Rng that the generators share. */

/** Gamma(shape, 1) by Marsaglia and Tsang (2000); shape < 1 through the boost Gamma(a) = Gamma(a+1)·U^(1/a). */
export function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A Dirichlet(alpha) draw written into out[offset .. offset + alpha.length). */
export function dirichletInto(rng: Rng, alpha: readonly number[], out: Float64Array, offset: number): void {
  let total = 0;
  for (let k = 0; k < alpha.length; k++) {
    const g = gamma(rng, alpha[k]);
    out[offset + k] = g;
    total += g;
  }
  for (let k = 0; k < alpha.length; k++)
    out[offset + k] = total > 0 ? out[offset + k] / total : 1 / alpha.length;
}

/** An index drawn with probability proportional to `weights[i]` (linear scan: for short lists). */
export function weightedIndex(rng: Rng, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  let x = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i];
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** exp(mu + sigma·Z). */
export function logNormal(rng: Rng, mu: number, sigma: number): number {
  return Math.exp(mu + sigma * rng.normal());
}

/** A log-uniform draw in [lo, hi). */
export function logUniform(rng: Rng, lo: number, hi: number): number {
  return lo * Math.pow(hi / lo, rng.next());
}

/** Failures before the first success of a Bernoulli(p) process: 0, 1, 2... with mean (1 - p) / p. */
export function geometric(rng: Rng, p: number): number {
  return Math.floor(Math.log(1 - rng.nextFast()) / Math.log(1 - p));
}

/** `x` rounded to `digits` decimals, so the values stored in attributes are the values the simulator uses. */
export function roundTo(x: number, digits: number): number {
  const f = POWERS_OF_TEN[digits] ?? 10 ** digits;
  return Math.round(x * f) / f;
}

const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/** Three significant digits: list prices look like 0.15, 2.5, 15, 0.00375. */
export function roundPrice(usd: number): number {
  return usd <= 0 ? 0 : Number(usd.toPrecision(3));
}
