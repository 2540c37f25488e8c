import type { InteractionLog } from '../interactions/interaction-log';
import { eventsByUser, userCountOf } from './user-events';

/**
 * Every user's events in time order, for sequential models (SASRec, GRU4Rec) and leave-last-out
 * evaluation: user u's sequence is positions `indptr[u] .. indptr[u+1]` of `items`, `timestamps`
 * and `events` (the index of each event in the log). Equal timestamps keep log order.
 */
export interface UserSequences {
  readonly indptr: Int32Array;
  readonly items: Int32Array;
  readonly timestamps: Float64Array;
  readonly events: Int32Array;
}

/**
 * Groups by user with a counting sort, then orders each user's segment by (timestamp, event index).
 * A segment already in time order, the common case for logs appended as events happen, is left as is;
 * otherwise it is sorted with that total order, which makes the result stable by construction.
 */
export function userSequences(log: InteractionLog, nUsers: number = userCountOf(log)): UserSequences {
  const { indptr, events } = eventsByUser(log, nUsers);
  const ts = log.timestamps;
  const byTime = (a: number, b: number): number => ts[a] - ts[b] || a - b;
  for (let u = 0; u < nUsers; u++) {
    const start = indptr[u];
    const end = indptr[u + 1];
    let sorted = true;
    for (let k = start + 1; k < end; k++) {
      if (ts[events[k]] < ts[events[k - 1]]) {
        sorted = false;
        break;
      }
    }
    if (!sorted) events.subarray(start, end).sort(byTime);
  }
  const n = events.length;
  const items = new Int32Array(n);
  const timestamps = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const e = events[k];
    items[k] = log.items[e];
    timestamps[k] = ts[e];
  }
  return { indptr, items, timestamps, events };
}

/** One user's sequence as views (subarrays), not copies. */
export function sequenceOf(
  seqs: UserSequences,
  user: number,
): { items: Int32Array; timestamps: Float64Array; events: Int32Array } {
  if (!Number.isInteger(user) || user < 0 || user >= seqs.indptr.length - 1) {
    throw new RangeError(`sequenceOf: user ${user} outside 0..${seqs.indptr.length - 2}`);
  }
  const start = seqs.indptr[user];
  const end = seqs.indptr[user + 1];
  return {
    items: seqs.items.subarray(start, end),
    timestamps: seqs.timestamps.subarray(start, end),
    events: seqs.events.subarray(start, end),
  };
}
