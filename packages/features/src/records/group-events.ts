/**
 * Event indices grouped by an owner (a user, an item) in CSR form with a counting sort: the events of owner o
 * are `events[offsets[o] .. offsets[o+1])`, in the order they appear in `subset`. O(events + owners).
 */
export interface GroupedEvents {
  offsets: Int32Array;
  events: Int32Array;
}

export function groupEvents(owners: Int32Array, owned: number, subset?: ArrayLike<number>): GroupedEvents {
  const n = subset ? subset.length : owners.length;
  const at = (k: number): number => (subset ? subset[k] : k);
  const offsets = new Int32Array(owned + 1);
  for (let k = 0; k < n; k++) offsets[owners[at(k)] + 1]++;
  for (let o = 0; o < owned; o++) offsets[o + 1] += offsets[o];
  const cursor = offsets.slice(0, owned);
  const events = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const e = at(k);
    events[cursor[owners[e]]++] = e;
  }
  return { offsets, events };
}

/** The largest timestamp among the events (all of them when `subset` is absent); NaN when there are none. */
export function latestTimestamp(timestamps: Float64Array, subset?: ArrayLike<number>): number {
  let latest = Number.NEGATIVE_INFINITY;
  const n = subset ? subset.length : timestamps.length;
  for (let k = 0; k < n; k++) {
    const t = timestamps[subset ? subset[k] : k];
    if (t > latest) latest = t;
  }
  return latest === Number.NEGATIVE_INFINITY ? Number.NaN : latest;
}
