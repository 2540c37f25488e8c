import type { Rng } from '@recsys/data';
import type { ArmStatistics } from './arm-statistics';

/** What a bandit's `choose` answers: the arm, its index in the arm list and the probability it had. */
export interface ArmChoice {
  readonly arm: string;
  readonly armIndex: number;
  /** P(this arm | the state at the time of the choice) under the policy: exact, or estimated (Thompson). */
  readonly propensity: number;
}

/** The policies, as JSON-serialisable configurations (the `policy` field of a saved bandit). */
export type MultiArmedPolicyConfig = ThompsonSamplingConfig | Ucb1Config | KlUcbConfig | EpsilonGreedyConfig;

export interface ThompsonSamplingConfig {
  readonly kind: 'thompson';
  /** Beta prior α₀ (pseudo-successes). @defaultValue 1 (uniform prior) */
  readonly priorAlpha?: number;
  /** Beta prior β₀ (pseudo-failures). @defaultValue 1 */
  readonly priorBeta?: number;
  /** Monte Carlo rounds that estimate the propensity of each choice (see ThompsonSampling). @defaultValue 1000 */
  readonly propensityDraws?: number;
}

export interface Ucb1Config {
  readonly kind: 'ucb1';
}

export interface KlUcbConfig {
  readonly kind: 'kl-ucb';
  /** The c of the exploration term log t + c·log log t (Garivier & Cappé use c = 0 in practice, 3 in theory). @defaultValue 0 */
  readonly c?: number;
}

export interface EpsilonGreedyConfig {
  readonly kind: 'epsilon-greedy';
  /** Probability of a uniform random arm. */
  readonly epsilon: number;
  /** Value estimate of an arm before its first pull; 1 = optimistic, so every arm is tried early. @defaultValue 1 */
  readonly initialValue?: number;
}

/** A rule that picks an arm from the statistics; policies hold no learned state of their own. */
export interface ArmSelectionPolicy {
  readonly config: MultiArmedPolicyConfig;
  /** The arm to play now and its propensity. */
  select(stats: ArmStatistics, rng: Rng): { armIndex: number; propensity: number };
  /**
   * The probability of each arm under the policy in this state (exact, or estimated for Thompson), for
   * evaluating the policy as an off-policy target.
   */
  armProbabilities(stats: ArmStatistics, rng: Rng): Float64Array;
}
