import { rowOf, type CsrMatrix } from '@recsys/data';
import type { FeatureMap } from './feature-map';

/** Item → category lists in CSR form (ItemSideData.categories' offsets and values). */
export interface ItemCategories {
  offsets: Int32Array;
  values: Int32Array;
}

/** log(1 + x) standardised over the entries where `include` holds (others get 0). */
function standardisedLog(counts: Int32Array, include: (i: number) => boolean): Float32Array {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < counts.length; i++) {
    if (!include(i)) continue;
    sum += Math.log1p(counts[i]);
    n++;
  }
  const mean = n > 0 ? sum / n : 0;
  let squares = 0;
  for (let i = 0; i < counts.length; i++) if (include(i)) squares += (Math.log1p(counts[i]) - mean) ** 2;
  const std = n > 1 ? Math.sqrt(squares / n) : 0;
  const out = new Float32Array(counts.length);
  for (let i = 0; i < counts.length; i++)
    out[i] = include(i) && std > 0 ? (Math.log1p(counts[i]) - mean) / std : 0;
  return out;
}

/** Names of the stacking features for `models` base models, in row order (for reports and tests). */
export function stackingFeatureNames(models: readonly string[]): string[] {
  return [
    ...models.map((m) => `z(${m})`),
    ...models.map((m) => `activity×z(${m})`),
    'popularity',
    'activity×popularity',
    'category affinity',
  ];
}

/**
 * The stacking model's features for (user u, item i), computed directly from the training view
 * (the few counts they need are a pass over the binary matrix; @recsys/features' pipelines describe
 * users and services for the serving layer and would have to be refitted on each view for the same
 * numbers):
 * - z_m(u, i): base model m's standardised score (the blend's features);
 * - a_u · z_m(u, i): the same scaled by the user's activity a_u (log distinct items, standardised over
 *   users), so the meta-learner can trust a model more for heavy or for light users;
 * - p_i and a_u · p_i: the item's popularity (log distinct users, standardised over items), a service
 *   feature, and how much it matters for this user's activity;
 * - c(u, i): category affinity, the largest share of the user's history in one of the item's categories
 *   (0 without categories).
 * A feature of the user alone would add the same amount to every item of one list and change no
 * ranking, which is why user features enter only through products. ML-100K and the holdout protocol
 * carry no request context (device, placement) and the model contract passes none to `score`, so there
 * is no context block.
 */
export function stackingFeatures(
  seen: CsrMatrix,
  models: number,
  categories: ItemCategories | null,
): FeatureMap {
  const activityCounts = new Int32Array(seen.rows);
  for (let u = 0; u < seen.rows; u++) activityCounts[u] = seen.indptr[u + 1] - seen.indptr[u];
  const popularityCounts = new Int32Array(seen.cols);
  for (let e = 0; e < seen.indptr[seen.rows]; e++) popularityCounts[seen.indices[e]]++;
  const activity = standardisedLog(activityCounts, (u) => activityCounts[u] > 0);
  const popularity = standardisedLog(popularityCounts, () => true);
  let nCategories = 0;
  if (categories) for (const c of categories.values) nCategories = Math.max(nCategories, c + 1);
  const share = new Float32Array(nCategories);
  const dimension = 2 * models + 3;

  const fillShares = (user: number): void => {
    share.fill(0);
    if (!categories) return;
    const history = rowOf(seen, user).indices;
    if (history.length === 0) return;
    for (const j of history)
      for (let o = categories.offsets[j]; o < categories.offsets[j + 1]; o++) share[categories.values[o]]++;
    for (let c = 0; c < nCategories; c++) share[c] /= history.length;
  };
  const affinity = (item: number): number => {
    if (!categories || item >= categories.offsets.length - 1) return 0;
    let best = 0;
    for (let o = categories.offsets[item]; o < categories.offsets[item + 1]; o++)
      best = Math.max(best, share[categories.values[o]]);
    return best;
  };

  return {
    dimension,
    fill(user, items, baseScores, out) {
      fillShares(user);
      const a = user < activity.length ? activity[user] : 0;
      const rows = items ? items.length : seen.cols;
      for (let r = 0; r < rows; r++) {
        const item = items ? items[r] : r;
        const o = r * dimension;
        const b = r * models;
        for (let m = 0; m < models; m++) {
          const z = baseScores[b + m];
          out[o + m] = z;
          out[o + models + m] = a * z;
        }
        const p = popularity[item];
        out[o + 2 * models] = p;
        out[o + 2 * models + 1] = a * p;
        out[o + 2 * models + 2] = affinity(item);
      }
    },
  };
}
