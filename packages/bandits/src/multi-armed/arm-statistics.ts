import { BanditError } from '../errors';

/** One arm's sufficient statistics, as serialised. */
export interface ArmCounts {
  /** Times the arm was played (and its reward recorded). */
  pulls: number;
  /** Sum of its rewards, each in [0, 1]. */
  rewardSum: number;
}

/** Arm id → counts: plain JSON, one Redis hash field per arm and count if wanted. */
export type ArmStatisticsState = Record<string, ArmCounts>;

/**
 * What every multi-armed policy here learns from: per arm, the number of pulls and the sum of rewards in
 * [0, 1]. Thompson sampling's Beta posterior (α₀ + sum, β₀ + pulls − sum), UCB1's and KL-UCB's empirical
 * means and epsilon-greedy's estimates are all functions of these two counts, so one state serves every
 * policy, and updates from several servers merge by adding counts (Redis HINCRBY / HINCRBYFLOAT).
 * Arm order is the order given, and decides ties (lowest index wins).
 */
export class ArmStatistics {
  readonly pulls: Float64Array;
  readonly rewardSums: Float64Array;
  private readonly index = new Map<string, number>();

  constructor(readonly arms: readonly string[]) {
    if (!Array.isArray(arms) || arms.length === 0)
      throw new BanditError('INVALID_OPTIONS', 'arms must be a non-empty array of arm ids');
    arms.forEach((arm, i) => {
      if (typeof arm !== 'string' || arm === '')
        throw new BanditError('INVALID_OPTIONS', `arms[${i}] must be a non-empty string, got ${String(arm)}`);
      if (this.index.has(arm)) throw new BanditError('INVALID_OPTIONS', `arms: "${arm}" is listed twice`);
      this.index.set(arm, i);
    });
    this.pulls = new Float64Array(arms.length);
    this.rewardSums = new Float64Array(arms.length);
  }

  get size(): number {
    return this.arms.length;
  }

  /** The arm's index; UNKNOWN_ARM for an arm not in the list. */
  indexOf(arm: string): number {
    const i = this.index.get(arm);
    if (i === undefined)
      throw new BanditError('UNKNOWN_ARM', `unknown arm "${arm}" (arms: ${this.arms.join(', ')})`);
    return i;
  }

  totalPulls(): number {
    let t = 0;
    for (let i = 0; i < this.pulls.length; i++) t += this.pulls[i];
    return t;
  }

  /** The empirical mean reward of arm i, or `ifUnplayed` before its first pull. */
  mean(i: number, ifUnplayed = 0): number {
    return this.pulls[i] > 0 ? this.rewardSums[i] / this.pulls[i] : ifUnplayed;
  }

  /** Records one pull of arm i with a reward in [0, 1] (INVALID_REWARD otherwise). */
  record(i: number, reward: number): void {
    if (!(reward >= 0 && reward <= 1))
      throw new BanditError(
        'INVALID_REWARD',
        `reward of arm "${this.arms[i]}" must be a number in [0, 1], got ${String(reward)}`,
      );
    this.pulls[i] += 1;
    this.rewardSums[i] += reward;
  }

  toJSON(): ArmStatisticsState {
    const state: ArmStatisticsState = {};
    this.arms.forEach((arm, i) => {
      state[arm] = { pulls: this.pulls[i], rewardSum: this.rewardSums[i] };
    });
    return state;
  }

  /**
   * Statistics for `arms` from a serialised state. Strict: the state must hold exactly these arms, with
   * 0 ≤ rewardSum ≤ pulls (INVALID_STATE otherwise). `carryOver` instead keeps the counts of the arms both
   * share, starts new arms at zero and drops the counts of arms no longer listed (adding or retiring a model).
   */
  static fromJSON(arms: readonly string[], state: unknown, carryOver = false): ArmStatistics {
    const stats = new ArmStatistics(arms);
    if (state === null || typeof state !== 'object' || Array.isArray(state))
      throw new BanditError('INVALID_STATE', 'arm statistics must be an object keyed by arm id');
    const record = state as Record<string, unknown>;
    if (!carryOver) {
      const extra = Object.keys(record).filter((arm) => !stats.index.has(arm));
      const missing = arms.filter((arm) => !(arm in record));
      if (extra.length > 0 || missing.length > 0)
        throw new BanditError(
          'INVALID_STATE',
          `arm statistics do not match the arms (unknown: ${extra.join(', ') || 'none'}; missing: ${missing.join(', ') || 'none'})`,
        );
    }
    arms.forEach((arm, i) => {
      const counts = record[arm];
      if (counts === undefined) return;
      const { pulls, rewardSum } = (counts ?? {}) as Partial<ArmCounts>;
      if (
        typeof pulls !== 'number' ||
        typeof rewardSum !== 'number' ||
        !Number.isFinite(pulls) ||
        !(pulls >= 0 && rewardSum >= 0 && rewardSum <= pulls + 1e-9 * pulls)
      )
        throw new BanditError(
          'INVALID_STATE',
          `arm "${arm}": need 0 ≤ rewardSum ≤ pulls, got pulls ${String(pulls)}, rewardSum ${String(rewardSum)}`,
        );
      stats.pulls[i] = pulls;
      stats.rewardSums[i] = rewardSum;
    });
    return stats;
  }
}
