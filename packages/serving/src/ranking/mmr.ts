import { jaccard, type RowSets } from '../catalog/catalog-snapshot';

/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998, "The use of MMR, diversity-based reranking for
 * reordering documents and producing summaries"): picks `k` candidates greedily, each time the one
 * maximising
 *   λ · rel(i) − (1 − λ) · max_{j already chosen} sim(i, j),
 * with rel min-max normalised to [0, 1] and sim the Jaccard index of the two services' category sets.
 * λ = 1 is plain ranking by relevance. Ties go to the higher relevance, then the earlier candidate.
 *
 * Lazily (exactly the same picks): a candidate's value never exceeds λ · rel(i), so each pick scans the
 * candidates by relevance, best first, and stops at the first whose bound cannot beat the best value
 * found; a scanned candidate's max similarity is brought up to date with the picks made since it was
 * last scanned. Most candidates are never compared with most picks (at worst O(k · n) Jaccard indexes).
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
  // By relevance, best first, ties by position: the order of the bounds λ · rel. (A NaN relevance can
  // never win a comparison, so it is never picked; it is left out.)
  let ranked = 0;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) if (!Number.isNaN(norm[i])) order[ranked++] = i;
  const byRelevance = order.subarray(0, ranked).sort((a, b) => norm[b] - norm[a] || a - b);
  const diversify = lambda < 1;
  const masks = diversify ? categoryMasks(items, categories) : null;
  const maxSim = new Float64Array(n);
  /** How many picks each candidate's maxSim accounts for. */
  const upTo = new Int32Array(n);
  const chosen = new Uint8Array(n);
  for (let pick = 0; pick < take; pick++) {
    let best = -1;
    let bestValue = -Infinity;
    for (let r = 0; r < byRelevance.length; r++) {
      const i = byRelevance[r];
      if (chosen[i] === 1) continue;
      // No later candidate can do better than this bound; one that only equals the best loses the tie.
      if (lambda * norm[i] <= bestValue) break;
      if (diversify) {
        for (let q = upTo[i]; q < pick; q++) {
          const j = out[q];
          let sim: number;
          if (masks !== null) {
            const union = popcount(masks[i] | masks[j]);
            sim = union === 0 ? 0 : popcount(masks[i] & masks[j]) / union;
          } else sim = jaccard(categories, items[i], items[j]);
          if (sim > maxSim[i]) maxSim[i] = sim;
        }
        upTo[i] = pick;
      }
      const value = lambda * norm[i] - (1 - lambda) * maxSim[i];
      if (value > bestValue) {
        best = i;
        bestValue = value;
      }
    }
    out[pick] = best;
    if (best >= 0) chosen[best] = 1;
  }
  return out;
}

/**
 * The candidates' category sets as bit masks over the categories they use, when those are at most 32:
 * then the Jaccard index is two popcounts (the same quotient of the same integers as `jaccard`, so the
 * same value), the inner loop of MMR. null when the candidates use more than 32 categories.
 */
function categoryMasks(items: Int32Array, categories: RowSets): Int32Array | null {
  const { indptr, values } = categories;
  const bitOf = new Map<number, number>();
  const masks = new Int32Array(items.length);
  for (let i = 0; i < items.length; i++) {
    let mask = 0;
    for (let k = indptr[items[i]]; k < indptr[items[i] + 1]; k++) {
      let bit = bitOf.get(values[k]);
      if (bit === undefined) {
        if (bitOf.size === 32) return null;
        bit = bitOf.size;
        bitOf.set(values[k], bit);
      }
      mask |= 1 << bit;
    }
    masks[i] = mask;
  }
  return masks;
}

/** Set bits of a 32-bit integer (SWAR). */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
