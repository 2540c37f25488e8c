import { gainsAtRanks, relevanceLookup, type Relevance } from '../shared/relevance';
import { validateK } from '../shared/validation';

/** 1 / rank of the first gain > 0 among the first K rank-ordered gains, or 0 (kernel). */
export function reciprocalRankOfGains(gains: Float64Array, k: number): number {
  const m = Math.min(gains.length, k);
  for (let i = 0; i < m; i++) if (gains[i] > 0) return 1 / (i + 1);
  return 0;
}

/**
 * RR@K = 1 / rank of the first relevant item among the first K of `ranked` (ranks start at 1), or 0 when
 * none is there. Without `k` the whole list is searched. Its mean over users is MRR (MRR@K).
 *
 * Source: Voorhees, "The TREC-8 question answering track report", TREC 1999;
 * RecBole `recbole/evaluator/metrics.py` (MRR).
 */
export function reciprocalRank(ranked: ArrayLike<number>, relevant: Relevance, k?: number): number {
  if (k !== undefined) validateK(k, 'reciprocalRank');
  const cut = k ?? ranked.length;
  return reciprocalRankOfGains(gainsAtRanks(ranked, relevanceLookup(relevant, 'reciprocalRank'), cut), cut);
}
