import { MetricErrorCode, MetricInputError } from '../metric-input-error';

/**
 * Binary relevance of one user: the ids of the relevant items, either as a set or as a strictly
 * increasing Int32Array (looked up by binary search; the cheaper form for typed-array pipelines).
 */
export type RelevantItems = ReadonlySet<number> | Int32Array;

/**
 * Graded relevance of one user: item id → gain (a finite number >= 0). Items absent from the map have gain 0.
 * Metrics that need binary relevance (precision, recall, AP, RR, hit) treat an item as relevant iff its gain > 0.
 */
export type GradedRelevance = ReadonlyMap<number, number>;

/** Either form of relevance that the ranked-list metrics accept. */
export type Relevance = RelevantItems | GradedRelevance;

/** Uniform read access to one user's relevance, built once per metric call by `relevanceLookup`. */
export interface RelevanceLookup {
  /** The number of relevant items (gain > 0). */
  readonly count: number;
  /** The gain of `item` (1 or 0 for binary relevance). */
  gainOf(item: number): number;
  /** The positive gains of all relevant items, in descending order (the ideal ranking's gains). */
  idealGains(): Float64Array;
}

/** True when `relevance` is graded (a map of gains) rather than a set of relevant ids. */
export function isGradedRelevance(relevance: Relevance): relevance is GradedRelevance {
  return !(relevance instanceof Int32Array) && typeof (relevance as GradedRelevance).get === 'function';
}

/** Binary search in a strictly increasing Int32Array. */
function sortedHas(sorted: Int32Array, item: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = sorted[mid];
    if (value === item) return true;
    if (value < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function onesOfLength(n: number): Float64Array {
  return new Float64Array(n).fill(1);
}

/**
 * Validates `relevance` and wraps it in a RelevanceLookup. Throws a MetricInputError when a sorted
 * Int32Array is not strictly increasing or when a gain is negative or not finite.
 */
export function relevanceLookup(relevance: Relevance, fn: string): RelevanceLookup {
  if (relevance instanceof Int32Array) {
    for (let i = 1; i < relevance.length; i++) {
      if (relevance[i] <= relevance[i - 1]) {
        throw new MetricInputError(
          MetricErrorCode.INVALID_RELEVANCE,
          `${fn}: relevant items given as an Int32Array must be strictly increasing (position ${i}: ${relevance[i - 1]} then ${relevance[i]})`,
        );
      }
    }
    return {
      count: relevance.length,
      gainOf: (item) => (sortedHas(relevance, item) ? 1 : 0),
      idealGains: () => onesOfLength(relevance.length),
    };
  }
  if (isGradedRelevance(relevance)) {
    let count = 0;
    for (const [item, gain] of relevance) {
      if (!Number.isFinite(gain) || gain < 0) {
        throw new MetricInputError(
          MetricErrorCode.INVALID_RELEVANCE,
          `${fn}: the gain of item ${item} is ${gain}; gains must be finite and >= 0`,
        );
      }
      if (gain > 0) count++;
    }
    return {
      count,
      gainOf: (item) => relevance.get(item) ?? 0,
      idealGains: () => {
        const gains = new Float64Array(count);
        let i = 0;
        for (const gain of relevance.values()) if (gain > 0) gains[i++] = gain;
        return gains.sort().reverse();
      },
    };
  }
  const set = relevance;
  return {
    count: set.size,
    gainOf: (item) => (set.has(item) ? 1 : 0),
    idealGains: () => onesOfLength(set.size),
  };
}

/**
 * The gains at ranks 1..min(K, n) of `ranked`. Duplicate policy shared by every ranked-list metric:
 * a repeated item keeps its first position; each later occurrence occupies its slot but earns gain 0
 * (so a list with repeats is penalised, and precision, recall and NDCG stay within [0, 1]).
 */
export function gainsAtRanks(ranked: ArrayLike<number>, lookup: RelevanceLookup, k: number): Float64Array {
  const n = Math.min(ranked.length, k);
  const gains = new Float64Array(n);
  let seen: Set<number> | undefined;
  for (let i = 0; i < n; i++) {
    const item = ranked[i];
    const gain = lookup.gainOf(item);
    if (gain === 0) continue;
    seen ??= new Set<number>();
    if (seen.has(item)) continue;
    seen.add(item);
    gains[i] = gain;
  }
  return gains;
}
