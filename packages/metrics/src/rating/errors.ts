import { assertFinite, assertNonEmpty, assertSameLength } from '../shared/validation';

/** Rating arrays: typed arrays (Float32Array values are widened to float64 before any arithmetic) or numbers. */
export type Ratings = Float32Array | Float64Array | ArrayLike<number>;

function validatePair(predicted: Ratings, actual: Ratings, fn: string): void {
  assertSameLength(predicted, 'predicted', actual, 'actual', fn);
  assertNonEmpty(predicted, 'predicted', fn);
  assertFinite(predicted, 'predicted', fn);
  assertFinite(actual, 'actual', fn);
}

/**
 * RMSE = sqrt((1/n) · Σ_i (predicted_i − actual_i)²), accumulated in float64. Equals
 * sqrt(scikit-learn `mean_squared_error(actual, predicted)`).
 *
 * Source: Herlocker et al., "Evaluating collaborative filtering recommender systems", ACM TOIS 22(1), 2004;
 * scikit-learn `sklearn/metrics/_regression.py`.
 */
export function rmse(predicted: Ratings, actual: Ratings): number {
  validatePair(predicted, actual, 'rmse');
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) {
    const e = predicted[i] - actual[i];
    sum += e * e;
  }
  return Math.sqrt(sum / predicted.length);
}

/**
 * MAE = (1/n) · Σ_i |predicted_i − actual_i|, accumulated in float64. Equals scikit-learn
 * `mean_absolute_error(actual, predicted)`.
 *
 * Source: Herlocker et al. (2004); scikit-learn `sklearn/metrics/_regression.py`.
 */
export function mae(predicted: Ratings, actual: Ratings): number {
  validatePair(predicted, actual, 'mae');
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += Math.abs(predicted[i] - actual[i]);
  return sum / predicted.length;
}
