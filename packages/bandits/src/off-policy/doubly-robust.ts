import { BanditError } from '../errors';
import type { LoggedDecision } from '../logging/logged-decision';
import {
  meanAndStandardError,
  weightDiagnostics,
  Z_SCORES,
  type EstimateOptions,
  type OffPolicyEstimate,
} from './estimate';
import { importanceWeights } from './importance-weights';
import type { ActionDistributionPolicy } from './target-policy';

/** A reward model q̂(x, a): the predicted reward of action a in context x (e.g. a CTR model). */
export type RewardModel<C, A> = (context: C, action: A) => number;

/**
 * Doubly robust estimator (Dudík, Langford & Li, ICML 2011), for single-choice decisions:
 *   V̂ = (1/n) Σ [ Σ_a π(a | xᵢ) q̂(xᵢ, a) + wᵢ (rᵢ − q̂(xᵢ, aᵢ)) ],
 * unbiased when either the propensities or the reward model are right, and lower in variance than IPS when
 * q̂ is good. Interval: CLT on the per-decision terms.
 */
export function doublyRobust<C, A>(
  log: readonly LoggedDecision<C, A>[],
  target: ActionDistributionPolicy<C, A>,
  rewardModel: RewardModel<C, A>,
  options: EstimateOptions = {},
): OffPolicyEstimate {
  const level = options.level ?? 0.95;
  const { weights, rewards } = importanceWeights(log, target);
  const terms = new Float64Array(log.length);
  log.forEach((decision, i) => {
    if (decision.actions.length !== 1)
      throw new BanditError(
        'INVALID_LOG',
        `logged decision #${i}: the doubly robust estimator takes single-choice decisions, got a list of ${decision.actions.length}`,
      );
    let direct = 0;
    for (const [action, probability] of target.distribution(decision.context))
      direct += probability * predicted(rewardModel, decision.context, action, i);
    const residual = rewards[i] - predicted(rewardModel, decision.context, decision.actions[0], i);
    terms[i] = direct + weights[i] * residual;
  });
  const { mean, standardError } = meanAndStandardError(terms);
  const z = Z_SCORES[level];
  return {
    estimator: 'doubly-robust',
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

function predicted<C, A>(model: RewardModel<C, A>, context: C, action: A, i: number): number {
  const q = model(context, action);
  if (!Number.isFinite(q))
    throw new BanditError('INVALID_OPTIONS', `reward model gave ${String(q)} for logged decision #${i}`);
  return q;
}
