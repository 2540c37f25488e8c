import type { ItemSideData } from '@recsys/data';
import { primaryCategoryOf } from '../catalog-view';
import { requireOption } from '../errors';

export interface CategorySpreadOptions {
  /** Distinct primary categories the list should span (as far as the candidates allow). */
  minCategories: number;
  /** Items of one primary category at most (as far as the candidates allow). */
  maxPerCategory: number;
}

/**
 * Picks `limit` candidates, best score first, under two constraints on the services' primary (first)
 * categories: at least `minCategories` distinct ones and at most `maxPerCategory` of one. Greedy, slot by
 * slot: the best remaining candidate whose category is not full, except that once the categories still
 * missing equal the slots left, a slot goes to the best candidate of a category not yet in the list. When
 * the candidates cannot meet a constraint the list is filled by score. Services without a category count
 * as categories of their own.
 *
 * MMR (serving's ranking/mmr.ts) diversifies softly and guarantees neither; run this after it (with the MMR
 * order as the score) to guarantee them, e.g. that a new user's home list spans several categories.
 *
 * @returns positions into `items`, in list order
 */
export function spreadAcrossCategories(
  items: ArrayLike<number>,
  scores: ArrayLike<number>,
  side: ItemSideData,
  limit: number,
  options: CategorySpreadOptions,
): Int32Array {
  const { minCategories, maxPerCategory } = options;
  requireOption(Number.isInteger(limit) && limit >= 0, 'limit', 'an integer ≥ 0', limit);
  requireOption(
    Number.isInteger(minCategories) && minCategories >= 0,
    'minCategories',
    'an integer ≥ 0',
    minCategories,
  );
  requireOption(
    Number.isInteger(maxPerCategory) && maxPerCategory >= 1,
    'maxPerCategory',
    'an integer ≥ 1',
    maxPerCategory,
  );
  const n = items.length;
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => scores[b] - scores[a] || a - b);
  // A service without a category is its own category: −1 − its position.
  const category = Int32Array.from(order, (k) => {
    const c = primaryCategoryOf(side, items[k]);
    return c >= 0 ? c : -1 - k;
  });
  const take = Math.min(limit, n);
  const taken = new Uint8Array(n);
  const inList = new Map<number, number>();
  const out = new Int32Array(take);
  for (let slot = 0; slot < take; slot++) {
    const missing = minCategories - inList.size;
    const mustBeNew = missing > 0 && missing >= take - slot;
    let pick = -1;
    let fallback = -1;
    for (let r = 0; r < n; r++) {
      if (taken[r] === 1) continue;
      if (fallback < 0) fallback = r;
      const count = inList.get(category[r]) ?? 0;
      if (mustBeNew ? count === 0 : count < maxPerCategory) {
        pick = r;
        break;
      }
    }
    if (pick < 0 && mustBeNew) {
      // No new category left: respect the cap if possible.
      for (let r = 0; r < n && pick < 0; r++)
        if (taken[r] === 0 && (inList.get(category[r]) ?? 0) < maxPerCategory) pick = r;
    }
    if (pick < 0) pick = fallback;
    taken[pick] = 1;
    inList.set(category[pick], (inList.get(category[pick]) ?? 0) + 1);
    out[slot] = order[pick];
  }
  return out;
}
