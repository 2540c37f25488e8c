import type { CsrMatrix } from '@recsys/data';
import type { Recommender } from '@recsys/models';
import { zScoreInPlace } from './normalize-scores';

/**
 * Every base model's scores for `user`, each standardised per user (zScoreInPlace), into `out` as
 * items × models row-major (item i's scores at out[i·M .. i·M + M)), the layout a feature row needs.
 * `scratch` holds one model's raw scores (length items).
 */
export function normalizedBaseScores(
  bases: readonly Recommender[],
  seen: CsrMatrix,
  user: number,
  out: Float32Array,
  scratch: Float32Array,
): Float32Array {
  const m = bases.length;
  const n = scratch.length;
  for (let b = 0; b < m; b++) {
    const scores = bases[b].scoreAll(user, scratch);
    zScoreInPlace(scores, seen, user);
    for (let i = 0; i < n; i++) out[i * m + b] = scores[i];
  }
  return out;
}
