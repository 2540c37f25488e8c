import { findEntry, type CsrMatrix } from '../matrix/csr';
import { Rng } from '../random/rng';

/** Thrown when a user has no item left to draw as a negative. */
export class NegativeSamplingError extends Error {
  readonly code = 'NO_NEGATIVE_ITEMS';
  constructor(
    readonly user: number,
    message: string,
  ) {
    super(message);
    this.name = 'NegativeSamplingError';
  }
}

export interface NegativeSamplerOptions {
  seed: number;
}

/**
 * Draws items a user has not interacted with (BPR, WARP, sampled softmax), with replacement.
 * Negatives follow a fixed item distribution w restricted to the items outside the user's positives
 * row: P(i | u) = w_i / Σ_{j ∉ row(u)} w_j. Draws are rejection sampling (draw from w, redraw when the
 * item is in the sorted row, a binary search), O(1/acceptance) each; a user whose positives hold over
 * DENSE_ROW_MASS of the weight is sampled exactly from the complement instead (O(items) once per call),
 * and a user with no weight left is an error, never an endless loop.
 */
export abstract class NegativeSampler {
  /** Above this share of the weight in a user's positives, rejection would spin: sample the complement. */
  static readonly DENSE_ROW_MASS = 0.9;

  /** Dense users whose complement distribution is kept between calls (each costs O(items) memory). */
  static readonly COMPLEMENT_CACHE_USERS = 16;

  protected readonly rng: Rng;
  /** Per user: share of the total weight on its positives; NaN until first needed. */
  private readonly positiveMass: Float64Array;
  /**
   * The complement distributions of the dense users drawn most recently (insertion order = age): a
   * trainer asks for a heavy user's negatives once per positive, and rebuilding the O(items) table on
   * every call made those users the slowest part of an epoch.
   */
  private readonly complements = new Map<number, Complement>();

  protected constructor(
    readonly positives: CsrMatrix,
    options: NegativeSamplerOptions,
  ) {
    this.rng = new Rng(options.seed);
    this.positiveMass = new Float64Array(positives.rows).fill(Number.NaN);
  }

  /** One item from the unrestricted distribution w. */
  protected abstract drawItem(): number;
  /** w_i (need not be normalised). */
  protected abstract weight(item: number): number;
  /** Σ_i w_i. */
  protected abstract get totalWeight(): number;

  /** `n` negatives for `user`, into `out` (from position 0) when given. */
  sample(user: number, n: number, out: Int32Array = new Int32Array(n)): Int32Array {
    if (out.length < n) throw new RangeError(`sample: out holds ${out.length} items, ${n} requested`);
    this.fill(user, n, out, 0);
    return out;
  }

  /**
   * `nPerUser` negatives for each of `users`: out[k·nPerUser + j] is the j-th negative of users[k].
   * The draws equal calling `sample` for each user in turn.
   */
  sampleBatch(
    users: ArrayLike<number>,
    nPerUser: number,
    out: Int32Array = new Int32Array(users.length * nPerUser),
  ): Int32Array {
    if (out.length < users.length * nPerUser) {
      throw new RangeError(
        `sampleBatch: out holds ${out.length} items, ${users.length * nPerUser} requested`,
      );
    }
    for (let k = 0; k < users.length; k++) this.fill(users[k], nPerUser, out, k * nPerUser);
    return out;
  }

  private fill(user: number, n: number, out: Int32Array, offset: number): void {
    const m = this.positives;
    if (!Number.isInteger(user) || user < 0 || user >= m.rows)
      throw new RangeError(`sample: user ${user} outside 0..${m.rows - 1}`);
    if (n <= 0) return;
    const mass = this.massOf(user);
    if (mass >= NegativeSampler.DENSE_ROW_MASS) {
      this.fillFromComplement(user, n, out, offset);
      return;
    }
    for (let j = 0; j < n; j++) {
      let item = this.drawItem();
      while (findEntry(m, user, item) >= 0) item = this.drawItem();
      out[offset + j] = item;
    }
  }

  private massOf(user: number): number {
    let mass = this.positiveMass[user];
    if (Number.isNaN(mass)) {
      let sum = 0;
      for (let k = this.positives.indptr[user]; k < this.positives.indptr[user + 1]; k++)
        sum += this.weight(this.positives.indices[k]);
      mass = sum / this.totalWeight;
      this.positiveMass[user] = mass;
    }
    return mass;
  }

  /** Exact draws by inverse CDF over the items outside the user's row. */
  private fillFromComplement(user: number, n: number, out: Int32Array, offset: number): void {
    const { candidates, cumulative, count, total } = this.complementOf(user);
    for (let j = 0; j < n; j++) {
      const x = this.rng.next() * total;
      let lo = 0;
      let hi = count - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] <= x) lo = mid + 1;
        else hi = mid;
      }
      out[offset + j] = candidates[lo];
    }
  }

  private complementOf(user: number): Complement {
    const cached = this.complements.get(user);
    if (cached !== undefined) return cached;
    const m = this.positives;
    const candidates = new Int32Array(m.cols);
    const cumulative = new Float64Array(m.cols);
    let count = 0;
    let total = 0;
    let k = m.indptr[user];
    const end = m.indptr[user + 1];
    for (let item = 0; item < m.cols; item++) {
      if (k < end && m.indices[k] === item) {
        k++;
        continue;
      }
      const w = this.weight(item);
      if (w <= 0) continue;
      total += w;
      candidates[count] = item;
      cumulative[count++] = total;
    }
    if (count === 0) {
      throw new NegativeSamplingError(
        user,
        `user ${user} has interacted with every item that can be sampled (${m.indptr[user + 1] - m.indptr[user]} of ${m.cols}): no negative exists`,
      );
    }
    const complement = {
      candidates: candidates.subarray(0, count),
      cumulative: cumulative.subarray(0, count),
      count,
      total,
    };
    if (this.complements.size >= NegativeSampler.COMPLEMENT_CACHE_USERS) {
      const oldest = this.complements.keys().next().value as number;
      this.complements.delete(oldest);
    }
    this.complements.set(user, complement);
    return complement;
  }
}

/** A dense user's sampling table: the items outside its row with their cumulative weights. */
interface Complement {
  candidates: Int32Array;
  cumulative: Float64Array;
  count: number;
  total: number;
}
