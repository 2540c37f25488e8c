import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { BanditError } from '../errors';

/** One arm's ridge regression as saved: A (row-major d × d), b and the number of updates. */
export interface LinUcbArmState {
  /** A = λI + Σ x xᵀ over the arm's updates, row-major. */
  A: number[];
  /** b = Σ r x. */
  b: number[];
  pulls: number;
}

/**
 * The per-arm model of disjoint LinUCB: A = λI + Σ xxᵀ, b = Σ r·x, θ = A⁻¹b.
 *
 * A⁻¹ is kept up to date with the Sherman–Morrison identity (A is symmetric, so is A⁻¹):
 *   A⁻¹ ← A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x),
 * O(d²) per update instead of an O(d³) inversion. A and b, the exact sufficient statistics, are what is
 * saved (additive, so updates from several servers merge by summing); on load A⁻¹ is recomputed from A by
 * ml-matrix's Cholesky decomposition, which also checks A is positive definite and clears any rounding
 * drift of the rank-one updates (under 1e-9 after 500 updates at d = 8, see the tests).
 *
 * The O(d²) kernels (scoring, the rank-one update) run on flat row-major Float64Arrays: ml-matrix keeps an
 * array of rows and allocates a matrix per operation: the same update written with ml-matrix operations
 * ran 8,900 updates/s at d = 32, these loops 38,500 (same machine and load). `A`, `Ainv` and `b` hand out
 * ml-matrix copies for inspection.
 */
export class LinUcbArm {
  pulls = 0;
  /** θ = A⁻¹b, refreshed on every update. */
  readonly theta: Float64Array;
  private readonly scratch: Float64Array;

  private constructor(
    readonly dimension: number,
    private readonly a: Float64Array,
    private readonly ainv: Float64Array,
    private readonly bVector: Float64Array,
  ) {
    this.theta = new Float64Array(dimension);
    this.scratch = new Float64Array(dimension);
  }

  static fresh(dimension: number, ridge: number): LinUcbArm {
    const a = new Float64Array(dimension * dimension);
    const ainv = new Float64Array(dimension * dimension);
    for (let i = 0; i < dimension; i++) {
      a[i * dimension + i] = ridge;
      ainv[i * dimension + i] = 1 / ridge;
    }
    return new LinUcbArm(dimension, a, ainv, new Float64Array(dimension));
  }

  /** A copy of A. */
  get A(): Matrix {
    return Matrix.from1DArray(this.dimension, this.dimension, this.a);
  }

  /** A copy of the maintained A⁻¹. */
  get Ainv(): Matrix {
    return Matrix.from1DArray(this.dimension, this.dimension, this.ainv);
  }

  /** A copy of b as a column vector. */
  get b(): Matrix {
    return Matrix.columnVector(this.bVector);
  }

  /** θ·x + α·sqrt(xᵀA⁻¹x): the estimated reward plus the width of its confidence bound. */
  upperBound(x: ArrayLike<number>, alpha: number): number {
    const d = this.dimension;
    const m = this.ainv;
    let mean = 0;
    let quadratic = 0;
    for (let i = 0; i < d; i++) {
      const xi = x[i];
      mean += this.theta[i] * xi;
      // xᵀMx over the upper triangle: M_ii x_i² + 2 Σ_{j>i} M_ij x_i x_j (M symmetric).
      const row = i * d;
      let off = 0;
      for (let j = i + 1; j < d; j++) off += m[row + j] * x[j];
      quadratic += xi * (m[row + i] * xi + 2 * off);
    }
    return mean + alpha * Math.sqrt(Math.max(0, quadratic));
  }

  update(x: ArrayLike<number>, reward: number): void {
    const d = this.dimension;
    const { a, ainv, scratch: u } = this;
    let xu = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += ainv[i * d + j] * x[j];
      u[i] = s; // A⁻¹x
      xu += x[i] * s;
    }
    const scale = 1 / (1 + xu);
    for (let i = 0; i < d; i++) {
      const ui = u[i] * scale;
      const xi = x[i];
      for (let j = 0; j < d; j++) {
        ainv[i * d + j] -= ui * u[j];
        a[i * d + j] += xi * x[j];
      }
      this.bVector[i] += reward * xi;
    }
    this.refreshTheta();
    this.pulls++;
  }

  private refreshTheta(): void {
    const d = this.dimension;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += this.ainv[i * d + j] * this.bVector[j];
      this.theta[i] = s;
    }
  }

  toJSON(): LinUcbArmState {
    return { A: Array.from(this.a), b: Array.from(this.bVector), pulls: this.pulls };
  }

  /** An arm from its saved statistics: INVALID_STATE when shapes are wrong or A is not positive definite. */
  static fromJSON(arm: string, dimension: number, state: unknown): LinUcbArm {
    const s = (state ?? {}) as Partial<LinUcbArmState>;
    const finite = (v: unknown, n: number): v is number[] =>
      Array.isArray(v) && v.length === n && v.every((e) => typeof e === 'number' && Number.isFinite(e));
    if (!finite(s.A, dimension * dimension) || !finite(s.b, dimension))
      throw new BanditError(
        'INVALID_STATE',
        `LinUCB arm "${arm}": A must hold ${dimension}×${dimension} and b ${dimension} finite numbers`,
      );
    if (typeof s.pulls !== 'number' || !Number.isInteger(s.pulls) || s.pulls < 0)
      throw new BanditError('INVALID_STATE', `LinUCB arm "${arm}": pulls must be an integer ≥ 0`);
    const cholesky = new CholeskyDecomposition(Matrix.from1DArray(dimension, dimension, s.A));
    if (!cholesky.isPositiveDefinite())
      throw new BanditError('INVALID_STATE', `LinUCB arm "${arm}": A is not positive definite`);
    const inverse = cholesky.solve(Matrix.eye(dimension));
    const model = new LinUcbArm(
      dimension,
      Float64Array.from(s.A),
      Float64Array.from(inverse.to1DArray()),
      Float64Array.from(s.b),
    );
    model.refreshTheta();
    model.pulls = s.pulls;
    return model;
  }
}
