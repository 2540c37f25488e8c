import { coveredShare, itemExposure } from './exposure';

/**
 * Catalog coverage@K = |∪_u top-K(u)| / |I|: the share of the catalog's numItems items that appear in at least
 * one list's first K positions (whole lists without K). Item ids must be integers in 0..numItems-1.
 * No lists give 0.
 *
 * Source: Ge, Delgado-Battenfeld & Jannach, "Beyond accuracy: evaluating recommender systems by coverage
 * and serendipity", RecSys 2010; RecBole `recbole/evaluator/metrics.py` (ItemCoverage).
 */
export function catalogCoverage(
  lists: ReadonlyArray<ArrayLike<number>>,
  numItems: number,
  k?: number,
): number {
  return coveredShare(itemExposure(lists, numItems, k));
}
