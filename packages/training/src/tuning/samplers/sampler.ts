import type { Rng } from '@recsys/data';
import { TuningError, TuningErrorCode } from '../errors';
import { streamRng } from '../random-streams';
import type { SearchSpace, TrialParams } from '../search-space';
import type { Direction, TrialRecord } from '../trial';

/** Everything a sampler needs to propose one configuration: all of it plain data. */
export interface ProposalRequest {
  space: SearchSpace;
  direction: Direction;
  /** Finished trials (any state, any order). Running trials are not passed: see `trialNumber`. */
  trials: readonly TrialRecord[];
  /**
   * Number of the trial being proposed; default: one past the largest number in `trials`. Proposals
   * made in parallel from the same history must use distinct numbers, since the draw is seeded by it.
   */
  trialNumber?: number;
}

/**
 * Proposes the next configuration from the finished trials. Samplers hold options only, no state
 * between calls: `propose` is a pure function of (options, request), so a BullMQ parent can rebuild
 * the sampler from its spec and the stored trials on every call.
 */
export interface Sampler {
  propose(request: ProposalRequest): TrialParams;
}

export function nextTrialNumber(trials: readonly TrialRecord[]): number {
  let max = -1;
  for (const t of trials) if (t.number > max) max = t.number;
  return max + 1;
}

/** The random stream of one proposal: a function of the sampler's seed and the trial number only. */
export function proposalRng(seed: number, request: ProposalRequest): Rng {
  const number = request.trialNumber ?? nextTrialNumber(request.trials);
  if (!Number.isInteger(number) || number < 0) {
    throw new TuningError(
      TuningErrorCode.INVALID_OPTIONS,
      `trialNumber must be an integer ≥ 0, got ${number}`,
    );
  }
  return streamRng(seed, number);
}

export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed)) {
    throw new TuningError(TuningErrorCode.INVALID_OPTIONS, `sampler seed must be an integer, got ${seed}`);
  }
}
