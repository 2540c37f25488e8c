import type { Rng } from '@recsys/data';
import { BanditError } from '../errors';
import { ArmStatistics } from './arm-statistics';
import {
  asStateError,
  BANDIT_STATE_VERSION,
  checkStateHeader,
  type SegmentedBanditState,
} from './bandit-state';
import { createPolicy } from './create-policy';
import type { ArmChoice, ArmSelectionPolicy } from './policy';
import type { MultiArmedBanditOptions } from './multi-armed-bandit';

/** The context of a segmented choice: the user's segment (from personalization's segmentation). */
export interface SegmentContext {
  readonly segment: string;
}

export interface SegmentedArmChoice extends ArmChoice {
  readonly segment: string;
}

/**
 * One independent bandit per user segment over the same arms (e.g. which model serves the segment): each
 * segment learns its own best arm, which a single model tuned for the average user cannot. A segment's
 * statistics start at zero on its first choice or update.
 */
export class SegmentedBandit {
  readonly policy: ArmSelectionPolicy;
  readonly arms: readonly string[];
  private readonly rng: Rng;
  private readonly bySegment = new Map<string, ArmStatistics>();

  constructor(options: MultiArmedBanditOptions) {
    this.policy = createPolicy(options.policy);
    this.arms = new ArmStatistics(options.arms).arms; // validates the arm list
    this.rng = options.rng;
  }

  choose(context: SegmentContext): SegmentedArmChoice {
    const segment = checkSegment(context);
    const { armIndex, propensity } = this.policy.select(this.statisticsOf(segment), this.rng);
    return { segment, arm: this.arms[armIndex], armIndex, propensity };
  }

  update(context: SegmentContext, arm: string, reward: number): void {
    const stats = this.statisticsOf(checkSegment(context));
    stats.record(stats.indexOf(arm), reward);
  }

  /** The statistics of a segment (zero counts for one not seen yet). */
  statisticsOf(segment: string): ArmStatistics {
    let stats = this.bySegment.get(segment);
    if (stats === undefined) {
      stats = new ArmStatistics(this.arms);
      this.bySegment.set(segment, stats);
    }
    return stats;
  }

  segments(): string[] {
    return [...this.bySegment.keys()];
  }

  toJSON(): SegmentedBanditState {
    const segments: Record<string, ReturnType<ArmStatistics['toJSON']>> = {};
    for (const [segment, stats] of this.bySegment) segments[segment] = stats.toJSON();
    return {
      kind: 'segmented',
      version: BANDIT_STATE_VERSION,
      arms: [...this.arms],
      policy: this.policy.config,
      segments,
    };
  }

  static fromJSON(state: unknown, rng: Rng): SegmentedBandit {
    const { arms, policy, record } = checkStateHeader(state, 'segmented');
    const segments = record.segments;
    if (segments === null || typeof segments !== 'object' || Array.isArray(segments))
      throw new BanditError('INVALID_STATE', 'segmented bandit state: segments must be an object');
    return asStateError(() => {
      const bandit = new SegmentedBandit({ arms, policy, rng });
      for (const [segment, stats] of Object.entries(segments as Record<string, unknown>))
        bandit.bySegment.set(segment, ArmStatistics.fromJSON(arms, stats));
      return bandit;
    });
  }
}

function checkSegment(context: SegmentContext): string {
  const segment = (context as Partial<SegmentContext> | null)?.segment;
  if (typeof segment !== 'string' || segment === '')
    throw new BanditError(
      'INVALID_CONTEXT',
      `context.segment must be a non-empty string, got ${String(segment)}`,
    );
  return segment;
}
