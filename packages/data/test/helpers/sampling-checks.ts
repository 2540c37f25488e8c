import { hasEntry, type CsrMatrix } from '../../src/matrix/csr';

/** How many drawn negatives are in fact positives (0 expected). */
export function positivesDrawn(
  m: CsrMatrix,
  users: ArrayLike<number>,
  perUser: number,
  out: Int32Array,
): number {
  let bad = 0;
  for (let k = 0; k < users.length; k++)
    for (let j = 0; j < perUser; j++) if (hasEntry(m, users[k], out[k * perUser + j])) bad++;
  return bad;
}

/**
 * Observed counts against probabilities p: the largest relative error |f̂_i − p_i| / p_i over items with
 * p_i ≥ minP, the largest z-score |c_i − n·p_i| / sqrt(n·p_i·(1 − p_i)), and Pearson's chi-square.
 */
export function compare(
  counts: Float64Array,
  p: Float64Array,
  draws: number,
  minP: number,
): { maxRelErr: number; maxZ: number; chi2: number; dof: number } {
  let maxRelErr = 0;
  let maxZ = 0;
  let chi2 = 0;
  let dof = -1;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 0) {
      if (counts[i] !== 0) throw new Error(`item ${i} has probability 0 but was drawn ${counts[i]} times`);
      continue;
    }
    const expected = p[i] * draws;
    chi2 += (counts[i] - expected) ** 2 / expected;
    maxZ = Math.max(maxZ, Math.abs(counts[i] - expected) / Math.sqrt(expected * (1 - p[i])));
    dof++;
    if (p[i] >= minP) maxRelErr = Math.max(maxRelErr, Math.abs(counts[i] / draws - p[i]) / p[i]);
  }
  return { maxRelErr, maxZ, chi2, dof };
}
