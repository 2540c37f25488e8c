import { Rng } from '@recsys/data';
import { SegmentedBandit, type MultiArmedPolicyConfig } from '../../src';
import {
  bestArmOnAverage,
  marketplaceBanditProblem,
  type MarketplaceBanditProblem,
} from './marketplace-arms';
import { cumulativeRegret, type ArmPicker } from './regret';

/** The pickers compared: per-segment bandits, the fixed best-on-average ranker and uniform choice. */
export const REGRET_POLICIES = [
  'thompson',
  'ucb1',
  'klUcb',
  'epsilonGreedy',
  'fixedBestOnAverage',
  'uniform',
] as const;
export type RegretPolicy = (typeof REGRET_POLICIES)[number];

export interface RegretOptions {
  readonly seeds: readonly number[];
  readonly horizon: number;
  readonly policies?: readonly RegretPolicy[];
}

function segmentedPicker(
  problem: MarketplaceBanditProblem,
  policy: MultiArmedPolicyConfig,
  rng: Rng,
): ArmPicker {
  const bandit = new SegmentedBandit({ arms: problem.arms, policy, rng });
  return {
    pick: (g) => bandit.choose({ segment: problem.segments[g] }).armIndex,
    learn: (g, a, reward) => bandit.update({ segment: problem.segments[g] }, problem.arms[a], reward),
  };
}

function picker(problem: MarketplaceBanditProblem, policy: RegretPolicy, rng: Rng): ArmPicker {
  switch (policy) {
    case 'thompson':
      // The propensity estimate plays no part in regret: one Monte Carlo round keeps the run cheap.
      return segmentedPicker(problem, { kind: 'thompson', propensityDraws: 1 }, rng);
    case 'ucb1':
      return segmentedPicker(problem, { kind: 'ucb1' }, rng);
    case 'klUcb':
      return segmentedPicker(problem, { kind: 'kl-ucb' }, rng);
    case 'epsilonGreedy':
      return segmentedPicker(problem, { kind: 'epsilon-greedy', epsilon: 0.1 }, rng);
    case 'fixedBestOnAverage': {
      const fixed = bestArmOnAverage(problem);
      return { pick: () => fixed, learn: () => undefined };
    }
    case 'uniform':
      return { pick: () => rng.int(problem.arms.length), learn: () => undefined };
  }
}

/**
 * Mean cumulative regret per policy over the seeds (each seed: its own marketplace, 2,000 users and 100
 * services; the same users and click draws for every policy).
 */
export function regretExperiment(options: RegretOptions): Record<RegretPolicy, number> {
  const policies = options.policies ?? REGRET_POLICIES;
  const mean = Object.fromEntries(REGRET_POLICIES.map((p) => [p, Number.NaN])) as Record<
    RegretPolicy,
    number
  >;
  for (const p of policies) mean[p] = 0;
  for (const seed of options.seeds) {
    const problem = marketplaceBanditProblem(seed);
    for (const p of policies) {
      const regret = cumulativeRegret(
        problem,
        picker(problem, p, new Rng(seed).fork(7)),
        options.horizon,
        new Rng(seed).fork(5),
      );
      mean[p] += regret / options.seeds.length;
    }
  }
  return mean;
}
