import { MetricErrorCode, MetricInputError } from '../metric-input-error';
import { assertItemInRange, validateK } from '../shared/validation';
import { validatePopularity, type ItemPopularity } from './popularity';

export interface NoveltyOptions {
  /**
   * The count used for an item no user interacted with (p(i) = 0 makes −log2 p(i) infinite). Unset, such an
   * item throws MetricInputError `UNDEFINED_METRIC`; a common choice is 1 (novelty log2(numUsers)).
   * @defaultValue undefined
   */
  readonly unseenItemCount?: number;
}

/**
 * Novelty@K = (1/m) · Σ_{i in the first m = min(K, n) items} −log2 p(i), the mean self-information of the
 * recommended items, with p(i) = userCounts[i] / numUsers the share of users who interacted with item i.
 * Computed over slots as given (a repeated item counts each time). An empty list gives 0.
 *
 * Validates the whole popularity table on each call (O(|I|)); for many lists use RankingMetricAccumulator,
 * which validates it once.
 *
 * Source: Zhou et al., "Solving the apparent diversity–accuracy dilemma of recommender systems", PNAS
 * 107(10), 2010; Vargas & Castells, RecSys 2011.
 */
export function novelty(
  ranked: ArrayLike<number>,
  popularity: ItemPopularity,
  k: number,
  options: NoveltyOptions = {},
): number {
  validatePopularity(popularity, 'novelty');
  return noveltyOfValidated(ranked, popularity, k, options);
}

/** `novelty` without re-validating the popularity table (used by the accumulator). */
export function noveltyOfValidated(
  ranked: ArrayLike<number>,
  popularity: ItemPopularity,
  k: number,
  options: NoveltyOptions,
): number {
  const fn = 'novelty';
  validateK(k, fn);
  const { userCounts, numUsers } = popularity;
  const unseen = options.unseenItemCount;
  if (unseen !== undefined && !(unseen > 0 && unseen <= numUsers)) {
    throw new MetricInputError(
      MetricErrorCode.INVALID_INPUT,
      `${fn}: unseenItemCount must be in (0, numUsers], got ${unseen}`,
    );
  }
  const m = Math.min(ranked.length, k);
  if (m === 0) return 0;
  let sum = 0;
  for (let p = 0; p < m; p++) {
    const item = ranked[p];
    assertItemInRange(item, userCounts.length, fn);
    let count = userCounts[item];
    if (count === 0) {
      if (unseen === undefined) {
        throw new MetricInputError(
          MetricErrorCode.UNDEFINED_METRIC,
          `${fn}: item ${item} has popularity 0, so its self-information is infinite (set unseenItemCount)`,
        );
      }
      count = unseen;
    }
    sum += -Math.log2(count / numUsers);
  }
  return sum / m;
}
