import { choleskyInPlace, throwIfAborted, yieldToEventLoop } from '@recsys/models';

export interface LogisticRegressionOptions {
  /** λ of the penalty (λ/2)·|w|² on the weights (not the intercept). */
  l2: number;
  /** Newton steps at most. */
  maxIterations: number;
  /** Stop when the largest change of a weight falls below this. */
  tolerance: number;
  signal?: AbortSignal;
  /** Name used in ABORTED errors. */
  model: string;
}

export interface LogisticModel {
  /** One weight per feature. */
  weights: Float64Array;
  intercept: number;
  iterations: number;
  converged: boolean;
}

/** Solves L Lᵀ x = b in place of b, L the lower Cholesky factor in `l` (n × n, row-major). */
function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/**
 * L2-regularised binary logistic regression fitted by Newton's method (iteratively reweighted least
 * squares): maximise Σ_n [y_n log p_n + (1 − y_n) log(1 − p_n)] − (λ/2)|w|², p_n = σ(b + w·x_n), with the
 * step (XᵀSX + λI') Δ = Xᵀ(y − p) − λw', S = diag(p(1 − p)), I' without the intercept (Hastie,
 * Tibshirani, Friedman, "The Elements of Statistical Learning", §4.4.1). The problem is convex; with
 * a dozen features Newton converges in well under 20 steps, each one pass over the rows plus a tiny
 * Cholesky solve.
 * (ml-logistic-regression was the first choice but does not fit: plain full-batch gradient steps with
 * a fixed rate, 50,000 by default, no intercept, no penalty and no convergence test.)
 *
 * `x` holds rows × features row-major; `y` is 0/1 per row.
 */
export async function fitLogisticRegression(
  x: Float32Array | Float64Array,
  y: Uint8Array,
  features: number,
  options: LogisticRegressionOptions,
): Promise<LogisticModel> {
  const rows = y.length;
  if (x.length !== rows * features)
    throw new RangeError(`fitLogisticRegression: ${x.length} values for ${rows} rows × ${features} features`);
  const d = features + 1; // the intercept is the last coordinate
  const linear = (b: Float64Array, n: number): number => {
    let z = b[features];
    const o = n * features;
    for (let j = 0; j < features; j++) z += b[j] * x[o + j];
    return z;
  };
  // The penalised log-likelihood, to damp a Newton step that overshoots (Newton alone is only locally convergent).
  const objective = (b: Float64Array): number => {
    let sum = 0;
    for (let n = 0; n < rows; n++) {
      const z = linear(b, n);
      // log σ(z) = −log(1 + e^−z), written to stay finite for large |z|.
      const logP = z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
      sum += y[n] === 1 ? logP : logP - z;
    }
    let penalty = 0;
    for (let j = 0; j < features; j++) penalty += b[j] * b[j];
    return sum - 0.5 * options.l2 * penalty;
  };
  let beta = new Float64Array(d);
  let current = objective(beta);
  const hessian = new Float64Array(d * d);
  const step = new Float64Array(d);
  let iterations = 0;
  let converged = false;
  while (iterations < options.maxIterations && !converged) {
    iterations++;
    hessian.fill(0);
    step.fill(0);
    for (let n = 0; n < rows; n++) {
      const p = 1 / (1 + Math.exp(-linear(beta, n)));
      const s = Math.max(p * (1 - p), 1e-10);
      const r = y[n] - p;
      const o = n * features;
      for (let i = 0; i < d; i++) {
        const xi = i === features ? 1 : x[o + i];
        step[i] += r * xi;
        const oi = i * d;
        for (let j = 0; j <= i; j++) hessian[oi + j] += s * xi * (j === features ? 1 : x[o + j]);
      }
    }
    for (let i = 0; i < features; i++) {
      hessian[i * d + i] += options.l2;
      step[i] -= options.l2 * beta[i];
    }
    // A tiny ridge on the intercept too, so one-class data cannot make H singular.
    hessian[features * d + features] += 1e-9;
    await choleskyInPlace(hessian, d);
    choleskySolve(hessian, d, step);
    // Halve the step until the objective does not fall.
    let next = beta.map((b, i) => b + step[i]);
    let value = objective(next);
    for (let halvings = 0; value < current && halvings < 30; halvings++) {
      for (let i = 0; i < d; i++) step[i] /= 2;
      next = beta.map((b, i) => b + step[i]);
      value = objective(next);
    }
    let largest = 0;
    for (let i = 0; i < d; i++) largest = Math.max(largest, Math.abs(step[i]));
    beta = next;
    current = value;
    converged = largest < options.tolerance;
    await yieldToEventLoop();
    throwIfAborted(options.signal, options.model);
  }
  return { weights: beta.slice(0, features), intercept: beta[features], iterations, converged };
}
