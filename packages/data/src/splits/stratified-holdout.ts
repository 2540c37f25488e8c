import type { InteractionLog } from '../interactions/interaction-log';
import { Rng } from '../random/rng';
import { eventsByUser } from '../sequences/user-events';
import { checkFraction, splitFromMask, type Split } from './split';

export interface StratifiedHoldoutOptions {
  /** Share of each user's events held out for test. Default 0.25. */
  testFraction?: number;
  seed: number;
  /** Users with fewer events keep them all in train. Default 1 (no effect). */
  minUserEvents?: number;
  /** Number of users; inferred from the log when omitted. */
  nUsers?: number;
}

/** Round half to even, as Python's round() and numpy do. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Per-user stratified random hold-out, as Microsoft Recommenders' python_stratified_split: every user
 * keeps round((1 − testFraction) × n_u) of their n_u events in train (Python's round half to even, so
 * the per-user counts match theirs exactly) and puts the rest, drawn at random, into test, so each user is
 * represented on both sides in the same proportion. A user always keeps at least one event in train
 * (a user with one event keeps it there), so no test user is cold.
 * Draws: one Rng for the whole log, users in index order, a partial Fisher-Yates over each user's events.
 */
export function stratifiedHoldout(log: InteractionLog, options: StratifiedHoldoutOptions): Split {
  const fraction = options.testFraction ?? 0.25;
  const minEvents = options.minUserEvents ?? 1;
  checkFraction('stratifiedHoldout', fraction);
  const rng = new Rng(options.seed);
  const { indptr, events } = eventsByUser(log, options.nUsers);
  const isTest = new Uint8Array(log.length);
  const nUsers = indptr.length - 1;
  for (let u = 0; u < nUsers; u++) {
    const start = indptr[u];
    const n = indptr[u + 1] - start;
    if (n < minEvents) continue;
    const nTest = Math.min(n - roundHalfEven((1 - fraction) * n), n - 1);
    // The first nTest slots of the segment become a uniform random subset (events is scratch, owned here).
    for (let k = 0; k < nTest; k++) {
      const j = k + rng.int(n - k);
      const picked = events[start + j];
      events[start + j] = events[start + k];
      events[start + k] = picked;
      isTest[picked] = 1;
    }
  }
  return splitFromMask(isTest);
}
