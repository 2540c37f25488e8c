import { MetricErrorCode, MetricInputError } from '../metric-input-error';
import { gainsAtRanks, relevanceLookup, type Relevance } from '../shared/relevance';
import { forEachTieGroup, orderByDescendingScore } from '../shared/score-order';
import { assertFinite, assertNonEmpty, assertSameLength, validateK } from '../shared/validation';

/**
 * How a relevance grade becomes a gain: `linear` uses rel itself (scikit-learn's `ndcg_score`, Järvelin &
 * Kekäläinen); `exponential` uses 2^rel − 1 (Burges et al. 2005, common in learning to rank). The two agree
 * on binary relevance.
 */
export type NdcgGain = 'linear' | 'exponential';

export interface NdcgOptions {
  /** @defaultValue 'linear' (matches scikit-learn) */
  readonly gain?: NdcgGain;
}

export interface NdcgFromScoresOptions extends NdcgOptions {
  /**
   * false: items with tied scores share the average of their gains over the positions they span, as
   * scikit-learn's `ndcg_score(ignore_ties=False)` does. true: ties are broken by position (stable order),
   * which is faster but arbitrary. @defaultValue false
   */
  readonly ignoreTies?: boolean;
}

/** The gain transform g of an NdcgGain (linear when unset). */
export function gainFunction(gain: NdcgGain | undefined): (rel: number) => number {
  return gain === 'exponential' ? (rel) => 2 ** rel - 1 : (rel) => rel;
}

/** 1 / log2(rank + 1) for ranks 1..n (index 0 is rank 1). */
function discounts(n: number): Float64Array {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = 1 / Math.log2(i + 2);
  return d;
}

/** Σ_{i < min(k, n)} gains[i] · discount[i] for gains sorted in rank order. */
function discountedSum(gains: ArrayLike<number>, k: number, toGain: (rel: number) => number): number {
  const n = Math.min(gains.length, k);
  const d = discounts(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += toGain(gains[i]) * d[i];
  return sum;
}

/**
 * NDCG@K from rank-ordered gains and the descending ideal gains (kernel, not exported by the package).
 */
export function ndcgOfGains(
  gains: Float64Array,
  idealGains: Float64Array,
  k: number,
  toGain: (rel: number) => number,
): number {
  const ideal = discountedSum(idealGains, k, toGain);
  return ideal === 0 ? 0 : discountedSum(gains, k, toGain) / ideal;
}

/**
 * NDCG@K = DCG@K / IDCG@K, with DCG@K = Σ_{i=1..min(K, n)} g(rel_i) / log2(i + 1) over the ranked list and
 * IDCG@K the same sum over the K largest gains of all relevant items (including those missing from the list).
 * g is linear (rel) by default or exponential (2^rel − 1) with `{ gain: 'exponential' }`.
 *
 * `relevance` is binary (a Set or sorted Int32Array: gain 1) or graded (a Map item → gain >= 0). A repeated
 * item earns its gain only at its first position. When IDCG is 0 (no relevant item) the result is 0, as
 * scikit-learn's `ndcg_score` returns. On a ranking without tied scores this equals `ndcg_score(k=K)`.
 *
 * Source: Järvelin & Kekäläinen, "Cumulated gain-based evaluation of IR techniques", ACM TOIS 20(4), 2002;
 * Burges et al., "Learning to rank using gradient descent", ICML 2005 (exponential gain);
 * scikit-learn `sklearn/metrics/_ranking.py` (ndcg_score).
 */
export function ndcgAtK(
  ranked: ArrayLike<number>,
  relevance: Relevance,
  k: number,
  options: NdcgOptions = {},
): number {
  validateK(k, 'ndcgAtK');
  const lookup = relevanceLookup(relevance, 'ndcgAtK');
  return ndcgOfGains(gainsAtRanks(ranked, lookup, k), lookup.idealGains(), k, gainFunction(options.gain));
}

/**
 * scikit-learn's `ndcg_score([trueRelevance], [scores], k=k, ignore_ties=false)` for one list: item i has
 * true relevance trueRelevance[i] (>= 0) and predicted score scores[i] (finite). Without `k`, K = n.
 *
 * Ties (the default): with positions sorted by descending score, a group of items with equal scores that
 * spans positions a..b contributes mean(g(rel) over the group) · Σ_{p=a..b, p ≤ K} 1/log2(p + 1)
 * (McSherry & Najork, ECIR 2008). IDCG is the DCG of the ideal order. IDCG = 0 gives 0.
 *
 * Source: scikit-learn `sklearn/metrics/_ranking.py` (ndcg_score, _tie_averaged_dcg); McSherry & Najork,
 * "Computing information retrieval performance measures efficiently in the presence of tied scores", 2008.
 */
export function ndcgFromScores(
  trueRelevance: ArrayLike<number>,
  scores: ArrayLike<number>,
  k?: number,
  options: NdcgFromScoresOptions = {},
): number {
  const fn = 'ndcgFromScores';
  if (k !== undefined) validateK(k, fn);
  assertSameLength(trueRelevance, 'trueRelevance', scores, 'scores', fn);
  assertNonEmpty(scores, 'scores', fn);
  assertFinite(scores, 'scores', fn);
  assertFinite(trueRelevance, 'trueRelevance', fn);
  for (let i = 0; i < trueRelevance.length; i++) {
    if (trueRelevance[i] < 0) {
      throw new MetricInputError(
        MetricErrorCode.INVALID_RELEVANCE,
        `${fn}: trueRelevance[${i}] is ${trueRelevance[i]}; relevance must be >= 0`,
      );
    }
  }
  const n = scores.length;
  const cut = Math.min(k ?? n, n);
  const toGain = gainFunction(options.gain);

  const idealGains = Float64Array.from(trueRelevance).sort().reverse();
  const ideal = discountedSum(idealGains, cut, toGain);
  if (ideal === 0) return 0;

  const order = orderByDescendingScore(scores);
  const d = discounts(cut);
  let dcg = 0;
  if (options.ignoreTies === true) {
    for (let i = 0; i < cut; i++) dcg += toGain(trueRelevance[order[i]]) * d[i];
  } else {
    forEachTieGroup(order, scores, (start, end) => {
      if (start >= cut) return;
      let groupGain = 0;
      for (let i = start; i < end; i++) groupGain += toGain(trueRelevance[order[i]]);
      let groupDiscount = 0;
      for (let i = start; i < Math.min(end, cut); i++) groupDiscount += d[i];
      dcg += (groupGain / (end - start)) * groupDiscount;
    });
  }
  return dcg / ideal;
}
