import { Rng } from '@recsys/data';
import type { SequentialRecommender } from '../../src';

/**
 * `rows` random sequences of 1..maxLen items (each length drawn, some full, some of one item),
 * left-padded with −1 into rows × maxLen, and `perRow` random candidates per row.
 */
export function randomSequences(
  seed: number,
  rows: number,
  maxLen: number,
  items: number,
  perRow: number,
): { padded: Int32Array; sequences: number[][]; candidates: Int32Array } {
  const rng = new Rng(seed);
  const padded = new Int32Array(rows * maxLen).fill(-1);
  const sequences: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const length = r === 0 ? maxLen : r === 1 ? 1 : 1 + rng.int(maxLen);
    const seq = Array.from({ length }, () => rng.int(items));
    padded.set(seq, r * maxLen + maxLen - length);
    sequences.push(seq);
  }
  const candidates = Int32Array.from({ length: rows * perRow }, () => rng.int(items));
  return { padded, sequences, candidates };
}

/** The largest |TF.js − ONNX| over rows × perRow scores, TF.js scoring each row with scoreSequence. */
export function worstDifference(
  // Any sequential model: only scoreSequence is used.
  model: Pick<SequentialRecommender<never>, 'scoreSequence'>,
  sequences: number[][],
  candidates: Int32Array,
  onnx: Float32Array,
): number {
  const perRow = candidates.length / sequences.length;
  let worst = 0;
  sequences.forEach((seq, r) => {
    const tfjs = model.scoreSequence(seq, candidates.subarray(r * perRow, (r + 1) * perRow));
    for (let j = 0; j < perRow; j++) worst = Math.max(worst, Math.abs(tfjs[j] - onnx[r * perRow + j]));
  });
  return worst;
}
