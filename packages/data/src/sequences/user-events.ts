import type { InteractionLog } from '../interactions/interaction-log';

/**
 * A log's event indices grouped by user: user u's events are `events[indptr[u] .. indptr[u+1])`,
 * in log order. One stable counting sort, O(events + users): the grouping splitters and samplers share.
 */
export interface UserEventIndex {
  readonly indptr: Int32Array;
  readonly events: Int32Array;
}

/** 1 + the largest user index in the log (0 for an empty log): the user count when none is given. */
export function userCountOf(log: InteractionLog): number {
  let max = -1;
  for (let e = 0; e < log.length; e++) if (log.users[e] > max) max = log.users[e];
  return max + 1;
}

export function eventsByUser(log: InteractionLog, nUsers: number = userCountOf(log)): UserEventIndex {
  const indptr = new Int32Array(nUsers + 1);
  for (let e = 0; e < log.length; e++) {
    const u = log.users[e];
    if (u < 0 || u >= nUsers)
      throw new RangeError(`eventsByUser: event ${e} has user ${u} outside 0..${nUsers - 1}`);
    indptr[u + 1]++;
  }
  for (let u = 0; u < nUsers; u++) indptr[u + 1] += indptr[u];
  const cursor = indptr.slice(0, nUsers);
  const events = new Int32Array(log.length);
  for (let e = 0; e < log.length; e++) events[cursor[log.users[e]]++] = e;
  return { indptr, events };
}
