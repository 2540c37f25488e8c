import { PriceTierDistribution } from '@recsys/features';
import type { UserProfile } from './user-profile';

const distributions = new WeakMap<Uint8Array, PriceTierDistribution>();

/**
 * The profile's price sensitivity in [0, 1] against the catalog's price tiers, as the user features derive
 * it from training events (PriceTierDistribution: 1 = only the cheapest tier, 0 = only the dearest); NaN
 * without any price-revealing choice.
 */
export function profilePriceSensitivity(profile: UserProfile, catalogPriceTiers: Uint8Array): number {
  if (profile.meanPriceTier === null) return Number.NaN;
  let tiers = distributions.get(catalogPriceTiers);
  if (tiers === undefined) {
    tiers = PriceTierDistribution.fit(catalogPriceTiers);
    distributions.set(catalogPriceTiers, tiers);
  }
  return tiers.sensitivity(profile.meanPriceTier);
}
