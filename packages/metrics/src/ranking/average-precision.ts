import { gainsAtRanks, relevanceLookup, type Relevance } from '../shared/relevance';
import { forEachTieGroup, orderByDescendingScore } from '../shared/score-order';
import { assertFinite, assertSameLength, countBinaryLabels, validateK } from '../shared/validation';

/** Σ_{i ≤ K} P@i · rel_i over the first K rank-ordered gains. */
function sumOfPrecisionsAtHits(gains: Float64Array, k: number): number {
  const m = Math.min(gains.length, k);
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    if (gains[i] > 0) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  return sum;
}

/**
 * AP@K = (1 / min(|relevant|, K)) · Σ_{i=1..K} P@i · rel_i, where rel_i is 1 when the item at rank i is
 * relevant (first occurrence only) and P@i is precision at cutoff i. MAP@K is its mean over users.
 *
 * Denominator min(|relevant|, K), so a perfect top-K scores 1 even when the user has more than K relevant
 * items: the convention of RecBole (`MAP`), implicit (`mean_average_precision_at_k`) and Microsoft
 * Recommenders (`map_at_k`). With no relevant items the result is 0.
 *
 * Source: RecBole `recbole/evaluator/metrics.py` (MAP); implicit `implicit/evaluation.pyx`;
 * Manning, Raghavan & Schütze (2008), §8.4.
 */
export function averagePrecisionAtK(ranked: ArrayLike<number>, relevant: Relevance, k: number): number {
  validateK(k, 'averagePrecisionAtK');
  const lookup = relevanceLookup(relevant, 'averagePrecisionAtK');
  return averagePrecisionOfGains(gainsAtRanks(ranked, lookup, k), lookup.count, k);
}

/** AP@K of rank-ordered gains given the number of relevant items (kernel); 0 when there are none. */
export function averagePrecisionOfGains(gains: Float64Array, relevantCount: number, k: number): number {
  return relevantCount === 0 ? 0 : sumOfPrecisionsAtHits(gains, k) / Math.min(relevantCount, k);
}

/**
 * AP over the whole ranked list: (1 / |relevant|) · Σ_i P@i · rel_i. Relevant items missing from the list
 * count as never retrieved. On a ranking without tied scores this equals scikit-learn's
 * `average_precision_score` (see `averagePrecisionFromScores` for the tie-aware, score-based form).
 * With no relevant items the result is 0 (as scikit-learn returns, with a warning).
 *
 * Source: Manning, Raghavan & Schütze (2008), §8.4; scikit-learn `sklearn/metrics/_ranking.py`.
 */
export function averagePrecision(ranked: ArrayLike<number>, relevant: Relevance): number {
  const lookup = relevanceLookup(relevant, 'averagePrecision');
  if (lookup.count === 0) return 0;
  return sumOfPrecisionsAtHits(gainsAtRanks(ranked, lookup, ranked.length), ranked.length) / lookup.count;
}

/**
 * scikit-learn's `average_precision_score(labels, scores)`: AP = Σ_n (R_n − R_{n−1}) · P_n over the
 * distinct score thresholds in descending order, where P_n and R_n are precision and recall of
 * "score ≥ threshold n". Items with tied scores enter together, so a tie group's positives share the
 * precision at the end of the group. Labels are 0/1; scores must be finite. With no positive the result is 0.
 *
 * Source: scikit-learn `sklearn/metrics/_ranking.py` (average_precision_score, precision_recall_curve);
 * Zhu, "Recall, precision and average precision" (2004).
 */
export function averagePrecisionFromScores(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const fn = 'averagePrecisionFromScores';
  assertSameLength(labels, 'labels', scores, 'scores', fn);
  assertFinite(scores, 'scores', fn);
  const positives = countBinaryLabels(labels, fn);
  if (positives === 0) return 0;
  const order = orderByDescendingScore(scores);
  let truePositives = 0;
  let sum = 0;
  forEachTieGroup(order, scores, (start, end) => {
    let groupPositives = 0;
    for (let i = start; i < end; i++) groupPositives += labels[order[i]];
    if (groupPositives === 0) return;
    truePositives += groupPositives;
    sum += groupPositives * (truePositives / end);
  });
  return sum / positives;
}
