/**
 * One user's candidate list as a learner sees it: a feature row per candidate, which candidates are
 * relevant, and the ideal DCG of the user's relevant items (also those outside the list, which count
 * in the ideal as the `holdout` protocol counts every test item).
 */
export interface RankingList {
  /** Candidates × features, row-major. */
  features: Float32Array;
  /** 1 where the candidate is relevant. */
  relevant: Uint8Array;
  /** IDCG@k over all the user's relevant items: Σ_{r < min(k, |relevant|)} 1 / log2(r + 2). */
  idealDcg: number;
}

/** 1 / log2(rank + 2) for ranks 0..k-1: the binary gain of each position. */
export function positionDiscounts(k: number): Float64Array {
  const d = new Float64Array(k);
  for (let r = 0; r < k; r++) d[r] = 1 / Math.log2(r + 2);
  return d;
}

/** IDCG@k of `relevantCount` binary-relevant items. */
export function idealDcg(relevantCount: number, k: number): number {
  let sum = 0;
  for (let r = 0; r < Math.min(k, relevantCount); r++) sum += 1 / Math.log2(r + 2);
  return sum;
}

/**
 * NDCG@k of one list ranked by the linear score Σ_f w_f x_f (binary gains, log2 discount, ties broken
 * toward the earlier candidate, as topK does), written as a fast kernel for learners that evaluate
 * thousands of weight vectors: one pass keeps the k best in a small sorted buffer.
 * `top`/`topScores` are scratch of length ≥ k.
 */
export function listNdcg(
  list: RankingList,
  weights: ArrayLike<number>,
  k: number,
  discounts: Float64Array,
  top: Int32Array,
  topScores: Float64Array,
): number {
  if (list.idealDcg === 0) return 0;
  const f = weights.length;
  const n = list.relevant.length;
  const x = list.features;
  let size = 0;
  for (let c = 0; c < n; c++) {
    let s = 0;
    const o = c * f;
    for (let j = 0; j < f; j++) s += weights[j] * x[o + j];
    if (size === k && !(s > topScores[k - 1])) continue;
    // Insert into the descending buffer; an equal score stays behind the earlier candidate.
    let p = size < k ? size++ : k - 1;
    while (p > 0 && topScores[p - 1] < s) {
      topScores[p] = topScores[p - 1];
      top[p] = top[p - 1];
      p--;
    }
    topScores[p] = s;
    top[p] = c;
  }
  let dcg = 0;
  for (let r = 0; r < size; r++) if (list.relevant[top[r]] === 1) dcg += discounts[r];
  return dcg / list.idealDcg;
}

/** Mean NDCG@k over lists for one weight vector. */
export function meanNdcg(lists: readonly RankingList[], weights: ArrayLike<number>, k: number): number {
  if (lists.length === 0) return 0;
  const discounts = positionDiscounts(k);
  const top = new Int32Array(k);
  const topScores = new Float64Array(k);
  let sum = 0;
  for (const list of lists) sum += listNdcg(list, weights, k, discounts, top, topScores);
  return sum / lists.length;
}
