import { MetricErrorCode, MetricInputError } from '../metric-input-error';
import { forEachTieGroup, orderByDescendingScore } from '../shared/score-order';
import { assertFinite, assertSameLength, countBinaryLabels } from '../shared/validation';

/**
 * ROC AUC as the Mann–Whitney U statistic: the probability that a random positive scores above a random
 * negative, counting ties as one half.
 *
 *   AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ · n₋)
 *
 * where R₊ is the sum of the (1-based, ascending) ranks of the positives and tied scores get the average of
 * the ranks they span. This equals scikit-learn's `roc_auc_score(labels, scores)` including ties (its
 * trapezoidal ROC integration gives the same ½ credit per tied pair).
 *
 * Labels are 0/1 and scores finite (NaN is rejected). Throws MetricInputError `UNDEFINED_METRIC` when only
 * one class is present, as scikit-learn raises.
 *
 * Source: Hanley & McNeil, "The meaning and use of the area under a ROC curve", Radiology 143, 1982;
 * Mann & Whitney, Ann. Math. Statist. 18(1), 1947; scikit-learn `sklearn/metrics/_ranking.py`.
 */
export function aucOfScores(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const fn = 'aucOfScores';
  assertSameLength(scores, 'scores', labels, 'labels', fn);
  assertFinite(scores, 'scores', fn);
  const positives = countBinaryLabels(labels, fn);
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new MetricInputError(
      MetricErrorCode.UNDEFINED_METRIC,
      `${fn}: AUC is undefined with only one class present (${positives} positives, ${negatives} negatives)`,
    );
  }
  // Descending order: the group at positions start..end-1 holds ascending ranks n-end+1..n-start.
  const n = scores.length;
  const order = orderByDescendingScore(scores);
  let positiveRankSum = 0;
  forEachTieGroup(order, scores, (start, end) => {
    let groupPositives = 0;
    for (let i = start; i < end; i++) groupPositives += labels[order[i]];
    const averageRank = (n - end + 1 + (n - start)) / 2;
    positiveRankSum += groupPositives * averageRank;
  });
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
