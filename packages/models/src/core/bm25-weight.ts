import type { CsrMatrix } from '@recsys/data';

/**
 * Okapi BM25 weighting of a user × item matrix, as implicit's `bm25_weight` applies it before item-item
 * similarities: each cell becomes x · (k1 + 1) / (k1 · (1 − b + b · n_u / avg n) + x) · idf_i with
 * idf_i = ln(U) − ln(1 + df_i), where n_u is the user's number of items, U the number of users and df_i the
 * item's number of users. Popular items and heavy users weigh less. Same sparsity pattern as `x`.
 */
export function bm25Weight(x: CsrMatrix, k1: number, b: number): CsrMatrix {
  const df = new Float64Array(x.cols);
  for (let k = 0; k < x.indices.length; k++) df[x.indices[k]]++;
  let activeRows = 0;
  for (let u = 0; u < x.rows; u++) if (x.indptr[u + 1] > x.indptr[u]) activeRows++;
  const avg = activeRows > 0 ? x.indices.length / activeRows : 1;
  const logUsers = Math.log(x.rows);
  const data = new Float32Array(x.data.length);
  for (let u = 0; u < x.rows; u++) {
    const start = x.indptr[u];
    const end = x.indptr[u + 1];
    const lengthNorm = 1 - b + (b * (end - start)) / avg;
    for (let k = start; k < end; k++) {
      const v = x.data[k];
      data[k] = ((v * (k1 + 1)) / (k1 * lengthNorm + v)) * (logUsers - Math.log1p(df[x.indices[k]]));
    }
  }
  return { rows: x.rows, cols: x.cols, indptr: x.indptr, indices: x.indices, data };
}
