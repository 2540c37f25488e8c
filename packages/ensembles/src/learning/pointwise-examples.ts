import type { Rng } from '@recsys/data';
import type { RankingList } from './ranking-lists';

/**
 * Classification rows from ranking lists: every relevant candidate (label 1) and, per list,
 * `negativesPerPositive` × its positives of the other candidates drawn without replacement (label 0;
 * all of them when 0 or when there are fewer). The candidates are the items the base models already
 * rank highly, so the negatives are the hard ones a meta-learner must tell apart from the positives.
 */
export function pointwiseExamples(
  lists: readonly RankingList[],
  dimension: number,
  negativesPerPositive: number,
  rng: Rng,
): { x: Float32Array; y: Uint8Array } {
  const chosen: { list: RankingList; rows: number[]; positives: number }[] = [];
  let total = 0;
  for (const list of lists) {
    const positives: number[] = [];
    const negatives: number[] = [];
    for (let c = 0; c < list.relevant.length; c++) (list.relevant[c] === 1 ? positives : negatives).push(c);
    if (positives.length === 0) continue;
    const want = negativesPerPositive > 0 ? negativesPerPositive * positives.length : negatives.length;
    // A partial Fisher-Yates: the first `take` slots become a uniform sample.
    const take = Math.min(want, negatives.length);
    for (let s = 0; s < take; s++) {
      const j = s + rng.int(negatives.length - s);
      [negatives[s], negatives[j]] = [negatives[j], negatives[s]];
    }
    chosen.push({ list, rows: [...positives, ...negatives.slice(0, take)], positives: positives.length });
    total += positives.length + take;
  }
  const x = new Float32Array(total * dimension);
  const y = new Uint8Array(total);
  let r = 0;
  for (const { list, rows, positives } of chosen) {
    rows.forEach((c, k) => {
      x.set(list.features.subarray(c * dimension, (c + 1) * dimension), r * dimension);
      y[r] = k < positives ? 1 : 0;
      r++;
    });
  }
  return { x, y };
}
