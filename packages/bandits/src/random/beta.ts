import { sampleGamma, type Rng } from '@recsys/data';

/**
 * A Beta(alpha, beta) draw as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta), both from the seeded Rng
 * through @recsys/data's Marsaglia–Tsang sampler (shapes below 1 use its boost). alpha, beta > 0.
 */
export function sampleBeta(rng: Rng, alpha: number, beta: number): number {
  const x = sampleGamma(rng, alpha);
  const y = sampleGamma(rng, beta);
  // Both underflow to 0 only for tiny shapes; the mean is the best answer then.
  return x + y > 0 ? x / (x + y) : alpha / (alpha + beta);
}
