import type { RecommendationFilter } from '@recsys/serving';
import type { RecommendationFilterInput } from '../schema/inputs';
import { withoutUndefined } from './context';
import { idList } from './ids';
import { optionalIntInRange } from './numbers';

export const MAX_FILTER_ENTRIES = 100;

/** The engine's filter from the GraphQL input. Category names follow the id rules (1-128, no control characters). */
export function validFilter(
  input: RecommendationFilterInput | null | undefined,
  field = 'filter',
): RecommendationFilter | undefined {
  if (input === null || input === undefined) return undefined;
  return withoutUndefined<RecommendationFilter>({
    categories: idList(input.categories, `${field}.categories`, MAX_FILTER_ENTRIES),
    excludeCategories: idList(input.excludeCategories, `${field}.excludeCategories`, MAX_FILTER_ENTRIES),
    pricingModels: input.pricingModels ?? undefined,
    freeTierOnly: input.freeTierOnly ?? undefined,
    maxPriceTier: optionalIntInRange(input.maxPriceTier, `${field}.maxPriceTier`, 0, 4),
    excludeServiceIds: idList(input.excludeServiceIds, `${field}.excludeServiceIds`, MAX_FILTER_ENTRIES),
  });
}
