import type { InteractionLog } from '../interactions/interaction-log';
import { userCountOf } from '../sequences/user-events';
import { splitFromMask, type Split } from './split';

export interface LeaveLastOutOptions {
  /** Unused (the split is not random); accepted so that every splitter takes a seed. */
  seed?: number;
  /** Number of users; inferred from the log when omitted. */
  nUsers?: number;
}

/**
 * Leave-last-out, the standard protocol of sequential recommenders (SASRec, BERT4Rec): each user's
 * latest event (greatest timestamp, ties → the greater event index) is test, the rest train. A user
 * with a single event keeps it in train. One pass over the log, O(events + users).
 */
export function leaveLastOut(log: InteractionLog, options: LeaveLastOutOptions = {}): Split {
  const nUsers = options.nUsers ?? userCountOf(log);
  const last = new Int32Array(nUsers).fill(-1);
  const count = new Int32Array(nUsers);
  const ts = log.timestamps;
  for (let e = 0; e < log.length; e++) {
    const u = log.users[e];
    if (u < 0 || u >= nUsers)
      throw new RangeError(`leaveLastOut: event ${e} has user ${u} outside 0..${nUsers - 1}`);
    count[u]++;
    const l = last[u];
    if (l < 0 || ts[e] >= ts[l]) last[u] = e; // e > l always, so >= sends ties to the later event
  }
  const isTest = new Uint8Array(log.length);
  for (let u = 0; u < nUsers; u++) if (count[u] > 1) isTest[last[u]] = 1;
  return splitFromMask(isTest);
}
