import { MetricErrorCode, MetricInputError } from '../metric-input-error';
import { assertFinite, assertNonEmpty } from '../shared/validation';
import { itemExposure } from './exposure';

/**
 * Gini index of non-negative values c_1..c_n:
 *
 *   G = Σ_{j=1..n} (2j − n − 1) · c_(j) / (n · Σ_j c_j)
 *
 * with c_(1) ≤ … ≤ c_(n) sorted ascending. 0 when all values are equal; (n − 1)/n when one holds everything.
 * Throws MetricInputError `UNDEFINED_METRIC` when all values are 0 and `INVALID_INPUT` on a negative value.
 *
 * Source: Gini (1912); the form used by RecBole `recbole/evaluator/metrics.py` (GiniIndex).
 */
export function giniIndex(values: ArrayLike<number>): number {
  const fn = 'giniIndex';
  assertNonEmpty(values, 'values', fn);
  assertFinite(values, 'values', fn);
  const sorted = Float64Array.from(values).sort();
  if (sorted[0] < 0) {
    throw new MetricInputError(
      MetricErrorCode.INVALID_INPUT,
      `${fn}: values must be >= 0, found ${sorted[0]}`,
    );
  }
  const n = sorted.length;
  let total = 0;
  let weighted = 0;
  for (let j = 0; j < n; j++) {
    total += sorted[j];
    weighted += (2 * (j + 1) - n - 1) * sorted[j];
  }
  if (total === 0) throw new MetricInputError(MetricErrorCode.UNDEFINED_METRIC, `${fn}: all values are 0`);
  return weighted / (n * total);
}

/**
 * Gini index of item exposure: `giniIndex(itemExposure(lists, numItems, k))`, over every catalog item, so
 * items never recommended count with exposure 0. 0 means every item is shown equally often; values near 1
 * mean exposure concentrates on a few items. A repeated item counts once per list.
 *
 * Source: Fleder & Hosanagar, "Blockbuster culture's next rise or fall", Management Science 55(5), 2009;
 * Castells, Hurley & Vargas, "Novelty and diversity in recommender systems", Recommender Systems
 * Handbook (2015); RecBole (GiniIndex).
 */
export function exposureGini(lists: ReadonlyArray<ArrayLike<number>>, numItems: number, k?: number): number {
  return giniIndex(itemExposure(lists, numItems, k));
}
