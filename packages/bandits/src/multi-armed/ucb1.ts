import type { Rng } from '@recsys/data';
import { argmax } from '../exploration/exploration';
import type { ArmStatistics } from './arm-statistics';
import type { ArmSelectionPolicy, Ucb1Config } from './policy';

/**
 * UCB1 (Auer, Cesa-Bianchi & Fischer 2002): play every arm once (in list order), then the arm with the
 * highest index  x̄ᵢ + sqrt(2 ln t / nᵢ),  t the total pulls, nᵢ arm i's pulls, x̄ᵢ its mean reward in
 * [0, 1]. Deterministic (ties: lowest index), so each choice has propensity exactly 1.
 */
export class Ucb1 implements ArmSelectionPolicy {
  readonly config: Ucb1Config = { kind: 'ucb1' };

  /** Each arm's index; +Infinity for an unplayed arm. */
  indices(stats: ArmStatistics): Float64Array {
    const logT = Math.log(stats.totalPulls());
    const index = new Float64Array(stats.size);
    for (let i = 0; i < stats.size; i++) {
      const n = stats.pulls[i];
      index[i] = n > 0 ? stats.mean(i) + Math.sqrt((2 * logT) / n) : Number.POSITIVE_INFINITY;
    }
    return index;
  }

  select(stats: ArmStatistics): { armIndex: number; propensity: number } {
    return { armIndex: argmax(this.indices(stats)), propensity: 1 };
  }

  armProbabilities(stats: ArmStatistics, _rng?: Rng): Float64Array {
    const p = new Float64Array(stats.size);
    p[argmax(this.indices(stats))] = 1;
    return p;
  }
}
