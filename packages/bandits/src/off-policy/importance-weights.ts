import { BanditError } from '../errors';
import { checkLoggedDecision, type LoggedDecision } from '../logging/logged-decision';
import type { TargetPolicy } from './target-policy';

/** Importance weights wᵢ = π(actionsᵢ | contextᵢ) / μᵢ and rewards of a checked log. */
export interface WeightedLog {
  readonly weights: Float64Array;
  readonly rewards: Float64Array;
}

/**
 * Checks every logged decision (INVALID_LOG naming the first bad one, empty logs included) and the target's
 * probabilities (INVALID_OPTIONS when one is not in [0, 1]), and computes the weights.
 */
export function importanceWeights<C, A>(
  log: readonly LoggedDecision<C, A>[],
  target: TargetPolicy<C, A>,
): WeightedLog {
  if (!Array.isArray(log) || log.length === 0)
    throw new BanditError('INVALID_LOG', 'off-policy evaluation needs a non-empty array of logged decisions');
  const weights = new Float64Array(log.length);
  const rewards = new Float64Array(log.length);
  log.forEach((decision, i) => {
    checkLoggedDecision(decision, i);
    const p = target.probability(decision.context, decision.actions);
    if (!(p >= 0 && p <= 1))
      throw new BanditError(
        'INVALID_OPTIONS',
        `target policy gave probability ${String(p)} for logged decision #${i} (must lie in [0, 1])`,
      );
    weights[i] = p / decision.propensity;
    rewards[i] = decision.reward;
  });
  return { weights, rewards };
}

/** NO_OVERLAP when every weight is 0: the log says nothing about the target policy (its interval would be [0, 0]). */
export function requireOverlap(weights: Float64Array, estimator: string): void {
  for (let i = 0; i < weights.length; i++) if (weights[i] > 0) return;
  throw new BanditError(
    'NO_OVERLAP',
    `${estimator}: the target policy gives probability 0 to every logged action (log with more exploration)`,
  );
}
