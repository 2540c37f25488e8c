/**
 * Positions 0..n-1 ordered by descending score; equal scores keep ascending position order, so the result
 * is deterministic. Callers validate that the scores are finite first.
 */
export function orderByDescendingScore(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

/**
 * Calls `visit(start, end)` for each maximal run order[start..end) of equal scores, in rank order.
 * Equality is `===`, so 0 and -0 are one group (as numpy's unique treats them).
 */
export function forEachTieGroup(
  order: Uint32Array,
  scores: ArrayLike<number>,
  visit: (start: number, end: number) => void,
): void {
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    visit(start, end);
    start = end;
  }
}
