import { BanditError } from '../errors';
import type { ArmStatisticsState } from './arm-statistics';
import type { MultiArmedPolicyConfig } from './policy';

/** Bumped when the saved shape changes; a state of another version is rejected (INVALID_STATE). */
export const BANDIT_STATE_VERSION = 1;

/** A saved MultiArmedBandit: plain JSON (JSON.stringify it for Redis or a database column). */
export interface MultiArmedBanditState {
  readonly kind: 'multi-armed';
  readonly version: typeof BANDIT_STATE_VERSION;
  /** Arm ids in tie-break order. */
  readonly arms: readonly string[];
  readonly policy: MultiArmedPolicyConfig;
  readonly statistics: ArmStatisticsState;
}

/** A saved SegmentedBandit: one statistics record per segment seen so far. */
export interface SegmentedBanditState {
  readonly kind: 'segmented';
  readonly version: typeof BANDIT_STATE_VERSION;
  readonly arms: readonly string[];
  readonly policy: MultiArmedPolicyConfig;
  readonly segments: Readonly<Record<string, ArmStatisticsState>>;
}

/** The common header of a saved bandit, checked: an object of `kind`, this version, with an arm list and a policy. */
export function checkStateHeader(
  state: unknown,
  kind: string,
): { arms: string[]; policy: MultiArmedPolicyConfig; record: Record<string, unknown> } {
  if (state === null || typeof state !== 'object' || Array.isArray(state))
    throw new BanditError('INVALID_STATE', `a ${kind} bandit state must be an object`);
  const record = state as Record<string, unknown>;
  if (record.kind !== kind)
    throw new BanditError(
      'INVALID_STATE',
      `expected a ${kind} bandit state, got kind ${String(record.kind)}`,
    );
  if (record.version !== BANDIT_STATE_VERSION)
    throw new BanditError(
      'INVALID_STATE',
      `${kind} bandit state version ${String(record.version)} is not supported (expected ${BANDIT_STATE_VERSION})`,
    );
  if (!Array.isArray(record.arms) || !record.arms.every((a) => typeof a === 'string'))
    throw new BanditError('INVALID_STATE', `${kind} bandit state: arms must be an array of strings`);
  if (record.policy === null || typeof record.policy !== 'object')
    throw new BanditError('INVALID_STATE', `${kind} bandit state: policy must be an object`);
  return { arms: record.arms as string[], policy: record.policy as MultiArmedPolicyConfig, record };
}

/** Runs `make`, turning its option errors into INVALID_STATE: a bad saved policy is a bad state. */
export function asStateError<T>(make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof BanditError && err.code === 'INVALID_OPTIONS')
      throw new BanditError('INVALID_STATE', `saved bandit state: ${err.message}`);
    throw err;
  }
}
