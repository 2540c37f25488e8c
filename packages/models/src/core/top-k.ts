import type { ScoredItems } from '../contract/recommender';

/**
 * The `k` highest scores with their indexes, best first, in O(n log k) with a binary min-heap of size k.
 * Entries that are -Infinity or NaN (excluded items) are never returned, so fewer than `k` may come
 * back. Equal scores rank the lower index first, so results do not depend on heap internals.
 * `candidates`, when given, restricts the search to those indexes.
 */
export function topK(scores: Float32Array | Float64Array, k: number, candidates?: Int32Array): ScoredItems {
  if (!Number.isInteger(k) || k <= 0) throw new RangeError(`topK: k must be a positive integer, got ${k}`);
  const heapItems = new Int32Array(k);
  const heapScores = new Float64Array(k);
  let size = 0;
  // "a is worse than b": lower score, or same score and higher index.
  const worse = (sa: number, ia: number, sb: number, ib: number): boolean =>
    sa < sb || (sa === sb && ia > ib);

  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(heapScores[l], heapItems[l], heapScores[m], heapItems[m])) m = l;
      if (r < size && worse(heapScores[r], heapItems[r], heapScores[m], heapItems[m])) m = r;
      if (m === i) return;
      const ts = heapScores[i];
      const ti = heapItems[i];
      heapScores[i] = heapScores[m];
      heapItems[i] = heapItems[m];
      heapScores[m] = ts;
      heapItems[m] = ti;
      i = m;
    }
  };
  const offer = (item: number, s: number): void => {
    if (!(s > -Infinity)) return; // -Infinity or NaN: excluded
    if (size < k) {
      let i = size++;
      heapScores[i] = s;
      heapItems[i] = item;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(heapScores[i], heapItems[i], heapScores[p], heapItems[p])) break;
        const ts = heapScores[i];
        const ti = heapItems[i];
        heapScores[i] = heapScores[p];
        heapItems[i] = heapItems[p];
        heapScores[p] = ts;
        heapItems[p] = ti;
        i = p;
      }
    } else if (worse(heapScores[0], heapItems[0], s, item)) {
      heapScores[0] = s;
      heapItems[0] = item;
      siftDown(0);
    }
  };

  if (candidates) {
    for (let c = 0; c < candidates.length; c++) offer(candidates[c], scores[candidates[c]]);
  } else {
    for (let i = 0; i < scores.length; i++) offer(i, scores[i]);
  }

  // Pop into descending order.
  const items = new Int32Array(size);
  const out = new Float32Array(size);
  for (let pos = size - 1; pos >= 0; pos--) {
    items[pos] = heapItems[0];
    out[pos] = heapScores[0];
    size--;
    heapItems[0] = heapItems[size];
    heapScores[0] = heapScores[size];
    siftDown(0);
  }
  return { items, scores: out };
}
