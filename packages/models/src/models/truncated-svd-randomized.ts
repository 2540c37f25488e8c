import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { Rng, type CsrMatrix } from '@recsys/data';

export interface RandomizedSvdOptions {
  /** Extra random directions p beyond the rank (the sketch has l = rank + p columns). Default 10. */
  oversampling?: number;
  /** Power iterations q: sharpen the sketch by (A Aᵀ)^q when the spectrum decays slowly. Default 4. */
  powerIterations?: number;
  seed: number;
}

/** A = U diag(s) Vᵀ truncated to `rank`: u is rows × rank, v is cols × rank, both row-major. */
export interface SvdResult {
  rank: number;
  u: Float64Array;
  s: Float64Array;
  v: Float64Array;
}

/**
 * Truncated SVD of a sparse matrix by the randomized range finder of Halko, Martinsson & Tropp 2011,
 * "Finding structure with randomness" (Algorithms 4.4 and 5.1):
 *   Y = A Ω with Gaussian Ω (cols × l);  Q = qr(Y);
 *   q times: Z = qr(Aᵀ Q), Q = qr(A Z)   (power iterations, re-orthonormalised each half);
 *   B = Qᵀ A (l × cols), computed as Bᵀ = Aᵀ Q = Q₂ R;  R = U_R Σ V_Rᵀ (SVD of l × l)
 *   ⇒ A ≈ Q B = (Q V_R) Σ (Q₂ U_R)ᵀ.
 * The sparse × dense products run over the CSR arrays; the small dense QR and SVD use ml-matrix.
 * `rank` is capped at min(rows, cols).
 */
export function randomizedSvd(a: CsrMatrix, rank: number, options: RandomizedSvdOptions): SvdResult {
  const m = a.rows;
  const n = a.cols;
  const l = Math.min(rank + (options.oversampling ?? 10), m, n);
  const k = Math.min(rank, l);
  const rng = new Rng(options.seed);
  const omega = new Float64Array(n * l);
  for (let t = 0; t < omega.length; t++) omega[t] = rng.normal();

  let q = orthonormalize(multiply(a, omega, l), m, l);
  for (let it = 0; it < (options.powerIterations ?? 4); it++) {
    const z = orthonormalize(multiplyTransposed(a, q, l), n, l);
    q = orthonormalize(multiply(a, z, l), m, l);
  }
  const bt = Matrix.from1DArray(n, l, multiplyTransposed(a, q, l));
  const qr = new QrDecomposition(bt);
  const svd = new SingularValueDecomposition(qr.upperTriangularMatrix, { autoTranspose: true });
  // Bᵀ = Q₂ R = Q₂ U_R Σ V_Rᵀ: left singular vectors of B are V_R, right ones Q₂ U_R.
  const u = times(q, m, l, svd.rightSingularVectors, k);
  const v = times(toArray(qr.orthogonalMatrix), n, l, svd.leftSingularVectors, k);
  const s = Float64Array.from(svd.diagonal.slice(0, k));
  return { rank: k, u, s, v };
}

/** A X for the cols × l row-major X: rows × l. */
function multiply(a: CsrMatrix, x: Float64Array, l: number): Float64Array {
  const out = new Float64Array(a.rows * l);
  for (let r = 0; r < a.rows; r++) {
    const oo = r * l;
    for (let e = a.indptr[r]; e < a.indptr[r + 1]; e++) {
      const xo = a.indices[e] * l;
      const w = a.data[e];
      for (let c = 0; c < l; c++) out[oo + c] += w * x[xo + c];
    }
  }
  return out;
}

/** Aᵀ X for the rows × l row-major X: cols × l (a scatter by rows, no transpose built). */
function multiplyTransposed(a: CsrMatrix, x: Float64Array, l: number): Float64Array {
  const out = new Float64Array(a.cols * l);
  for (let r = 0; r < a.rows; r++) {
    const xo = r * l;
    for (let e = a.indptr[r]; e < a.indptr[r + 1]; e++) {
      const oo = a.indices[e] * l;
      const w = a.data[e];
      for (let c = 0; c < l; c++) out[oo + c] += w * x[xo + c];
    }
  }
  return out;
}

/** An orthonormal basis (Householder QR's thin Q) of the columns of the rows × l row-major matrix. */
function orthonormalize(x: Float64Array, rows: number, l: number): Float64Array {
  return toArray(new QrDecomposition(Matrix.from1DArray(rows, l, x)).orthogonalMatrix);
}

function toArray(matrix: Matrix): Float64Array {
  const out = new Float64Array(matrix.rows * matrix.columns);
  for (let i = 0; i < matrix.rows; i++) out.set(matrix.getRow(i), i * matrix.columns);
  return out;
}

/** The first `k` columns of X W for the rows × l row-major X and the l × l matrix W. */
function times(x: Float64Array, rows: number, l: number, w: Matrix, k: number): Float64Array {
  const wk = new Float64Array(l * k);
  for (let i = 0; i < l; i++) for (let j = 0; j < k; j++) wk[i * k + j] = w.get(i, j);
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < l; i++) {
      const xv = x[r * l + i];
      if (xv === 0) continue;
      for (let j = 0; j < k; j++) out[r * k + j] += xv * wk[i * k + j];
    }
  }
  return out;
}
