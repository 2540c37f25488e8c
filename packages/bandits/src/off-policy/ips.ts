import type { LoggedDecision } from '../logging/logged-decision';
import {
  meanAndStandardError,
  weightDiagnostics,
  Z_SCORES,
  type EstimateOptions,
  type OffPolicyEstimate,
} from './estimate';
import { importanceWeights, requireOverlap } from './importance-weights';
import type { TargetPolicy } from './target-policy';

/**
 * Inverse propensity scoring (Horvitz & Thompson 1952; for bandits Li, Chu, Langford & Wang, WSDM 2011):
 *   V̂ = (1/n) Σ wᵢ rᵢ,  wᵢ = π(aᵢ | xᵢ) / μ(aᵢ | xᵢ),
 * unbiased when the logging policy μ gives every action π may take a propensity > 0. Interval: CLT on the
 * per-decision terms wᵢrᵢ, V̂ ± z · s/√n (s their sample standard deviation). NO_OVERLAP when every weight
 * is 0.
 */
export function ips<C, A>(
  log: readonly LoggedDecision<C, A>[],
  target: TargetPolicy<C, A>,
  options: EstimateOptions = {},
): OffPolicyEstimate {
  const level = options.level ?? 0.95;
  const { weights, rewards } = importanceWeights(log, target);
  requireOverlap(weights, 'IPS');
  const terms = new Float64Array(weights.length);
  for (let i = 0; i < terms.length; i++) terms[i] = weights[i] * rewards[i];
  const { mean, standardError } = meanAndStandardError(terms);
  const z = Z_SCORES[level];
  return {
    estimator: 'ips',
    value: mean,
    standardError,
    lower: mean - z * standardError,
    upper: mean + z * standardError,
    level,
    interval: 'clt',
    n: terms.length,
    ...weightDiagnostics(weights),
  };
}
