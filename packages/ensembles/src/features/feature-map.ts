/**
 * Turns a user's standardised base scores into the feature rows an ensemble weighs: the identity for
 * the blend, base scores plus user and service features for stacking. Built for one training view
 * (the fit side while weights are learned, all training data afterwards), so features such as item
 * popularity describe the data the base models were fitted on.
 */
export interface FeatureMap {
  /** Features per (user, item) row. */
  readonly dimension: number;
  /**
   * Writes the rows of `items` (every item in index order when null) for `user` into `out`
   * (rows × dimension), from `baseScores` (rows × models, the same row order).
   */
  fill(user: number, items: Int32Array | null, baseScores: Float32Array, out: Float32Array): void;
}

/** The blend's features: the standardised base scores themselves. */
export function baseScoreFeatures(models: number): FeatureMap {
  return {
    dimension: models,
    fill(_user, _items, baseScores, out) {
      out.set(baseScores.subarray(0, out.length));
    },
  };
}
