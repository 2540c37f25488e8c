import type { Rng } from '@recsys/data';
import { ArmStatistics } from './arm-statistics';
import {
  asStateError,
  BANDIT_STATE_VERSION,
  checkStateHeader,
  type MultiArmedBanditState,
} from './bandit-state';
import { createPolicy } from './create-policy';
import type { ArmChoice, ArmSelectionPolicy, MultiArmedPolicyConfig } from './policy';

export interface MultiArmedBanditOptions {
  /** Arm ids (e.g. model versions), in tie-break order. */
  readonly arms: readonly string[];
  readonly policy: MultiArmedPolicyConfig;
  /** The seeded random source of every draw (never Math.random). Not part of the saved state. */
  readonly rng: Rng;
}

/**
 * A context-free bandit: arm statistics plus a selection policy. `choose` answers an arm and its propensity;
 * `update` records the reward (in [0, 1]) observed for an arm, typically later and in another process
 * that restored the state with `fromJSON`.
 */
export class MultiArmedBandit {
  readonly policy: ArmSelectionPolicy;
  readonly statistics: ArmStatistics;
  private readonly rng: Rng;

  constructor(options: MultiArmedBanditOptions, statistics?: ArmStatistics) {
    this.policy = createPolicy(options.policy);
    this.statistics = statistics ?? new ArmStatistics(options.arms);
    this.rng = options.rng;
  }

  get arms(): readonly string[] {
    return this.statistics.arms;
  }

  choose(): ArmChoice {
    const { armIndex, propensity } = this.policy.select(this.statistics, this.rng);
    return { arm: this.statistics.arms[armIndex], armIndex, propensity };
  }

  /** Records a reward in [0, 1] for `arm`: UNKNOWN_ARM, INVALID_REWARD on bad input (nothing recorded then). */
  update(arm: string, reward: number): void {
    this.statistics.record(this.statistics.indexOf(arm), reward);
  }

  /** The probability of each arm now (for evaluating this policy as an off-policy target). */
  armProbabilities(): Float64Array {
    return this.policy.armProbabilities(this.statistics, this.rng);
  }

  toJSON(): MultiArmedBanditState {
    return {
      kind: 'multi-armed',
      version: BANDIT_STATE_VERSION,
      arms: [...this.statistics.arms],
      policy: this.policy.config,
      statistics: this.statistics.toJSON(),
    };
  }

  /** A bandit from `toJSON()`'s output (or its JSON.parse): INVALID_STATE when it does not check out. */
  static fromJSON(state: unknown, rng: Rng): MultiArmedBandit {
    const { arms, policy, record } = checkStateHeader(state, 'multi-armed');
    return asStateError(
      () => new MultiArmedBandit({ arms, policy, rng }, ArmStatistics.fromJSON(arms, record.statistics)),
    );
  }

  /** The same policy over a new arm list: shared arms keep their counts, new arms start fresh, dropped arms are forgotten. */
  withArms(arms: readonly string[]): MultiArmedBandit {
    const statistics = ArmStatistics.fromJSON(arms, this.statistics.toJSON(), true);
    return new MultiArmedBandit({ arms, policy: this.policy.config, rng: this.rng }, statistics);
  }
}
