/**
 * The numerical kernels of implicit-feedback ALS (Hu, Koren & Volinsky 2008) with the conjugate-gradient
 * row solver of Takács, Pilászy & Tikk 2011, as benfred/implicit's `_least_squares_cg`.
 *
 * For one row u of X (users, or items in the other half-iteration) against the fixed factors Y, with
 * confidence c_ui = 1 + w_ui (w_ui = alpha · r_ui on observed cells, 0 elsewhere) and preference 1 on
 * observed cells, the row minimises
 *   f(x) = Σ_i c_ui (p_ui − x·y_i)² + λ|x|²,
 * whose normal equations are A x = b with
 *   A = YᵀY + λI + Σ_{i∈obs(u)} w_ui y_i y_iᵀ,   b = Σ_{i∈obs(u)} c_ui y_i.
 * YᵀY + λI is shared by every row (computed once per half-iteration by `gramian`); the sparse part is
 * applied as a matrix-free product, so a CG step costs O(d² + |obs(u)| d) and A is never formed.
 * CG starts from the row's previous factors (a warm start), so a few steps per sweep suffice.
 *
 * `solveAlsRows` must stay self-contained (no imports, no calls to other functions of this module):
 * the worker threads run its source text (`solveAlsRows.toString()`), so that the threaded and the inline
 * path share one implementation and workers need no compiled .js file.
 */

/** Floats of Float64 scratch `solveAlsRows` needs: four vectors of `dim`. */
export function solverScratchLength(dim: number): number {
  return 4 * dim;
}

/**
 * Updates rows [start, end) of `X` (row-major, `dim` columns, Float32) in place by `cgSteps` CG steps each.
 * `indptr`/`indices`/`weights` is the CSR of the rows' observed cells with w = alpha · r;
 * `gram` = YᵀY + λI (dim × dim, Float64). When `loss` is given, loss[u] receives f(x_u) after the update,
 * from CG's residual r = b − A x as f(x) = Σ c_ui − bᵀx − rᵀx (one extra pass over the row's cells).
 */
export function solveAlsRows(
  X: Float32Array,
  Y: Float32Array,
  dim: number,
  indptr: Int32Array,
  indices: Int32Array,
  weights: Float32Array,
  gram: Float64Array,
  cgSteps: number,
  start: number,
  end: number,
  loss: Float64Array | null,
  scratch: Float64Array,
): void {
  const d = dim;
  const d4 = d - (d % 4); // loops run four lanes at a time with separate accumulators, then the rest
  const x = scratch.subarray(0, d);
  const r = scratch.subarray(d, 2 * d);
  const p = scratch.subarray(2 * d, 3 * d);
  const ap = scratch.subarray(3 * d, 4 * d);
  for (let u = start; u < end; u++) {
    const xo = u * d;
    const rowStart = indptr[u];
    const rowEnd = indptr[u + 1];
    for (let f = 0; f < d; f++) x[f] = X[xo + f];

    // r = b − A x = −(YᵀY + λI) x + Σ_i (c_i − w_i (y_i·x)) y_i
    for (let a = 0; a < d; a++) {
      const go = a * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let f = 0;
      for (; f < d4; f += 4) {
        s0 += gram[go + f] * x[f];
        s1 += gram[go + f + 1] * x[f + 1];
        s2 += gram[go + f + 2] * x[f + 2];
        s3 += gram[go + f + 3] * x[f + 3];
      }
      for (; f < d; f++) s0 += gram[go + f] * x[f];
      r[a] = -(s0 + s1 + s2 + s3);
    }
    for (let k = rowStart; k < rowEnd; k++) {
      const yo = indices[k] * d;
      const w = weights[k];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let f = 0;
      for (; f < d4; f += 4) {
        s0 += Y[yo + f] * x[f];
        s1 += Y[yo + f + 1] * x[f + 1];
        s2 += Y[yo + f + 2] * x[f + 2];
        s3 += Y[yo + f + 3] * x[f + 3];
      }
      for (; f < d; f++) s0 += Y[yo + f] * x[f];
      const coef = 1 + w - w * (s0 + s1 + s2 + s3);
      for (f = 0; f < d4; f += 4) {
        r[f] += coef * Y[yo + f];
        r[f + 1] += coef * Y[yo + f + 1];
        r[f + 2] += coef * Y[yo + f + 2];
        r[f + 3] += coef * Y[yo + f + 3];
      }
      for (; f < d; f++) r[f] += coef * Y[yo + f];
    }

    let rsOld = 0;
    for (let f = 0; f < d; f++) {
      p[f] = r[f];
      rsOld += r[f] * r[f];
    }
    if (rsOld >= 1e-20) {
      for (let step = 0; step < cgSteps; step++) {
        // ap = A p = (YᵀY + λI) p + Σ_i w_i (y_i·p) y_i
        for (let a = 0; a < d; a++) {
          const go = a * d;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          let f = 0;
          for (; f < d4; f += 4) {
            s0 += gram[go + f] * p[f];
            s1 += gram[go + f + 1] * p[f + 1];
            s2 += gram[go + f + 2] * p[f + 2];
            s3 += gram[go + f + 3] * p[f + 3];
          }
          for (; f < d; f++) s0 += gram[go + f] * p[f];
          ap[a] = s0 + s1 + s2 + s3;
        }
        for (let k = rowStart; k < rowEnd; k++) {
          const yo = indices[k] * d;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          let f = 0;
          for (; f < d4; f += 4) {
            s0 += Y[yo + f] * p[f];
            s1 += Y[yo + f + 1] * p[f + 1];
            s2 += Y[yo + f + 2] * p[f + 2];
            s3 += Y[yo + f + 3] * p[f + 3];
          }
          for (; f < d; f++) s0 += Y[yo + f] * p[f];
          const s = weights[k] * (s0 + s1 + s2 + s3);
          for (f = 0; f < d4; f += 4) {
            ap[f] += s * Y[yo + f];
            ap[f + 1] += s * Y[yo + f + 1];
            ap[f + 2] += s * Y[yo + f + 2];
            ap[f + 3] += s * Y[yo + f + 3];
          }
          for (; f < d; f++) ap[f] += s * Y[yo + f];
        }
        let pAp = 0;
        for (let f = 0; f < d; f++) pAp += p[f] * ap[f];
        const alpha = rsOld / pAp;
        let rsNew = 0;
        for (let f = 0; f < d; f++) {
          x[f] += alpha * p[f];
          r[f] -= alpha * ap[f];
          rsNew += r[f] * r[f];
        }
        if (rsNew < 1e-20) break;
        const beta = rsNew / rsOld;
        for (let f = 0; f < d; f++) p[f] = r[f] + beta * p[f];
        rsOld = rsNew;
      }
    }
    for (let f = 0; f < d; f++) X[xo + f] = x[f];

    if (loss !== null) {
      // f(x) = Σ_i c_i − Σ_i c_i (y_i·x) − r·x
      let value = 0;
      for (let f = 0; f < d; f++) value -= r[f] * x[f];
      for (let k = rowStart; k < rowEnd; k++) {
        const yo = indices[k] * d;
        const c = 1 + weights[k];
        let s = 0;
        for (let f = 0; f < d; f++) s += Y[yo + f] * x[f];
        value += c - c * s;
      }
      loss[u] = value;
    }
  }
}

/** gram = YᵀY + λI for the `n × dim` row-major Y (Float64, using symmetry). */
export function gramian(
  Y: Float32Array,
  n: number,
  dim: number,
  regularization: number,
  gram: Float64Array,
): void {
  const d = dim;
  gram.fill(0);
  for (let i = 0; i < n; i++) {
    const yo = i * d;
    for (let a = 0; a < d; a++) {
      const ya = Y[yo + a];
      if (ya === 0) continue;
      const go = a * d;
      for (let b = a; b < d; b++) gram[go + b] += ya * Y[yo + b];
    }
  }
  for (let a = 0; a < d; a++) {
    gram[a * d + a] += regularization;
    for (let b = a + 1; b < d; b++) gram[b * d + a] = gram[a * d + b];
  }
}
