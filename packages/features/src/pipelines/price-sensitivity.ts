import { FeatureError, FeatureErrorCode } from '../errors';

/**
 * The catalog's distribution of price tiers, fitted once (ItemSideData.priceTiers), to turn the price tiers a
 * user chooses into a price sensitivity in [0, 1] comparable to a declared one:
 *
 *   derived(m) = P(T > m) + ½·P(T = m),   T = the tier of a random catalog service, m = the user's mean chosen tier
 *
 * (the mid-rank complement of the catalog CDF at m): 1 for someone who only picks the cheapest tier, 0 for only
 * the dearest, 0.5 for a user whose choices sit at the catalog's median. A one-tier catalog (MovieLens) gives 0.5
 * for everyone.
 */
export class PriceTierDistribution {
  private readonly total: number;

  constructor(readonly counts: readonly number[]) {
    if (!counts.every((c) => Number.isFinite(c) && c >= 0))
      throw new FeatureError(FeatureErrorCode.BAD_OPTION, 'price tier counts must be ≥ 0');
    this.total = counts.reduce((a, b) => a + b, 0);
  }

  static fit(tiers: ArrayLike<number>): PriceTierDistribution {
    const counts: number[] = [];
    for (let k = 0; k < tiers.length; k++) {
      const t = tiers[k];
      if (!Number.isInteger(t) || t < 0) continue;
      while (counts.length <= t) counts.push(0);
      counts[t]++;
    }
    return new PriceTierDistribution(counts);
  }

  /** derived(m) above; NaN for a NaN m or an empty catalog. */
  sensitivity(meanTier: number): number {
    if (!Number.isFinite(meanTier) || this.total === 0) return Number.NaN;
    let above = 0;
    let equal = 0;
    this.counts.forEach((c, t) => {
      if (t > meanTier) above += c;
      else if (t === meanTier) equal += c;
    });
    return (above + 0.5 * equal) / this.total;
  }
}
