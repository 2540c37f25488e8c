import { jaccard, type RowSets } from '../catalog/catalog-snapshot';

/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998, "The use of MMR, diversity-based reranking for
 * reordering documents and producing summaries"): picks `k` candidates greedily, each time the one
 * maximising
 *   λ · rel(i) − (1 − λ) · max_{j already chosen} sim(i, j),
 * with rel min-max normalised to [0, 1] and sim the Jaccard index of the two services' category sets.
 * λ = 1 is plain ranking by relevance. Ties go to the higher relevance, then the earlier candidate.
 * O(k · n) Jaccard evaluations: the max similarity of every candidate is updated once per pick.
 *
 * @param items catalog indexes of the candidates
 * @param rel relevance per candidate (any scale)
 * @returns positions into `items`, in the chosen order
 */
export function mmrRerank(
  items: Int32Array,
  rel: Float64Array,
  k: number,
  lambda: number,
  categories: RowSets,
): Int32Array {
  const n = items.length;
  const take = Math.min(k, n);
  const out = new Int32Array(take);
  if (take === 0) return out;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (rel[i] < lo) lo = rel[i];
    if (rel[i] > hi) hi = rel[i];
  }
  const span = hi - lo;
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) norm[i] = span > 0 ? (rel[i] - lo) / span : 1;
  const maxSim = new Float64Array(n);
  const chosen = new Uint8Array(n);
  for (let pick = 0; pick < take; pick++) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < n; i++) {
      if (chosen[i] === 1) continue;
      const value = lambda * norm[i] - (1 - lambda) * maxSim[i];
      if (value > bestValue || (value === bestValue && norm[i] > norm[best])) {
        best = i;
        bestValue = value;
      }
    }
    out[pick] = best;
    chosen[best] = 1;
    if (lambda < 1) {
      const b = items[best];
      for (let i = 0; i < n; i++) {
        if (chosen[i] === 1) continue;
        const sim = jaccard(categories, items[i], b);
        if (sim > maxSim[i]) maxSim[i] = sim;
      }
    }
  }
  return out;
}
