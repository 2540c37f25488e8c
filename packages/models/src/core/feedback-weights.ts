import { userItemMatrix, type CsrMatrix, type InteractionDataset } from '@recsys/data';

/**
 * What a user-item cell weighs in a neighbourhood or content model: `binary` (every training item
 * counts 1, implicit feedback) or `rating` (the event's value, the latest re-rating winning; 1 for
 * events that carry no value, such as clicks).
 */
export type Feedback = 'binary' | 'rating';

/**
 * The user × item matrix of weights on the sparsity pattern of `seen` (the binary training matrix
 * BaseRecommender keeps): same `indptr` and `indices`, so models only need to save `data` (and nothing
 * at all for binary feedback) to rebuild it after load.
 */
export function feedbackMatrix(dataset: InteractionDataset, seen: CsrMatrix, feedback: Feedback): CsrMatrix {
  if (feedback === 'binary') return seen;
  const ratings = userItemMatrix(dataset.log, seen.rows, seen.cols, { value: 'rating' });
  const data = new Float32Array(seen.indices.length).fill(1);
  for (let u = 0; u < seen.rows; u++) {
    // Both rows are sorted by item; the rated items are a subset of the seen ones.
    let r = ratings.indptr[u];
    const rEnd = ratings.indptr[u + 1];
    for (let k = seen.indptr[u], end = seen.indptr[u + 1]; k < end && r < rEnd; k++) {
      if (ratings.indices[r] === seen.indices[k]) data[k] = ratings.data[r++];
    }
  }
  return withData(seen, data);
}

/** `seen` with other values on the same pattern (after load: the saved weights). */
export function withData(seen: CsrMatrix, data: Float32Array): CsrMatrix {
  if (data.length !== seen.indices.length) {
    throw new RangeError(
      `feedback weights: ${data.length} values for ${seen.indices.length} training entries`,
    );
  }
  return { rows: seen.rows, cols: seen.cols, indptr: seen.indptr, indices: seen.indices, data };
}
