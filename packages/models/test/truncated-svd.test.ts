import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { buildCsr, Rng, type CsrMatrix } from '@recsys/data';
import { TruncatedSvdModel } from '../src/models/truncated-svd';
import { randomizedSvd } from '../src/models/truncated-svd-randomized';
import { describeModelContract } from './support/contract-suite';

describeModelContract('truncated-svd', () => new TruncatedSvdModel(), {
  params: { factors: 4 },
  personalized: true,
  servesColdUsers: false,
});

/** A rows × cols matrix of rank ≤ `rank` plus small noise, with about half the cells zero, as CSR. */
function lowRankSparse(
  rows: number,
  cols: number,
  rank: number,
  seed: number,
): { csr: CsrMatrix; dense: Matrix } {
  const rng = new Rng(seed);
  const a = Matrix.zeros(rows, cols);
  for (let t = 0; t < rank; t++) {
    const scale = 10 / (t + 1);
    const u = Array.from({ length: rows }, () => rng.normal());
    const v = Array.from({ length: cols }, () => rng.normal());
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) a.set(i, j, a.get(i, j) + scale * u[i] * v[j]);
  }
  const r: number[] = [];
  const c: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (rng.next() < 0.5) a.set(i, j, 0);
      else a.set(i, j, Math.fround(a.get(i, j) + 0.01 * rng.normal()));
      if (a.get(i, j) !== 0) {
        r.push(i);
        c.push(j);
        values.push(a.get(i, j));
      }
    }
  }
  return {
    csr: buildCsr(rows, cols, Int32Array.from(r), Int32Array.from(c), Float32Array.from(values)),
    dense: a,
  };
}

describe('truncated-svd: randomized SVD', () => {
  const rows = 40;
  const cols = 30;
  const { csr, dense } = lowRankSparse(rows, cols, 6, 11);
  const full = new SingularValueDecomposition(dense, { autoTranspose: true });

  it('finds the leading singular values of a small matrix', () => {
    const svd = randomizedSvd(csr, 5, { seed: 1, oversampling: 10, powerIterations: 4 });
    expect(svd.rank).toBe(5);
    for (let t = 0; t < 5; t++) expect(Math.abs(svd.s[t] - full.diagonal[t])).toBeLessThan(1e-4);
  });

  it('reconstructs the matrix as U Σ Vᵀ at full rank, with orthonormal factors', () => {
    const svd = randomizedSvd(csr, cols, { seed: 2, oversampling: 0, powerIterations: 1 });
    const k = svd.rank;
    expect(k).toBe(cols);
    for (let t = 0; t < k; t++) expect(Math.abs(svd.s[t] - full.diagonal[t])).toBeLessThan(1e-4);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += svd.u[i * k + t] * svd.s[t] * svd.v[j * k + t];
        expect(Math.abs(s - dense.get(i, j))).toBeLessThan(1e-4);
      }
    }
    for (const [m, n] of [
      [svd.u, rows],
      [svd.v, cols],
    ] as const) {
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += m[i * k + a] * m[i * k + b];
          expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-6);
        }
      }
    }
  });
});
