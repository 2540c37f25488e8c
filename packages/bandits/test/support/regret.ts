import type { Rng } from '@recsys/data';
import { bestArmOfSegment, type MarketplaceBanditProblem } from './marketplace-arms';

/** A way of picking an arm for a user of a segment, learning (or not) from the click it gets. */
export interface ArmPicker {
  pick(segment: number): number;
  learn(segment: number, arm: number, reward: number): void;
}

/**
 * Runs `horizon` rounds: a user drawn uniformly, the picker's arm, a click with the user's true probability.
 * Returns the cumulative (pseudo-)regret Σ_t μ*(g_t) − μ(g_t, a_t), μ the true segment means, μ* the best
 * arm's in that segment. `environment` draws users and clicks, two numbers a round whatever the arm, so every
 * picker given the same seed meets the same users.
 */
export function cumulativeRegret(
  problem: MarketplaceBanditProblem,
  picker: ArmPicker,
  horizon: number,
  environment: Rng,
): number {
  const A = problem.arms.length;
  const best = problem.segments.map((_, g) => problem.segmentArm[g * A + bestArmOfSegment(problem, g)]);
  let regret = 0;
  for (let t = 0; t < horizon; t++) {
    const u = environment.int(problem.users);
    const coin = environment.next();
    const g = problem.segmentOf[u];
    const a = picker.pick(g);
    regret += best[g] - problem.segmentArm[g * A + a];
    picker.learn(g, a, coin < problem.userArm[u * A + a] ? 1 : 0);
  }
  return regret;
}
