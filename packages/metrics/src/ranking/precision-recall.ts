import { gainsAtRanks, relevanceLookup, type Relevance } from '../shared/relevance';
import { validateK } from '../shared/validation';

/** The number of hits (gain > 0) among the first K of the rank-ordered gains (kernel, not exported by the package). */
export function hitsInGains(gains: Float64Array, k: number): number {
  const m = Math.min(gains.length, k);
  let hits = 0;
  for (let i = 0; i < m; i++) if (gains[i] > 0) hits++;
  return hits;
}

/**
 * Precision@K = |{relevant items among the first K of `ranked`}| / K.
 *
 * The denominator is K even when the list is shorter than K: missing slots count as misses (the TREC P@K
 * convention, and RecBole's `Precision`, whose lists always hold K items). A repeated item counts once.
 * With no relevant items the result is 0.
 *
 * Source: Manning, Raghavan & Schütze, Introduction to Information Retrieval (2008), §8.4;
 * RecBole `recbole/evaluator/metrics.py` (Precision).
 */
export function precisionAtK(ranked: ArrayLike<number>, relevant: Relevance, k: number): number {
  validateK(k, 'precisionAtK');
  return precisionOfGains(gainsAtRanks(ranked, relevanceLookup(relevant, 'precisionAtK'), k), k);
}

/** Precision@K of rank-ordered gains (kernel). */
export function precisionOfGains(gains: Float64Array, k: number): number {
  return hitsInGains(gains, k) / k;
}

/**
 * Recall@K = |{relevant items among the first K of `ranked`}| / |relevant|.
 *
 * A repeated item counts once. With no relevant items recall is undefined; this returns 0 (the accumulator
 * skips such users instead, see RankingMetricAccumulator).
 *
 * Source: Manning, Raghavan & Schütze (2008), §8.4; RecBole `recbole/evaluator/metrics.py` (Recall).
 */
export function recallAtK(ranked: ArrayLike<number>, relevant: Relevance, k: number): number {
  validateK(k, 'recallAtK');
  const lookup = relevanceLookup(relevant, 'recallAtK');
  return recallOfGains(gainsAtRanks(ranked, lookup, k), lookup.count, k);
}

/** Recall@K of rank-ordered gains given the number of relevant items (kernel); 0 when there are none. */
export function recallOfGains(gains: Float64Array, relevantCount: number, k: number): number {
  return relevantCount === 0 ? 0 : hitsInGains(gains, k) / relevantCount;
}
