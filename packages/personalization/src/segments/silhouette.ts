import { PersonalizationError, PersonalizationErrorCode } from '../errors';

/**
 * Mean silhouette coefficient (Rousseeuw 1987) of a clustering under Euclidean distance, as scikit-learn's
 * `silhouette_score`:
 *   a(i) = mean distance from i to the other points of its cluster,
 *   b(i) = smallest mean distance from i to the points of another cluster,
 *   s(i) = (b(i) − a(i)) / max(a(i), b(i)), and 0 for a point alone in its cluster;
 * the score is the mean of s(i) over the points, in [−1, 1] (higher: tighter, better separated clusters).
 * O(n² · dims): pass a sample for large n (`sampleIndexes`).
 *
 * @param points n × dims, row-major
 * @param labels cluster 0..k−1 per point
 */
export function silhouetteScore(points: Float64Array, dims: number, labels: Int32Array, k: number): number {
  const n = labels.length;
  if (points.length !== n * dims)
    throw new PersonalizationError(
      PersonalizationErrorCode.BAD_INPUT,
      `silhouette: ${points.length} values for ${n} points of ${dims} dimensions`,
    );
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (!(l >= 0 && l < k))
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `silhouette: label ${l} outside 0..${k - 1}`,
      );
    sizes[l]++;
  }
  let nonEmpty = 0;
  for (let c = 0; c < k; c++) if (sizes[c] > 0) nonEmpty++;
  if (nonEmpty < 2 || nonEmpty >= n)
    throw new PersonalizationError(
      PersonalizationErrorCode.BAD_INPUT,
      `silhouette: needs 2 ≤ clusters < points, got ${nonEmpty} clusters of ${n} points`,
    );
  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    const oi = i * dims;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const oj = j * dims;
      let d2 = 0;
      for (let f = 0; f < dims; f++) {
        const d = points[oi + f] - points[oj + f];
        d2 += d * d;
      }
      sums[labels[j]] += Math.sqrt(d2);
    }
    const own = labels[i];
    if (sizes[own] === 1) continue; // s(i) = 0
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}
