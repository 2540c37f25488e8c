/**
 * A request-independent score vector over the catalog (popularity, trending) sorted once: the positive
 * entries' indexes, best first (ties by index). A request then walks it and keeps the first `n` it allows,
 * instead of a full top-k per request.
 */
export interface RankedSignal {
  scores: Float32Array;
  order: Int32Array;
}

const built = new WeakMap<Float32Array, RankedSignal>();

/** The ranking of `scores`, built on first use and cached for as long as the array lives. */
export function rankedSignal(scores: Float32Array): RankedSignal {
  let ranked = built.get(scores);
  if (ranked === undefined) {
    const positive: number[] = [];
    for (let i = 0; i < scores.length; i++) if (scores[i] > 0) positive.push(i);
    positive.sort((a, b) => scores[b] - scores[a] || a - b);
    ranked = { scores, order: Int32Array.from(positive) };
    built.set(scores, ranked);
  }
  return ranked;
}

/** Calls `take(item, score / best)` for the first `n` allowed entries, best first. */
export function forEachTopAllowed(
  signal: RankedSignal,
  allowed: Uint8Array,
  n: number,
  take: (item: number, strength: number) => void,
): void {
  const { order, scores } = signal;
  let best = 0;
  let taken = 0;
  for (let k = 0; k < order.length && taken < n; k++) {
    const i = order[k];
    if (allowed[i] === 0) continue;
    if (taken === 0) best = scores[i];
    take(i, scores[i] / best);
    taken++;
  }
}
