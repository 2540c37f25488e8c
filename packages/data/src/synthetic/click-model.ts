import type { JsonObject, JsonValue } from '@recsys/db';
import { CATEGORIES } from './taxonomy';

/**
 * The simulator's ground truth of preference: how likely a user is to click a service shown at the top of
 * a list. It is a pure function of the user's latent traits and the service's, which the generated rows
 * carry (user `attributes.taste` / `priceSensitivity`; service `categories`, `priceTier`, `freeTier`,
 * `attributes.quality`), so bandit and off-policy evaluations can score a policy against the true
 * probabilities. The simulator itself clicks with exactly this probability at position 0 (lower positions
 * are examined less, see `examinationProbability`).
 */

/** What the click model reads of a user. */
export interface SyntheticUserTraits {
  /** Share of attention per category, CATEGORIES order, summing to about 1. */
  taste: ArrayLike<number>;
  /** 0 (price does not matter) to 1 (only cheap services appeal). */
  priceSensitivity: number;
}

/** What the click model reads of a service. */
export interface SyntheticServiceTraits {
  /** Index of the primary category in CATEGORIES. */
  category: number;
  /** Index of the secondary category, or -1 for none. */
  secondaryCategory: number;
  /** 0 (free) to 4 (premium). */
  priceTier: number;
  /** Latent quality, about N(0, 0.6). */
  quality: number;
  freeTier: boolean;
}

const BASE = -2.3;
const AFFINITY_WEIGHT = 0.6;
const QUALITY_WEIGHT = 0.8;
const PRICE_WEIGHT = 1.6;
const FREE_TIER_WEIGHT = 0.6;
/** Share of a two-category service's appeal that comes from its secondary category. */
const SECONDARY_SHARE = 0.3;

/**
 * The click logit from scalars (the simulator's hot path calls this directly):
 *   affinity = K·(taste[primary]·(1-σ) + taste[secondary]·σ) − 1   (0 for a user with uniform taste; σ = 0 without secondary)
 *   logit = −2.3 + 0.6·affinity + 0.8·quality − 1.6·priceSensitivity·tier/4 + 0.6·priceSensitivity·[freeTier]
 * with K = 9 categories.
 */
export function clickLogit(
  tastePrimary: number,
  tasteSecondary: number,
  hasSecondary: boolean,
  priceSensitivity: number,
  priceTier: number,
  quality: number,
  freeTier: boolean,
): number {
  const share = hasSecondary
    ? tastePrimary * (1 - SECONDARY_SHARE) + tasteSecondary * SECONDARY_SHARE
    : tastePrimary;
  const affinity = CATEGORIES.length * share - 1;
  return (
    BASE +
    AFFINITY_WEIGHT * affinity +
    QUALITY_WEIGHT * quality -
    (PRICE_WEIGHT * priceSensitivity * priceTier) / 4 +
    (freeTier ? FREE_TIER_WEIGHT * priceSensitivity : 0)
  );
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The true probability that `user` clicks `service` when it is shown first in a list. */
export function clickProbability(user: SyntheticUserTraits, service: SyntheticServiceTraits): number {
  const secondary = service.secondaryCategory;
  return sigmoid(
    clickLogit(
      user.taste[service.category],
      secondary >= 0 ? user.taste[secondary] : 0,
      secondary >= 0,
      user.priceSensitivity,
      service.priceTier,
      service.quality,
      service.freeTier,
    ),
  );
}

/** Position bias: the chance a user looks at the list entry at 0-based `position` (1 at the top). */
export function examinationProbability(position: number): number {
  return 1 / (1 + 0.35 * position);
}

/** A synthetic user's traits back from the `attributes` of its UserRow. */
export function userTraitsFromAttributes(attributes: JsonObject): SyntheticUserTraits {
  const taste = attributes.taste;
  if (taste === null || typeof taste !== 'object' || Array.isArray(taste))
    throw new Error('user attributes: no taste object');
  return {
    taste: CATEGORIES.map((c) => numberOf(taste[c], `taste.${c}`)),
    priceSensitivity: numberOf(attributes.priceSensitivity, 'priceSensitivity'),
  };
}

/** A synthetic service's traits back from the fields of its ServiceRow. */
export function serviceTraitsFromRow(row: {
  categories?: readonly string[];
  priceTier?: number;
  freeTier?: boolean;
  attributes?: JsonObject | null;
}): SyntheticServiceTraits {
  const [primary, secondary] = row.categories ?? [];
  const index = (name: string | undefined): number => CATEGORIES.indexOf(name as (typeof CATEGORIES)[number]);
  const category = index(primary);
  if (category < 0) throw new Error(`service: unknown primary category ${String(primary)}`);
  return {
    category,
    secondaryCategory: secondary === undefined ? -1 : index(secondary),
    priceTier: row.priceTier ?? 0,
    quality: numberOf(row.attributes?.quality, 'quality'),
    freeTier: row.freeTier ?? false,
  };
}

function numberOf(value: JsonValue | undefined, name: string): number {
  if (typeof value !== 'number') throw new Error(`synthetic attributes: ${name} is not a number`);
  return value;
}
