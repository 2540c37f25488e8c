import type { ItemSideData, MultiValueColumn } from '@recsys/data';
import { requireOption } from '../errors';

export interface ContentSimilarityWeights {
  /** @defaultValue 1 */
  category?: number;
  /** @defaultValue 1 */
  tag?: number;
  /** Weight of "same provider" (a provider's services tend to share audience and quality). @defaultValue 0.5 */
  provider?: number;
}

/**
 * Metadata similarity of every catalog service to `anchor`, for services nobody has used yet:
 *
 *   sim(a, j) = (w_c · J(C_a, C_j) + w_t · J(T_a, T_j) + w_p · [provider_a = provider_j]) / (w_c + w_t + w_p)
 *
 * with J the Jaccard index of the category sets C and tag sets T (the category-similarity model's formula,
 * plus the provider). A part the anchor lacks (no tags, no provider) leaves the formula, so an anchor with
 * categories only is compared on categories alone. The anchor itself scores 0. O(catalog + memberships).
 */
export function contentSimilarity(
  side: ItemSideData,
  anchor: number,
  weights: ContentSimilarityWeights = {},
): Float32Array {
  const wc = weights.category ?? 1;
  const wt = weights.tag ?? 1;
  const wp = weights.provider ?? 0.5;
  requireOption(wc >= 0 && wt >= 0 && wp >= 0, 'content similarity weights', '≥ 0', `${wc}, ${wt}, ${wp}`);
  const n = side.providers.length;
  const out = new Float32Array(n);
  const cats = jaccardTo(side.categories, anchor, n);
  const tags = jaccardTo(side.tags, anchor, n);
  const hasCats = side.categories.offsets[anchor + 1] > side.categories.offsets[anchor];
  const hasTags = side.tags.offsets[anchor + 1] > side.tags.offsets[anchor];
  const provider = side.providers[anchor];
  const total = (hasCats ? wc : 0) + (hasTags ? wt : 0) + (provider >= 0 ? wp : 0);
  if (total === 0) return out;
  for (let j = 0; j < n; j++) {
    if (j === anchor) continue;
    let s = 0;
    if (hasCats) s += wc * cats[j];
    if (hasTags) s += wt * tags[j];
    if (provider >= 0 && side.providers[j] === provider) s += wp;
    out[j] = s / total;
  }
  return out;
}

/** J(V_anchor, V_j) for every row j of a multi-value column (duplicates within a row count once). */
function jaccardTo(column: MultiValueColumn, anchor: number, n: number): Float64Array {
  const { offsets, values } = column;
  const mark = new Uint8Array(column.vocab.size);
  let sizeA = 0;
  for (let k = offsets[anchor]; k < offsets[anchor + 1]; k++)
    if (mark[values[k]] === 0) {
      mark[values[k]] = 1;
      sizeA++;
    }
  const out = new Float64Array(n);
  if (sizeA === 0) return out;
  const seen = new Int32Array(column.vocab.size).fill(-1);
  for (let j = 0; j < n; j++) {
    let inter = 0;
    let size = 0;
    for (let k = offsets[j]; k < offsets[j + 1]; k++) {
      const v = values[k];
      if (seen[v] === j) continue;
      seen[v] = j;
      size++;
      if (mark[v] === 1) inter++;
    }
    out[j] = inter / (sizeA + size - inter);
  }
  return out;
}
