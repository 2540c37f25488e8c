import { rowOf, type CsrMatrix } from '@recsys/data';

/**
 * Puts one base model's scores for one user on a common scale, in place: z = (s − μ) / σ with μ and σ
 * over the items the user has not seen (the candidates; seen items are scaled with the same μ, σ).
 *
 * Why per user and why z-scores: base scores live on unrelated scales (EASE sums item weights, ALS
 * takes dot products near 0..1, item-kNN sums BM25-weighted similarities that grow with a user's
 * history), and within one model the scale still varies by user, so one global weight per model on raw
 * scores would let whichever model is loudest for a user decide that user's list. Standardising per
 * user makes a weight mean "how many of this user's standard deviations the model's favourite stands
 * out", comparable across models and users. Unlike rank normalisation it keeps the size of the gaps at
 * the top (a model that is sure about one item says so), and it costs O(items), no sort.
 *
 * A user whose scores are all equal gets zeros (no opinion). Non-finite scores (a base model's way to
 * rule an item out) become the lowest finite z of the row, so a zero weight never turns them into NaN.
 */
export function zScoreInPlace(scores: Float32Array, seen: CsrMatrix, user: number): void {
  const n = scores.length;
  // Mark the user's seen items by flipping a scratch mask (rows are short next to the catalog).
  const mask = seenMask(n);
  const row = user < seen.rows ? rowOf(seen, user).indices : EMPTY;
  for (let k = 0; k < row.length; k++) mask[row[k]] = 1;
  // Two passes (mean, then spread) over the unseen, finite scores.
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (mask[i] === 0 && Number.isFinite(s)) {
      sum += s;
      count++;
    }
  }
  const mean = count > 0 ? sum / count : 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (mask[i] === 0 && Number.isFinite(s)) squares += (s - mean) * (s - mean);
  }
  for (let k = 0; k < row.length; k++) mask[row[k]] = 0;
  const std = count > 1 ? Math.sqrt(squares / count) : 0;
  // Float32 scores carry ~7 digits: a spread below that, relative to the mean, is rounding, not opinion.
  const scale = std > 1e-6 * Math.abs(mean) ? 1 / std : 0;
  let lowest = Infinity;
  let nonFinite = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (Number.isFinite(s)) {
      const z = (s - mean) * scale;
      scores[i] = z;
      if (z < lowest) lowest = z;
    } else {
      nonFinite++;
    }
  }
  if (nonFinite === 0) return;
  if (!Number.isFinite(lowest)) lowest = 0;
  for (let i = 0; i < n; i++) if (!Number.isFinite(scores[i])) scores[i] = lowest;
}

const EMPTY = new Int32Array(0);
let mask = new Uint8Array(0);

/** A zeroed scratch mask of at least `n` entries, reused across calls (callers leave it zeroed). */
function seenMask(n: number): Uint8Array {
  if (mask.length < n) mask = new Uint8Array(n);
  return mask;
}
