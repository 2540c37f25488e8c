import type { Redis } from 'ioredis';
import type { PrismaClient, streamServices } from '@recsys/db';
import type { EngineEvent } from './events';
import type { Logger } from './logger';
import type { ModelEventSubscription, ModelSource } from './models/model-source';

/** pg's Pool, as @recsys/db takes it. */
export type Pool = Parameters<typeof streamServices>[0];

export interface CacheOptions {
  /**
   * The prediction cache (recommendation lists). false: every request computes its list, while the
   * feature cache and generations still work (benchmarks of the uncached path, debugging). @defaultValue true
   */
  predictionCache: boolean;
  /** Lifetime of a cached recommendation list in Redis. @defaultValue 300 */
  predictionTtlSeconds: number;
  /** Lifetime of a list in the in-process LRU in front of Redis. @defaultValue 5000 */
  predictionMemoryTtlMs: number;
  /** Entries of the in-process prediction LRU. @defaultValue 10000 */
  predictionMemoryMax: number;
  /** Lifetime of a user's history (the feature cache) in Redis. @defaultValue 600 */
  historyTtlSeconds: number;
  /** Lifetime of a history in the in-process LRU. @defaultValue 30000 */
  historyMemoryTtlMs: number;
  /** @defaultValue 10000 */
  historyMemoryMax: number;
  /**
   * Lifetime of a user's cache generation counter; must exceed both TTLs above so that a counter that
   * expires and restarts at 0 can never resurrect a list. @defaultValue 604800 (a week)
   */
  generationTtlSeconds: number;
  /**
   * How long a user's generation read from Redis is used in process without reading it again. Bumps are
   * announced on pub/sub and forget it at once on every engine; this bounds staleness only if an
   * announcement is lost while the subscription looks healthy (cache/user-generation.ts). @defaultValue 5000
   */
  generationMemoryTtlMs: number;
  /** Users whose generation is remembered in process. @defaultValue 100000 */
  generationMemoryMax: number;
  /**
   * Users whose top model candidates are remembered per model version (a model's ranking of a user
   * never changes; candidates/user-top-items.ts). @defaultValue 20000
   */
  userTopItemsMax: number;
  /** A Redis command slower than this counts as failed and the request goes on without it. @defaultValue 150 */
  redisTimeoutMs: number;
  /** How long trending scores read from PostgreSQL are reused. @defaultValue 60000 */
  trendingTtlMs: number;
}

export interface CandidateOptions {
  /** Items taken from the model's own top-N. @defaultValue 100 */
  model: number;
  /** Anchor items (recently viewed, then most recent history) whose neighbours become candidates. @defaultValue 5 */
  anchors: number;
  /** Neighbours per anchor from the model's similarItems. @defaultValue 20 */
  similarPerAnchor: number;
  /** Neighbours per anchor from category and tag similarity. @defaultValue 10 */
  contentPerAnchor: number;
  /** @defaultValue 30 */
  trending: number;
  /** @defaultValue 30 */
  popular: number;
  /** Newest services the model has never seen. @defaultValue 5 */
  exploration: number;
  /** Most recent interactions read per user (the "already used" set and the anchors). @defaultValue 500 */
  historyLimit: number;
}

export interface RankingOptions {
  /** λ of maximal marginal relevance: 1 ranks by relevance only, 0 by novelty only. @defaultValue 0.7 */
  mmrLambda: number;
  /** Relevance (0..1) of a candidate outside the model's item map, scaled by its source strength. @defaultValue 0.05 */
  outOfModelPrior: number;
}

export interface RefreshOptions {
  /** Catalog reload period. @defaultValue 300000 */
  catalogMs: number;
  /** Poll of the model source: the backstop when model events are missed. @defaultValue 60000 */
  modelPollMs: number;
}

export interface TrendingOptions {
  /** Age at which an event counts half. @defaultValue 7 */
  halfLifeDays: number;
  /** Only events this recent count. @defaultValue 30 */
  windowDays: number;
}

export interface PersonalizationOptions {
  /**
   * The online user profile (@recsys/personalization's UserProfileStore, in Redis): every stored interaction
   * updates it, and an uncached list adds its category and price-tier boosts to relevance before MMR.
   * Needs Redis. @defaultValue true when a Redis client is given
   */
  profiles: boolean;
}

export interface EngineOptions {
  pool: Pool;
  /** Accepted for callers that hold one; the engine's queries all go through `pool`. */
  prisma?: PrismaClient;
  /** Without it (or while it is not ready) the engine runs without its Redis caches. */
  redis?: Redis | null;
  /** The dataset (namespace) served: 'marketplace', 'ml-100k'... */
  datasetId: string;
  modelSource: ModelSource;
  /** Announces model promotions; the engine reloads the placement named. */
  modelEvents?: ModelEventSubscription;
  logger?: Logger;
  /** Metrics hook; see EngineEvent. */
  onEvent?: (event: EngineEvent) => void;
  /** Prefix of every Redis key. @defaultValue `recsys:serving:${datasetId}:` */
  keyPrefix?: string;
  /** Largest `limit` a request may ask for. @defaultValue 100 */
  maxLimit?: number;
  /** Allowed RATING values. @defaultValue [0.5, 5] */
  ratingRange?: [number, number];
  cache?: Partial<CacheOptions>;
  candidates?: Partial<CandidateOptions>;
  ranking?: Partial<RankingOptions>;
  refresh?: Partial<RefreshOptions>;
  trending?: Partial<TrendingOptions>;
  personalization?: Partial<PersonalizationOptions>;
}

export const DEFAULT_CACHE_OPTIONS: CacheOptions = {
  predictionCache: true,
  predictionTtlSeconds: 300,
  predictionMemoryTtlMs: 5_000,
  predictionMemoryMax: 10_000,
  historyTtlSeconds: 600,
  historyMemoryTtlMs: 30_000,
  historyMemoryMax: 10_000,
  generationTtlSeconds: 7 * 86_400,
  generationMemoryTtlMs: 5_000,
  generationMemoryMax: 100_000,
  userTopItemsMax: 20_000,
  redisTimeoutMs: 150,
  trendingTtlMs: 60_000,
};

export const DEFAULT_CANDIDATE_OPTIONS: CandidateOptions = {
  model: 100,
  anchors: 5,
  similarPerAnchor: 20,
  contentPerAnchor: 10,
  trending: 30,
  popular: 30,
  exploration: 5,
  historyLimit: 500,
};

export const DEFAULT_RANKING_OPTIONS: RankingOptions = {
  mmrLambda: 0.7,
  outOfModelPrior: 0.05,
};

export const DEFAULT_REFRESH_OPTIONS: RefreshOptions = { catalogMs: 300_000, modelPollMs: 60_000 };

export const DEFAULT_TRENDING_OPTIONS: TrendingOptions = { halfLifeDays: 7, windowDays: 30 };

/** Options with every default filled in and checked. */
export interface ResolvedOptions {
  datasetId: string;
  keyPrefix: string;
  maxLimit: number;
  ratingRange: [number, number];
  cache: CacheOptions;
  candidates: CandidateOptions;
  ranking: RankingOptions;
  refresh: RefreshOptions;
  trending: TrendingOptions;
  personalization: PersonalizationOptions;
}

function requirePositive(name: string, value: number, integer: boolean): void {
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value)))
    throw new RangeError(
      `serving options: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`,
    );
}

/** Fills defaults and throws a RangeError naming the first bad value. */
export function resolveOptions(options: EngineOptions): ResolvedOptions {
  if (typeof options.datasetId !== 'string' || options.datasetId.length === 0)
    throw new RangeError('serving options: datasetId is required');
  const resolved: ResolvedOptions = {
    datasetId: options.datasetId,
    keyPrefix: options.keyPrefix ?? `recsys:serving:${options.datasetId}:`,
    maxLimit: options.maxLimit ?? 100,
    ratingRange: options.ratingRange ?? [0.5, 5],
    cache: { ...DEFAULT_CACHE_OPTIONS, ...options.cache },
    candidates: { ...DEFAULT_CANDIDATE_OPTIONS, ...options.candidates },
    ranking: { ...DEFAULT_RANKING_OPTIONS, ...options.ranking },
    refresh: { ...DEFAULT_REFRESH_OPTIONS, ...options.refresh },
    trending: { ...DEFAULT_TRENDING_OPTIONS, ...options.trending },
    personalization: { profiles: options.personalization?.profiles ?? options.redis != null },
  };
  requirePositive('maxLimit', resolved.maxLimit, true);
  const { predictionCache, ...sizes } = resolved.cache;
  if (typeof predictionCache !== 'boolean')
    throw new RangeError(
      `serving options: cache.predictionCache must be a boolean, got ${String(predictionCache)}`,
    );
  for (const [k, v] of Object.entries(sizes)) requirePositive(`cache.${k}`, v, !k.endsWith('Ms'));
  for (const [k, v] of Object.entries(resolved.candidates)) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`serving options: candidates.${k} must be an integer >= 0, got ${v}`);
  }
  requirePositive('candidates.historyLimit', resolved.candidates.historyLimit, true);
  const { mmrLambda, outOfModelPrior } = resolved.ranking;
  if (!(mmrLambda >= 0 && mmrLambda <= 1))
    throw new RangeError(`serving options: ranking.mmrLambda must be in [0, 1], got ${mmrLambda}`);
  if (!(outOfModelPrior >= 0 && outOfModelPrior <= 1))
    throw new RangeError(
      `serving options: ranking.outOfModelPrior must be in [0, 1], got ${outOfModelPrior}`,
    );
  if (typeof resolved.personalization.profiles !== 'boolean')
    throw new RangeError(
      `serving options: personalization.profiles must be a boolean, got ${String(resolved.personalization.profiles)}`,
    );
  requirePositive('refresh.catalogMs', resolved.refresh.catalogMs, false);
  requirePositive('refresh.modelPollMs', resolved.refresh.modelPollMs, false);
  requirePositive('trending.halfLifeDays', resolved.trending.halfLifeDays, false);
  requirePositive('trending.windowDays', resolved.trending.windowDays, false);
  const [lo, hi] = resolved.ratingRange;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi))
    throw new RangeError(`serving options: ratingRange must be [min, max], got [${lo}, ${hi}]`);
  return resolved;
}
