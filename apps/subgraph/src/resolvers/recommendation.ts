import type { Recommendation } from '@recsys/serving';
import type { FieldResolver } from './types';

export interface ServiceReference {
  __typename: 'Service';
  id: string;
}

export interface RecommendationResolvers {
  service: FieldResolver<Recommendation, Record<string, never>, ServiceReference>;
}

/** The engine's items name services by id; the gateway fetches the rest of each service from the catalog. */
export const recommendationResolvers: RecommendationResolvers = {
  service: (item) => ({ __typename: 'Service', id: item.serviceId }),
};
