import type { ItemSideData } from '@recsys/data';
import { requireOption } from '../errors';
import type { UserProfile } from './user-profile';

export interface ProfileAdjustmentOptions {
  /** Boost of a candidate in the profile's heaviest category, at full confidence. @defaultValue 0.3 */
  categoryBoost?: number;
  /** Boost of a candidate at exactly the user's usual price tier, at full confidence. @defaultValue 0.1 */
  priceBoost?: number;
  /**
   * Decayed evidence weight at which a part of the profile counts half (confidence w / (w + this)): a single
   * click (weight 2) moves a list less than a week of use. @defaultValue 4
   */
  halfConfidenceWeight?: number;
  /** Tiers from the usual one at which the price match falls to 0. @defaultValue 4 (the tier range 0-4) */
  tierSpan?: number;
}

/**
 * Additive relevance adjustments from the online profile, for the engine to add to its relevance in [0, 1]
 * before diversification, so that the next request already uses the latest interactions:
 *
 *   boost(i) = categoryBoost · conf(W) · max_{c ∈ C_i} w_c / max_c w_c
 *            + priceBoost · conf(P) · max(0, 1 − |tier_i − meanTier| / tierSpan)
 *
 * with w_c the profile's decayed category weights (W their sum), meanTier its mean chosen tier (P its
 * weight) and conf(x) = x / (x + halfConfidenceWeight). A candidate in the user's favourite recent
 * category gets the full category boost; one in none of their categories gets none.
 *
 * @param candidates catalog indexes
 * @returns a boost per candidate, in [0, categoryBoost + priceBoost]
 */
export function profileBoosts(
  profile: UserProfile | null,
  side: ItemSideData,
  candidates: ArrayLike<number>,
  options: ProfileAdjustmentOptions = {},
): Float64Array {
  const categoryBoost = options.categoryBoost ?? 0.3;
  const priceBoost = options.priceBoost ?? 0.1;
  const half = options.halfConfidenceWeight ?? 4;
  const tierSpan = options.tierSpan ?? 4;
  requireOption(categoryBoost >= 0, 'categoryBoost', '≥ 0', categoryBoost);
  requireOption(priceBoost >= 0, 'priceBoost', '≥ 0', priceBoost);
  requireOption(half > 0, 'halfConfidenceWeight', '> 0', half);
  requireOption(tierSpan > 0, 'tierSpan', '> 0', tierSpan);
  const out = new Float64Array(candidates.length);
  if (profile === null) return out;

  // Profile weights over the catalog's category ids (categories the catalog no longer has drop out).
  const vocab = side.categories.vocab;
  const weightOf = new Float64Array(vocab.size);
  let top = 0;
  for (const { category, weight } of profile.categories) {
    const c = vocab.indexOf(category);
    if (c === undefined) continue;
    weightOf[c] = weight;
    top = Math.max(top, weight);
  }
  const catScale = top > 0 ? (categoryBoost * (profile.totalWeight / (profile.totalWeight + half))) / top : 0;
  const mean = profile.meanPriceTier;
  const priceScale = mean === null ? 0 : priceBoost * (profile.priceWeight / (profile.priceWeight + half));
  const { offsets, values } = side.categories;
  for (let k = 0; k < candidates.length; k++) {
    const i = candidates[k];
    let best = 0;
    for (let p = offsets[i]; p < offsets[i + 1]; p++) best = Math.max(best, weightOf[values[p]]);
    let boost = catScale * best;
    if (mean !== null) boost += priceScale * Math.max(0, 1 - Math.abs(side.priceTiers[i] - mean) / tierSpan);
    out[k] = boost;
  }
  return out;
}
