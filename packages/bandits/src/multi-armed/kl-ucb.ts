import type { Rng } from '@recsys/data';
import { checkOption } from '../errors';
import { argmax } from '../exploration/exploration';
import type { ArmStatistics } from './arm-statistics';
import type { ArmSelectionPolicy, KlUcbConfig } from './policy';

const BISECTION_STEPS = 32; // interval width 2⁻³² after 32 halvings
const EDGE = 1e-15;

/** Bernoulli KL divergence KL(p ‖ q), with p, q clamped away from 0 and 1. */
export function bernoulliKl(p: number, q: number): number {
  const a = Math.min(Math.max(p, EDGE), 1 - EDGE);
  const b = Math.min(Math.max(q, EDGE), 1 - EDGE);
  return a * Math.log(a / b) + (1 - a) * Math.log((1 - a) / (1 - b));
}

/**
 * KL-UCB for Bernoulli rewards (Garivier & Cappé 2011): play every arm once, then the arm with the highest
 *   max { q ∈ [x̄ᵢ, 1] : nᵢ · KL(x̄ᵢ ‖ q) ≤ ln t + c · ln ln t }
 * found by bisection. Tighter than UCB1's index near 0 and 1 (click rates), so it explores less.
 * Deterministic (ties: lowest index): propensity 1.
 */
export class KlUcb implements ArmSelectionPolicy {
  readonly config: Required<KlUcbConfig>;

  constructor(config: KlUcbConfig) {
    this.config = { c: 0, ...config };
    checkOption(this.config.c >= 0 && Number.isFinite(this.config.c), 'kl-ucb.c must be ≥ 0', this.config.c);
  }

  indices(stats: ArmStatistics): Float64Array {
    const t = stats.totalPulls();
    const budget = Math.log(Math.max(t, 1)) + (t > Math.E ? this.config.c * Math.log(Math.log(t)) : 0);
    const index = new Float64Array(stats.size);
    for (let i = 0; i < stats.size; i++) {
      const n = stats.pulls[i];
      if (n === 0) {
        index[i] = Number.POSITIVE_INFINITY;
        continue;
      }
      const mean = stats.mean(i);
      let lo = mean;
      let hi = 1;
      for (let step = 0; step < BISECTION_STEPS; step++) {
        const q = (lo + hi) / 2;
        if (n * bernoulliKl(mean, q) <= budget) lo = q;
        else hi = q;
      }
      index[i] = lo;
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
