import { assertFinite, assertItemInRange, validateK } from '../shared/validation';
import { categoryRow, embeddingItemCount, type ItemCategories, type ItemEmbeddings } from './item-features';

/**
 * Distance between two items' category sets A and B:
 * `jaccard`: 1 − |A ∩ B| / |A ∪ B|; `cosine`: 1 − |A ∩ B| / sqrt(|A| · |B|) (cosine of multi-hot vectors).
 * Two items with no category are at distance 0 (indistinguishable); one empty set against a non-empty one
 * is at distance 1.
 */
export type CategoryDistance = 'jaccard' | 'cosine';

export interface CategoryDiversityOptions {
  /** @defaultValue 'jaccard' */
  readonly distance?: CategoryDistance;
}

function intersectionSize(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return common;
}

function categoryDistance(a: Int32Array, b: Int32Array, distance: CategoryDistance): number {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0 || b.length === 0) return 1;
  const common = intersectionSize(a, b);
  return distance === 'cosine'
    ? 1 - common / Math.sqrt(a.length * b.length)
    : 1 - common / (a.length + b.length - common);
}

/** Mean of `distance(i, j)` over the m(m−1)/2 unordered pairs of the first m positions; 0 when m < 2. */
function meanPairwise(m: number, distance: (i: number, j: number) => number): number {
  if (m < 2) return 0;
  let sum = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) sum += distance(i, j);
  return sum / ((m * (m - 1)) / 2);
}

/**
 * Intra-list diversity by category: ILD@K = (2 / (m(m − 1))) · Σ_{i<j≤m} d(c_i, c_j) over the first
 * m = min(K, n) items of `ranked`, with d the Jaccard (default) or multi-hot cosine distance of their
 * category sets. A list of fewer than 2 items has ILD 0. Pairs are taken over slots as given, so a repeated
 * item adds a zero-distance pair.
 *
 * Source: Ziegler, McNee, Konstan & Lausen, "Improving recommendation lists through topic
 * diversification", WWW 2005; Smyth & McClave, "Similarity vs. diversity", ICCBR 2001.
 */
export function intraListDiversityByCategory(
  ranked: ArrayLike<number>,
  categories: ItemCategories,
  k: number,
  options: CategoryDiversityOptions = {},
): number {
  const fn = 'intraListDiversityByCategory';
  validateK(k, fn);
  const m = Math.min(ranked.length, k);
  const rows: Int32Array[] = [];
  for (let i = 0; i < m; i++) rows.push(categoryRow(categories, ranked[i], fn));
  const distance = options.distance ?? 'jaccard';
  return meanPairwise(m, (i, j) => categoryDistance(rows[i], rows[j], distance));
}

/**
 * Intra-list diversity by embedding: ILD@K = (2 / (m(m − 1))) · Σ_{i<j≤m} (1 − cos(e_i, e_j)) over the
 * first m = min(K, n) items of `ranked`, where e_i is the item's embedding row. A zero vector has cosine
 * similarity 0 with everything (distance 1). A list of fewer than 2 items has ILD 0. Embedding values must be
 * finite.
 *
 * Source: Ziegler et al., WWW 2005; Vargas & Castells, "Rank and relevance in novelty and diversity metrics
 * for recommender systems", RecSys 2011.
 */
export function intraListDiversityByEmbedding(
  ranked: ArrayLike<number>,
  embeddings: ItemEmbeddings,
  k: number,
): number {
  const fn = 'intraListDiversityByEmbedding';
  validateK(k, fn);
  const numItems = embeddingItemCount(embeddings, fn);
  const { vectors, dim } = embeddings;
  const m = Math.min(ranked.length, k);
  const rows: (Float32Array | Float64Array)[] = [];
  const norms = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const item = ranked[i];
    assertItemInRange(item, numItems, fn);
    const row = vectors.subarray(item * dim, (item + 1) * dim);
    assertFinite(row, `embedding of item ${item}`, fn);
    let squares = 0;
    for (let d = 0; d < dim; d++) squares += row[d] * row[d];
    rows.push(row);
    norms[i] = Math.sqrt(squares);
  }
  return meanPairwise(m, (i, j) => {
    if (norms[i] === 0 || norms[j] === 0) return 1;
    let dot = 0;
    const a = rows[i];
    const b = rows[j];
    for (let d = 0; d < dim; d++) dot += a[d] * b[d];
    return 1 - dot / (norms[i] * norms[j]);
  });
}
