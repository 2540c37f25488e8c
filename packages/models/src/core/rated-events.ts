/**
 * Rating plumbing shared by the explicit-rating factor models (SVD, NMF): the rated events of a log as
 * flat typed arrays, the rating scale, and the "is this user / item known" masks that decide Surprise's
 * fallbacks. Kept apart from the algorithms so each model file holds only its update rule.
 */
import type { InteractionDataset } from '@recsys/data';
import { ModelError, ModelErrorCode } from '../contract/errors';
import type { ScoredItems } from '../contract/recommender';
import { topK } from './top-k';
import { cosineToAll } from './vector-math';

/** The rated events (those whose value is not NaN), as Surprise's `trainset.all_ratings()`. */
export interface RatingTriples {
  readonly length: number;
  readonly users: Int32Array;
  readonly items: Int32Array;
  /** The ratings, widened to float64 once so the SGD loops never convert. */
  readonly values: Float64Array;
}

/** What a rating model learns about the data before its first update. */
export interface RatingData extends RatingTriples {
  /** μ, the mean of all training ratings. */
  readonly mean: number;
  /** The rating scale seen in training: predictions are clipped to [min, max] (Surprise clips to the Reader's scale). */
  readonly min: number;
  readonly max: number;
  /** Number of ratings per user (|I_u|) and per item (|U_i|), over the dataset's dense index space. */
  readonly userCounts: Int32Array;
  readonly itemCounts: Int32Array;
}

/**
 * Collects the events of `dataset.log` that carry a rating (non-NaN value), in log order. Events
 * without a value (views, purchases) are ignored: these models learn from explicit ratings only.
 * Throws FIT_FAILED when the log holds no rating at all.
 */
export function extractRatings(dataset: InteractionDataset, model: string): RatingData {
  const { log } = dataset;
  let n = 0;
  for (let e = 0; e < log.length; e++) if (!Number.isNaN(log.values[e])) n++;
  if (n === 0) {
    throw new ModelError(
      ModelErrorCode.FIT_FAILED,
      `${model}: no rated events (every value is NaN); this model learns from explicit ratings`,
    );
  }
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const values = new Float64Array(n);
  const userCounts = new Int32Array(dataset.users.size);
  const itemCounts = new Int32Array(dataset.items.size);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let k = 0;
  for (let e = 0; e < log.length; e++) {
    const r = log.values[e];
    if (Number.isNaN(r)) continue;
    const u = log.users[e];
    const i = log.items[e];
    users[k] = u;
    items[k] = i;
    values[k] = r;
    userCounts[u]++;
    itemCounts[i]++;
    sum += r;
    if (r < min) min = r;
    if (r > max) max = r;
    k++;
  }
  return { length: n, users, items, values, mean: sum / n, min, max, userCounts, itemCounts };
}

/** 1 where the count is positive: the users (items) the model has training ratings for. */
export function knownMask(counts: Int32Array): Uint8Array {
  const mask = new Uint8Array(counts.length);
  for (let i = 0; i < counts.length; i++) mask[i] = counts[i] > 0 ? 1 : 0;
  return mask;
}

/**
 * Zeroes the `d` factors of every row that `known` marks 0. Rows without training ratings keep their
 * random initialisation otherwise, and a zero row makes q_iᵀp_u vanish: exactly Surprise's rule that
 * an unknown user's (item's) bias and factors are taken as zero.
 */
export function zeroUnknownRows(factors: Float64Array, d: number, known: Uint8Array): void {
  for (let r = 0; r < known.length; r++) if (known[r] === 0) factors.fill(0, r * d, (r + 1) * d);
}

/** Rating-scale facts every rating model saves in its artifact state. */
export interface RatingScale {
  mean: number;
  min: number;
  max: number;
}

/**
 * The `k` items whose factor vectors (n × d, row-major) have the highest cosine with `item`'s
 * (core/vector-math), excluding the item itself and, when `itemKnown` is given, items without training
 * ratings (their factors are zero and say nothing): such an item has no similar items, the answer is empty.
 */
export function similarByCosine(
  factors: Float32Array,
  norms: Float32Array,
  d: number,
  item: number,
  k: number,
  itemKnown?: Uint8Array,
): ScoredItems {
  if (!Number.isInteger(k) || k <= 0)
    throw new RangeError(`similarItems: k must be a positive integer, got ${k}`);
  const n = norms.length;
  if (itemKnown !== undefined && itemKnown[item] === 0)
    return { items: new Int32Array(0), scores: new Float32Array(0) };
  const scores = cosineToAll(factors, n, d, norms, item);
  scores[item] = -Infinity;
  if (itemKnown !== undefined) for (let j = 0; j < n; j++) if (itemKnown[j] === 0) scores[j] = -Infinity;
  return topK(scores, k);
}
