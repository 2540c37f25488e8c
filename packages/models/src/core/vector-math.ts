/** Small dense kernels over row-major Float32Array matrices, shared by every factor model. */

/** out[i] = dot(rows[i], v) for each of the `n` rows of length `d`. */
export function matVec(
  rows: Float32Array,
  n: number,
  d: number,
  v: Float32Array,
  vOffset: number,
  out: Float32Array,
): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * d;
    for (let f = 0; f < d; f++) s += rows[base + f] * v[vOffset + f];
    out[i] = s;
  }
}

/** Euclidean norm of each of the `n` rows of length `d`. */
export function rowNorms(rows: Float32Array, n: number, d: number): Float32Array {
  const norms = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * d;
    for (let f = 0; f < d; f++) s += rows[base + f] * rows[base + f];
    norms[i] = Math.sqrt(s);
  }
  return norms;
}

/**
 * Cosine similarity of row `target` with every row: dot / (|a| |b|), 0 for zero rows.
 * `norms` are the rows' norms (from rowNorms), precomputed once per model.
 */
export function cosineToAll(
  rows: Float32Array,
  n: number,
  d: number,
  norms: Float32Array,
  target: number,
): Float32Array {
  const out = new Float32Array(n);
  matVec(rows, n, d, rows, target * d, out);
  const nt = norms[target];
  for (let i = 0; i < n; i++) {
    const denom = nt * norms[i];
    out[i] = denom > 0 ? out[i] / denom : 0;
  }
  return out;
}
