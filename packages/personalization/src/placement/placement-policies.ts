import { PersonalizationError, PersonalizationErrorCode } from '../errors';

/** Where a list is shown (the serving contract's PLACEMENTS). */
export type Placement = 'home' | 'search' | 'service_page';

/** Candidate sources, the engine's and this package's. */
export type SourceName =
  | 'model'
  | 'similar'
  | 'content'
  | 'session'
  | 'declared'
  | 'segment'
  | 'profile'
  | 'trending'
  | 'popular'
  | 'exploration';

/** What bounds the candidates of a placement. */
export type CandidateScope =
  /** The whole allowed catalog. */
  | 'catalog'
  /** Services of the request's categories (the search query's, the filter's) only. */
  | 'query-categories';

/** Which items anchor neighbour candidates (`similar`, `content`), in order. */
export type AnchorKind = 'page-service' | 'session' | 'history';

export interface PlacementPolicy {
  /** One line for operators. */
  summary: string;
  scope: CandidateScope;
  anchors: readonly AnchorKind[];
  /** Candidates per source (per anchor for `similar` and `content`); 0 turns a source off. */
  candidates: Readonly<Record<SourceName, number>>;
  /** Weight of each source's strength in a list no model ranks (cold start). */
  weights: Readonly<Record<SourceName, number>>;
  /** λ of MMR (1 = relevance only). */
  mmrLambda: number;
  /** Distinct primary categories a list spans at least (spreadAcrossCategories). */
  minCategories: number;
  /** Largest share of a list one primary category may take (× limit, rounded up). */
  maxCategoryShare: number;
}

const WEIGHTS: Readonly<Record<SourceName, number>> = {
  model: 1,
  similar: 1,
  content: 0.8,
  session: 1,
  declared: 0.9,
  segment: 0.7,
  profile: 0.8,
  trending: 0.6,
  popular: 0.5,
  exploration: 0.7,
};

/**
 * The candidate policy of each placement, as data:
 * - home: broad and diverse; every source, the lowest MMR λ, a list spanning several categories;
 * - search: the query's categories only, ranked by relevance, little diversity;
 * - service_page: services like the page's service (its neighbours first), diversity kept low on purpose.
 */
export const PLACEMENT_POLICIES: Readonly<Record<Placement, PlacementPolicy>> = {
  home: {
    summary:
      'broad and diverse: the user model, their session and history, what is popular, trending and new',
    scope: 'catalog',
    anchors: ['session', 'history'],
    candidates: {
      model: 100,
      similar: 20,
      content: 10,
      session: 20,
      declared: 20,
      segment: 20,
      profile: 20,
      trending: 30,
      popular: 30,
      exploration: 5,
    },
    weights: WEIGHTS,
    mmrLambda: 0.6,
    minCategories: 5,
    maxCategoryShare: 0.3,
  },
  search: {
    summary: "the query's categories only, ranked by relevance",
    scope: 'query-categories',
    anchors: ['session', 'history'],
    candidates: {
      model: 200,
      similar: 10,
      content: 10,
      session: 10,
      declared: 10,
      segment: 20,
      profile: 10,
      trending: 30,
      popular: 50,
      exploration: 3,
    },
    weights: { ...WEIGHTS, popular: 0.7 },
    mmrLambda: 0.9,
    minCategories: 1,
    maxCategoryShare: 1,
  },
  service_page: {
    summary: "services like the page's service: its neighbours, then the session's",
    scope: 'catalog',
    anchors: ['page-service', 'session'],
    candidates: {
      model: 30,
      similar: 40,
      content: 30,
      session: 20,
      declared: 0,
      segment: 0,
      profile: 10,
      trending: 0,
      popular: 10,
      exploration: 3,
    },
    weights: { ...WEIGHTS, similar: 1.2, content: 1.1, popular: 0.2, profile: 0.4 },
    mmrLambda: 0.85,
    minCategories: 1,
    maxCategoryShare: 1,
  },
};

/** What the request says that a placement needs. */
export interface PlacementRequest {
  /** service_page: the page's service id. */
  serviceId?: string;
  /** search: the query's categories (or the request filter's). */
  categories?: readonly string[];
}

/** A policy resolved against one request. */
export interface CandidatePlan {
  placement: Placement;
  policy: PlacementPolicy;
  /** The page's service first when the placement anchors on it. */
  pageServiceId: string | null;
  /** Categories candidates must belong to (search), or null for the whole catalog. */
  categoryFilter: readonly string[] | null;
  /** Set when the request lacked what the placement needs and home's policy answers instead. */
  fellBackTo: Placement | null;
}

/**
 * The plan of a request. A service page without its service, or a search without categories, cannot be
 * answered as such: the plan falls back to home's policy and says so (`fellBackTo`). An unknown placement
 * is a BAD_INPUT error.
 */
export function candidatePlan(placement: string, request: PlacementRequest = {}): CandidatePlan {
  const policy = (PLACEMENT_POLICIES as Readonly<Record<string, PlacementPolicy>>)[placement];
  if (policy === undefined || !Object.hasOwn(PLACEMENT_POLICIES, placement))
    throw new PersonalizationError(
      PersonalizationErrorCode.BAD_INPUT,
      `unknown placement "${placement}" (expected ${Object.keys(PLACEMENT_POLICIES).join(', ')})`,
    );
  const p = placement as Placement;
  const categories = (request.categories ?? []).filter((c) => typeof c === 'string' && c !== '');
  const fallBack = (): CandidatePlan => ({
    placement: p,
    policy: PLACEMENT_POLICIES.home,
    pageServiceId: null,
    categoryFilter: null,
    fellBackTo: 'home',
  });
  if (p === 'service_page' && !request.serviceId) return fallBack();
  if (policy.scope === 'query-categories' && categories.length === 0) return fallBack();
  return {
    placement: p,
    policy,
    pageServiceId: policy.anchors.includes('page-service') ? (request.serviceId ?? null) : null,
    categoryFilter: policy.scope === 'query-categories' ? categories : null,
    fellBackTo: null,
  };
}

/** At most how many items of one primary category a list of `limit` holds under the policy. */
export function maxPerCategory(policy: PlacementPolicy, limit: number): number {
  return Math.max(1, Math.ceil(policy.maxCategoryShare * limit));
}
