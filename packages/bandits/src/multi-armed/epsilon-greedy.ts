import type { Rng } from '@recsys/data';
import { checkOption } from '../errors';
import { choiceProbabilities, sampleSlate, type Exploration } from '../exploration/exploration';
import type { ArmStatistics } from './arm-statistics';
import type { ArmSelectionPolicy, EpsilonGreedyConfig } from './policy';

/**
 * Epsilon-greedy (Sutton & Barto §2.2), the baseline: with probability ε a uniform arm, else the arm with the
 * highest mean reward (unplayed arms count `initialValue`; ties: lowest index). Exact propensity:
 * (1 − ε)·[arm = greedy arm] + ε / arms.
 */
export class EpsilonGreedy implements ArmSelectionPolicy {
  readonly config: Required<EpsilonGreedyConfig>;
  private readonly exploration: Exploration;

  constructor(config: EpsilonGreedyConfig) {
    this.config = { initialValue: 1, ...config };
    const { epsilon, initialValue } = this.config;
    checkOption(epsilon >= 0 && epsilon <= 1, 'epsilon-greedy.epsilon must lie in [0, 1]', epsilon);
    checkOption(Number.isFinite(initialValue), 'epsilon-greedy.initialValue must be finite', initialValue);
    this.exploration = { kind: 'epsilon-greedy', epsilon };
  }

  private means(stats: ArmStatistics): Float64Array {
    const means = new Float64Array(stats.size);
    for (let i = 0; i < stats.size; i++) means[i] = stats.mean(i, this.config.initialValue);
    return means;
  }

  select(stats: ArmStatistics, rng: Rng): { armIndex: number; propensity: number } {
    const { indices, propensities } = sampleSlate(this.means(stats), 1, this.exploration, rng);
    return { armIndex: indices[0], propensity: propensities[0] };
  }

  armProbabilities(stats: ArmStatistics): Float64Array {
    return choiceProbabilities(this.means(stats), this.exploration);
  }
}
