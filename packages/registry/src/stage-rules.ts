import type { ModelStageName, StageChangeInput } from './contract';
import { RegistryError, RegistryErrorCode } from './errors';

/**
 * The stage changes the registry allows. A version moves up through SHADOW and CANARY (or straight to
 * PRODUCTION), leaves production only by being ARCHIVED (when another version is promoted, on rollback,
 * or directly), and an archived version can come back (rollback). CANARY → CANARY changes the share.
 */
export const NEXT_STAGES: Readonly<Record<ModelStageName, readonly ModelStageName[]>> = {
  CANDIDATE: ['SHADOW', 'CANARY', 'PRODUCTION', 'ARCHIVED'],
  SHADOW: ['CANDIDATE', 'CANARY', 'PRODUCTION', 'ARCHIVED'],
  CANARY: ['CANARY', 'SHADOW', 'PRODUCTION', 'ARCHIVED'],
  PRODUCTION: ['ARCHIVED'],
  ARCHIVED: ['CANDIDATE', 'SHADOW', 'CANARY', 'PRODUCTION'],
};

/** Stages whose entry counts as a promotion (sets promotedAt and promotedBy). */
export const PROMOTION_STAGES: readonly ModelStageName[] = ['SHADOW', 'CANARY', 'PRODUCTION'];

function invalid(message: string): RegistryError {
  return new RegistryError(RegistryErrorCode.INVALID_STAGE_CHANGE, message);
}

/** Checks the change's own fields: an actor, and a canary share (integer 1..100) exactly for CANARY. */
export function checkStageChangeInput(to: ModelStageName, change: StageChangeInput): void {
  if (change.actor.trim().length === 0) throw invalid('a stage change needs an actor');
  if (to === 'CANARY') {
    const p = change.canaryPercent;
    if (p === undefined || !Number.isInteger(p) || p < 1 || p > 100) {
      throw invalid(`CANARY needs canaryPercent, an integer from 1 to 100 (got ${String(p)})`);
    }
  } else if (change.canaryPercent !== undefined) {
    throw invalid(`canaryPercent is only for CANARY, not ${to}`);
  }
}

/** Checks that `from → to` is allowed for a version whose canary share is `canaryPercent`. */
export function checkTransition(
  from: ModelStageName,
  to: ModelStageName,
  canaryPercent: number | null,
  change: StageChangeInput,
): void {
  if (!NEXT_STAGES[from].includes(to)) {
    throw invalid(
      `a ${from} version cannot move to ${to} (allowed: ${NEXT_STAGES[from].join(', ') || 'none'})`,
    );
  }
  if (from === 'CANARY' && to === 'CANARY' && canaryPercent === change.canaryPercent) {
    throw invalid(`the version already serves ${String(canaryPercent)}% as CANARY`);
  }
}
