import { Rng } from '@recsys/data';
import {
  deterministicPolicy,
  doublyRobust,
  ips,
  sampleSlate,
  servedDecision,
  snips,
  withReward,
  type Exploration,
  type LoggedDecision,
  type OffPolicyEstimate,
} from '../../src';
import { bestArmOfSegment, bestArmOnAverage, marketplaceBanditProblem } from './marketplace-arms';

export interface CoverageOptions {
  /** Seeds 1..seeds; each builds its own marketplace and log. */
  readonly seeds: number;
  /** Logged decisions per seed. */
  readonly logSize: number;
  /** Exploration of the logging policy around the production model. */
  readonly epsilon: number;
  readonly users?: number;
  readonly services?: number;
}

export interface CoverageResult {
  /** Seeds whose 95% interval holds the true CTR of the target policy, per estimator. */
  readonly covered: { ips: number; snips: number; doublyRobust: number };
  readonly meanWidth: { ips: number; snips: number; doublyRobust: number };
  readonly meanTrueCtr: number;
  readonly meanEffectiveSampleSize: number;
}

/**
 * The off-policy check of issue #7 on the synthetic marketplace. Per seed:
 * - contexts: users drawn uniformly; actions: the five rankers of marketplaceBanditProblem;
 * - logging policy: epsilon-greedy around the best-on-average ranker (the production model), its exact
 *   propensities logged with every decision; the reward is a click with the user's true probability;
 * - target policy: the per-segment best ranker (deterministic; what a segmented bandit converges to);
 * - truth: the target's exact expected CTR, the mean over all users of the true click probability of the
 *   ranker it picks for them (contexts are uniform over users).
 * The doubly robust estimate uses the crude reward model "each ranker's mean click rate in the log".
 */
export function offPolicyCoverage(options: CoverageOptions): CoverageResult {
  const covered = { ips: 0, snips: 0, doublyRobust: 0 };
  const width = { ips: 0, snips: 0, doublyRobust: 0 };
  let truthSum = 0;
  let essSum = 0;
  for (let seed = 1; seed <= options.seeds; seed++) {
    const problem = marketplaceBanditProblem(seed, options.users ?? 500, options.services ?? 60);
    const A = problem.arms.length;
    const best = problem.segments.map((_, g) => bestArmOfSegment(problem, g));
    let truth = 0;
    for (let u = 0; u < problem.users; u++)
      truth += problem.userArm[u * A + best[problem.segmentOf[u]]] / problem.users;

    const rng = new Rng(seed).fork(11);
    const production = new Float64Array(A);
    production[bestArmOnAverage(problem)] = 1;
    const logging: Exploration = { kind: 'epsilon-greedy', epsilon: options.epsilon };
    const log: LoggedDecision<number>[] = [];
    const clicks = new Float64Array(A);
    const shown = new Float64Array(A);
    for (let i = 0; i < options.logSize; i++) {
      const user = rng.int(problem.users);
      const { indices, propensities } = sampleSlate(production, 1, logging, rng);
      const a = indices[0];
      const reward = rng.next() < problem.userArm[user * A + a] ? 1 : 0;
      log.push(
        withReward(servedDecision(user, { arm: problem.arms[a], propensity: propensities[0] }), reward),
      );
      clicks[a] += reward;
      shown[a] += 1;
    }
    const target = deterministicPolicy((user: number) => problem.arms[best[problem.segmentOf[user]]]);
    const rewardModel = (_user: number, arm: string): number => {
      const a = problem.arms.indexOf(arm);
      return shown[a] > 0 ? clicks[a] / shown[a] : 0;
    };
    const estimates: Record<keyof typeof covered, OffPolicyEstimate> = {
      ips: ips(log, target),
      snips: snips(log, target),
      doublyRobust: doublyRobust(log, target, rewardModel),
    };
    for (const key of Object.keys(covered) as (keyof typeof covered)[]) {
      const e = estimates[key];
      if (e.lower <= truth && truth <= e.upper) covered[key]++;
      width[key] += (e.upper - e.lower) / options.seeds;
    }
    truthSum += truth;
    essSum += estimates.ips.effectiveSampleSize;
  }
  return {
    covered,
    meanWidth: width,
    meanTrueCtr: truthSum / options.seeds,
    meanEffectiveSampleSize: essSum / options.seeds,
  };
}
