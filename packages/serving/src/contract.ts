/**
 * The inference engine's public contract: what the subgraph's resolvers call. Resolvers validate,
 * authorize, call these, and shape the answer; everything about candidates, ranking, caching and
 * models lives behind this interface.
 */

export const PLACEMENTS = ['home', 'search', 'service_page'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export const DEVICES = ['desktop', 'mobile', 'tablet', 'api', 'other'] as const;
export type Device = (typeof DEVICES)[number];

/** What the client tells us about the moment of the request (all optional). */
export interface RecommendationContext {
  placement?: Placement;
  device?: Device;
  /** Request time; defaults to now. */
  time?: Date;
  /** 0-23, when the client sends hour and weekday instead of a time. */
  hour?: number;
  /** 0 (Sunday) - 6. */
  weekday?: number;
  sessionId?: string;
  /** Services viewed in this session, most recent first. */
  recentlyViewed?: string[];
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** The service page being shown (placement service_page). */
  serviceId?: string;
}

export interface RecommendationFilter {
  categories?: string[];
  excludeCategories?: string[];
  pricingModels?: ('FREE' | 'PAY_AS_YOU_GO' | 'SUBSCRIPTION' | 'ENTERPRISE')[];
  freeTierOnly?: boolean;
  maxPriceTier?: number;
  excludeServiceIds?: string[];
}

/** Where a candidate came from. */
export type CandidateSource = 'model' | 'similar' | 'content' | 'trending' | 'popular' | 'exploration';

export interface Recommendation {
  serviceId: string;
  score: number;
  /** 1-based. */
  rank: number;
  source: CandidateSource;
  /** Human-readable reasons, most specific first ("Because you used Chat Pro", "Trending in Code"). */
  reasons: string[];
}

export interface RecommendationList {
  requestId: string;
  items: Recommendation[];
  /** `${modelType}@${version}` of the version that ranked the list, or 'cold-start'. */
  modelVersion: string;
  /** The A/B experiment variant the user was assigned to, when an experiment applies. */
  experimentVariant: string | null;
  generatedAt: Date;
  fromCache: boolean;
  /** True when the user had no history and the cold-start path answered. */
  coldStart: boolean;
}

export interface RecommendRequest {
  userId: string;
  context?: RecommendationContext;
  limit: number;
  filter?: RecommendationFilter;
  /**
   * What an A/B experiment variant asks to be served instead of the placement's production model
   * (`@recsys/experiments`). Optional: an engine that cannot serve it ranks as usual, and
   * `RecommendationList.modelVersion` says what did; an engine that honours it must key its caches by it.
   */
  treatment?: ServingTreatment;
}

/** A registry ModelVersion (by id) or a named serving policy (`production`, a bandit's name...). */
export type ServingTreatment = { modelVersionId: string } | { policy: string };

export interface SimilarServicesRequest {
  serviceId: string;
  limit: number;
}

export interface TrendingRequest {
  category?: string;
  limit: number;
}

export type RecordableInteraction =
  'IMPRESSION' | 'VIEW' | 'CLICK' | 'API_CALL' | 'SUBSCRIBE' | 'FAVORITE' | 'RATING' | 'REVIEW' | 'PURCHASE';

export interface InteractionInput {
  userId: string;
  serviceId: string;
  type: RecordableInteraction;
  /** The rating for RATING; otherwise an optional strength. */
  value?: number;
  dwellMs?: number;
  sessionId?: string;
  /** The recommendation request this event answers. */
  requestId?: string;
  context?: RecommendationContext;
  occurredAt?: Date;
  /** Client-chosen key: a replay with the same key is stored once. */
  idempotencyKey: string;
}

export interface RecordResult {
  /** False when the idempotency key was already stored (a replay). */
  stored: boolean;
  interactionId: string;
}

/** Health of what serving depends on, for /ready and metrics. */
export interface ServingHealth {
  database: boolean;
  redis: boolean;
  /** Placement → loaded model version label. */
  models: Record<string, string>;
}

export interface InferenceEngine {
  recommend(request: RecommendRequest): Promise<RecommendationList>;
  similarServices(request: SimilarServicesRequest): Promise<Recommendation[]>;
  trendingServices(request: TrendingRequest): Promise<Recommendation[]>;
  recordInteraction(input: InteractionInput): Promise<RecordResult>;
  health(): Promise<ServingHealth>;
  /** Stops subscriptions and timers; the engine answers nothing afterwards. */
  close(): Promise<void>;
}

/** Error codes the engine raises; the subgraph maps them to GraphQL error codes. */
export const ServingErrorCode = {
  /** A service id that is not in the catalog (BAD_USER_INPUT in GraphQL). */
  UNKNOWN_SERVICE: 'UNKNOWN_SERVICE',
  /** A value outside what the engine accepts (BAD_USER_INPUT). */
  INVALID_INPUT: 'INVALID_INPUT',
  /** No model is loaded and the fallback could not answer either (SERVICE_UNAVAILABLE). */
  UNAVAILABLE: 'UNAVAILABLE',
} as const;
export type ServingErrorCode = (typeof ServingErrorCode)[keyof typeof ServingErrorCode];

export class ServingError extends Error {
  constructor(
    readonly code: ServingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServingError';
  }
}
