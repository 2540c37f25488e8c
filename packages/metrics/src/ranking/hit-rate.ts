import { gainsAtRanks, relevanceLookup, type Relevance } from '../shared/relevance';
import { validateK } from '../shared/validation';
import { hitsInGains } from './precision-recall';

/**
 * Hit@K = 1 if at least one relevant item is among the first K of `ranked`, else 0. Its mean over users is
 * HitRate@K (HR@K).
 *
 * Source: Deshpande & Karypis, "Item-based top-N recommendation algorithms", ACM TOIS 22(1), 2004;
 * RecBole `recbole/evaluator/metrics.py` (Hit).
 */
export function hitAtK(ranked: ArrayLike<number>, relevant: Relevance, k: number): number {
  validateK(k, 'hitAtK');
  return hitOfGains(gainsAtRanks(ranked, relevanceLookup(relevant, 'hitAtK'), k), k);
}

/** Hit@K of rank-ordered gains (kernel). */
export function hitOfGains(gains: Float64Array, k: number): number {
  return hitsInGains(gains, k) > 0 ? 1 : 0;
}
