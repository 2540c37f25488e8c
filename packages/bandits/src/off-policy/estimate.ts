/** Two-sided confidence levels and their standard normal quantiles z = Φ⁻¹(1 − (1 − level)/2). */
export const Z_SCORES = {
  0.9: 1.6448536269514722,
  0.95: 1.959963984540054,
  0.99: 2.5758293035489004,
} as const;
export type ConfidenceLevel = keyof typeof Z_SCORES;

/** An off-policy value estimate with its confidence interval and weight diagnostics. */
export interface OffPolicyEstimate {
  readonly estimator: 'ips' | 'snips' | 'doubly-robust';
  /** The estimated expected reward per decision of the target policy (its CTR for click rewards). */
  readonly value: number;
  readonly standardError: number;
  readonly lower: number;
  readonly upper: number;
  readonly level: ConfidenceLevel;
  /** How the interval was made: normal approximation of a mean (CLT), the delta method, or a bootstrap. */
  readonly interval: 'clt' | 'delta-method' | 'bootstrap';
  /** Logged decisions used. */
  readonly n: number;
  /** Kish's effective sample size (Σw)² / Σw²: how many on-policy samples the estimate is worth. */
  readonly effectiveSampleSize: number;
  /** The largest importance weight π/μ. */
  readonly maxWeight: number;
}

export interface EstimateOptions {
  /** @defaultValue 0.95 */
  readonly level?: ConfidenceLevel;
}

/** The mean of per-decision terms with its CLT standard error s/√n (s the sample standard deviation). */
export function meanAndStandardError(terms: Float64Array): { mean: number; standardError: number } {
  const n = terms.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += terms[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (terms[i] - mean) ** 2;
  return { mean, standardError: n > 1 ? Math.sqrt(squares / (n - 1) / n) : Number.POSITIVE_INFINITY };
}

/** Effective sample size and largest weight. */
export function weightDiagnostics(weights: Float64Array): { effectiveSampleSize: number; maxWeight: number } {
  let sum = 0;
  let squares = 0;
  let maxWeight = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i];
    squares += weights[i] * weights[i];
    if (weights[i] > maxWeight) maxWeight = weights[i];
  }
  return { effectiveSampleSize: squares > 0 ? (sum * sum) / squares : 0, maxWeight };
}
