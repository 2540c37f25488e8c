import type { Rng } from '../random/rng';

/**
 * Walker's alias method, Vose's construction ("A linear algorithm for generating random numbers with a
 * given distribution", IEEE TSE 1991): O(n) to build, O(1) per draw from P(i) = w_i / Σw.
 * Column j of the table is taken with probability 1/m and keeps its own outcome with probability prob[j],
 * else yields alias[j]. Only items with w_i > 0 get a column, so a zero-weight item is never drawn,
 * whatever the rounding.
 */
export class AliasTable {
  private readonly outcome: Int32Array;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    let m = 0;
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w))
        throw new RangeError(`AliasTable: weight ${i} is ${w}, expected a finite number ≥ 0`);
      if (w > 0) {
        m++;
        total += w;
      }
    }
    if (m === 0) throw new RangeError('AliasTable: every weight is 0');
    this.outcome = new Int32Array(m);
    this.prob = new Float64Array(m);
    this.alias = new Int32Array(m);
    // Scaled probabilities m·p, then worklists of columns below and above 1 (as stacks in typed arrays).
    const scaled = new Float64Array(m);
    for (let i = 0, j = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        this.outcome[j] = i;
        scaled[j++] = (weights[i] * m) / total;
      }
    }
    const small = new Int32Array(m);
    const large = new Int32Array(m);
    let ns = 0;
    let nl = 0;
    for (let j = 0; j < m; j++) {
      if (scaled[j] < 1) small[ns++] = j;
      else large[nl++] = j;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[--nl];
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    // What remains is 1 up to rounding.
    while (nl > 0) this.prob[large[--nl]] = 1;
    while (ns > 0) this.prob[small[--ns]] = 1;
  }

  /** Number of outcomes that can be drawn (weight > 0). */
  get support(): number {
    return this.outcome.length;
  }

  /** One draw: a single 53-bit uniform picks the column (integer part) and the coin (fraction). */
  draw(rng: Rng): number {
    const x = rng.next() * this.prob.length;
    const j = Math.floor(x);
    return this.outcome[x - j < this.prob[j] ? j : this.alias[j]];
  }
}
