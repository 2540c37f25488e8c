import type { CandidateSource, Device, Placement } from '@recsys/serving';

/** GraphQL enum names → the engine's values (the schema maps both ways). */
export const PlacementValues = {
  HOME: 'home',
  SEARCH: 'search',
  SERVICE_PAGE: 'service_page',
} as const satisfies Record<string, Placement>;

export const DeviceValues = {
  DESKTOP: 'desktop',
  MOBILE: 'mobile',
  TABLET: 'tablet',
  API: 'api',
  OTHER: 'other',
} as const satisfies Record<string, Device>;

export const CandidateSourceValues = {
  MODEL: 'model',
  SIMILAR: 'similar',
  CONTENT: 'content',
  TRENDING: 'trending',
  POPULAR: 'popular',
  EXPLORATION: 'exploration',
} as const satisfies Record<string, CandidateSource>;
