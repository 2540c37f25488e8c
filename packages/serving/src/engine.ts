import { randomUUID } from 'node:crypto';
import {
  PLACEMENTS,
  ServingError,
  ServingErrorCode,
  type InferenceEngine,
  type InteractionInput,
  type Placement,
  type Recommendation,
  type RecommendationList,
  type RecommendRequest,
  type RecordResult,
  type ServingHealth,
  type SimilarServicesRequest,
  type TrendingRequest,
} from './contract';
import { loadCatalog } from './catalog/catalog-loader';
import type { CatalogSnapshot } from './catalog/catalog-snapshot';
import { generationChannel, predictionKey } from './cache/cache-keys';
import { GenerationBumps } from './cache/generation-bumps';
import { PredictionCache, type CachedList } from './cache/prediction-cache';
import { RedisStore } from './cache/redis-store';
import { UserGenerations } from './cache/user-generation';
import { EventSink, type EngineStats } from './events';
import { UserTopItems } from './candidates/user-top-items';
import { UserHistoryReader } from './history/user-history';
import { insertInteraction, serviceExists } from './interactions/interaction-writer';
import { validateInteraction } from './interactions/validate-interaction';
import { errorMessage, silentLogger, type Logger } from './logger';
import { ActiveModels } from './models/active-models';
import { OnlineProfiles } from './personalization/online-profiles';
import type { ServedModel } from './models/served-model';
import { resolveOptions, type EngineOptions, type Pool, type ResolvedOptions } from './options';
import { runPipeline } from './recommend/recommend-pipeline';
import { similarServices } from './recommend/similar-services';
import { trendingServices } from './recommend/trending-services';
import { TrendingScores } from './signals/trending-scores';

/** The engine as created: the contract plus what operators and metrics read. */
export interface ServingEngine extends InferenceEngine {
  /** Counters since start (cache hits and misses per layer, model swaps, Redis errors...). */
  stats(): EngineStats;
  /** Reloads the catalog now (also done every `refresh.catalogMs`). */
  refreshCatalog(): Promise<void>;
  /** Asks the model source for every placement's version now (also done every `refresh.modelPollMs`). */
  refreshModels(): Promise<void>;
}

const HEALTH_TIMEOUT_MS = 2_000;

function isPlacement(value: unknown): value is Placement {
  return typeof value === 'string' && (PLACEMENTS as readonly string[]).includes(value);
}

/**
 * Starts an inference engine: loads the catalog (required), the models of every placement (a placement
 * whose model fails to load answers from its fallback), subscribes to model events and starts the
 * refresh timers. See the package README for the request path.
 */
export async function createInferenceEngine(options: EngineOptions): Promise<ServingEngine> {
  const resolved = resolveOptions(options);
  const logger = options.logger ?? silentLogger;
  const sink = new EventSink(options.onEvent);
  const catalog = await loadCatalog(options.pool, resolved.datasetId);
  const engine = new Engine(options, resolved, logger, sink, catalog);
  await engine.start(options);
  return engine;
}

class Engine implements ServingEngine {
  private catalog: CatalogSnapshot;
  private readonly pool: Pool;
  private readonly store: RedisStore;
  private readonly generations: UserGenerations;
  /** The subscription to generation bumps (null without Redis). */
  private readonly bumps: GenerationBumps | null;
  private readonly predictions: PredictionCache;
  private readonly histories: UserHistoryReader;
  private readonly trending: TrendingScores;
  private readonly models: ActiveModels;
  private readonly userTop: UserTopItems;
  /** The online user profiles (null: off, or no Redis). */
  private readonly profiles: OnlineProfiles | null;
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void | Promise<void>) | null = null;
  private catalogReload: Promise<void> | null = null;
  private closed = false;

  constructor(
    options: EngineOptions,
    private readonly opts: ResolvedOptions,
    private readonly logger: Logger,
    private readonly sink: EventSink,
    catalog: CatalogSnapshot,
  ) {
    const c = opts.cache;
    this.catalog = catalog;
    this.pool = options.pool;
    this.store = new RedisStore(options.redis ?? null, c.redisTimeoutMs, sink, logger);
    const channel = generationChannel(opts.keyPrefix);
    this.generations = new UserGenerations(
      this.store,
      sink,
      opts.keyPrefix,
      c.generationTtlSeconds,
      channel,
      {
        max: c.generationMemoryMax,
        ttlMs: c.generationMemoryTtlMs,
      },
    );
    // A connection of its own: a subscribed connection can send nothing else.
    this.bumps = options.redis
      ? new GenerationBumps(
          options.redis.duplicate({
            connectionName: `${options.redis.options.connectionName ?? 'recsys-serving'}:gen-bumps`,
            enableAutoPipelining: false,
            lazyConnect: true,
          }),
          options.redis,
          channel,
          (userKey) => this.generations.forget(userKey),
          () => this.generations.reset(),
          logger,
        )
      : null;
    if (this.bumps) this.generations.listen(this.bumps);
    this.predictions = new PredictionCache(
      this.store,
      sink,
      c.predictionTtlSeconds,
      c.predictionMemoryMax,
      c.predictionMemoryTtlMs,
    );
    this.histories = new UserHistoryReader(
      options.pool,
      opts.datasetId,
      opts.candidates.historyLimit,
      this.store,
      sink,
      opts.keyPrefix,
      c.historyTtlSeconds,
      c.historyMemoryMax,
      c.historyMemoryTtlMs,
    );
    this.trending = new TrendingScores(options.pool, opts.datasetId, opts.trending, c.trendingTtlMs, logger);
    this.models = new ActiveModels(options.modelSource, sink, logger);
    this.userTop = new UserTopItems(c.userTopItemsMax);
    this.profiles =
      options.redis && opts.personalization.profiles
        ? new OnlineProfiles(options.redis, this.store, sink, opts.keyPrefix)
        : null;
  }

  async start(options: EngineOptions): Promise<void> {
    await this.models.refreshAll();
    if (options.modelEvents) {
      try {
        this.unsubscribe = await options.modelEvents((change) => {
          if (!this.closed) void this.models.onChange(change.placement);
        });
      } catch (error) {
        this.logger.warn(
          { err: errorMessage(error) },
          'model events unavailable; relying on the periodic poll',
        );
      }
    }
    const every = (ms: number, task: () => Promise<void>): void => {
      const timer = setInterval(() => void task(), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.opts.refresh.catalogMs, () => this.refreshCatalog());
    every(this.opts.refresh.modelPollMs, () => this.refreshModels());
    this.logger.info(
      { dataset: this.opts.datasetId, services: this.catalog.ids.size, models: this.models.labels() },
      'inference engine started',
    );
  }

  stats(): EngineStats {
    return structuredClone(this.sink.stats);
  }

  refreshModels(): Promise<void> {
    return this.models.refreshAll();
  }

  /** Loads a new catalog snapshot and swaps it in; one reload at a time; failures keep the old one. */
  refreshCatalog(): Promise<void> {
    this.catalogReload ??= loadCatalog(this.pool, this.opts.datasetId)
      .then((next) => {
        this.catalog = next;
      })
      .catch((error: unknown) => {
        this.logger.warn(
          { err: errorMessage(error) },
          'catalog refresh failed; keeping the previous snapshot',
        );
      })
      .finally(() => {
        this.catalogReload = null;
      });
    return this.catalogReload;
  }

  async recommend(request: RecommendRequest): Promise<RecommendationList> {
    this.assertOpen();
    this.validateRequest(request);
    const started = performance.now();
    const placement = request.context?.placement ?? 'home';
    // Read once: a model swap or catalog refresh during this request does not change what it uses.
    const served = await this.servedFor(request, placement);
    const catalog = this.catalog;
    const now = new Date();

    const generation = await this.generations.get(request.userId);
    const key =
      generation === null || !this.opts.cache.predictionCache
        ? null
        : predictionKey({
            prefix: this.opts.keyPrefix,
            userId: request.userId,
            generation,
            modelVersion: served?.versionId ?? 'none',
            request,
          });
    if (key !== null) {
      const cached = await this.predictions.get(key);
      if (cached) return this.answer(cached, true, placement, started);
    }

    const [history, trending, profile] = await Promise.all([
      this.histories.get(request.userId, generation),
      this.trendingScores(catalog),
      this.profiles?.read(request.userId, request.context?.sessionId) ?? null,
    ]);
    const out = runPipeline({
      request,
      catalog,
      served,
      history,
      trending,
      candidates: this.opts.candidates,
      ranking: this.opts.ranking,
      userTop: this.userTop,
      profile,
    });
    const list: CachedList = { ...out, experimentVariant: null, generatedAt: now.toISOString() };
    if (key !== null) void this.predictions.set(key, list);
    return this.answer(list, false, placement, started);
  }

  /**
   * The model that ranks a request: the version its treatment names (an experiment's variant), loaded on
   * demand and kept among the recently used ones, else the placement's production model. A version that
   * cannot be served falls back to production; the list's `modelVersion` says which ranked it, and the
   * prediction cache is keyed by it, so variants never share cached lists.
   */
  private async servedFor(request: RecommendRequest, placement: Placement): Promise<ServedModel | null> {
    const production = this.models.get(placement);
    const treatment = request.treatment;
    if (treatment === undefined || !('modelVersionId' in treatment)) return production;
    if (production?.versionId === treatment.modelVersionId) return production;
    return (await this.models.version(treatment.modelVersionId)) ?? production;
  }

  async similarServices(request: SimilarServicesRequest): Promise<Recommendation[]> {
    this.assertOpen();
    this.validateLimit(request.limit);
    const catalog = this.catalog;
    const item = catalog.ids.indexOf(request.serviceId);
    if (item === undefined)
      throw new ServingError(ServingErrorCode.UNKNOWN_SERVICE, `unknown service "${request.serviceId}"`);
    return similarServices(catalog, this.models.get('service_page'), item, request.limit);
  }

  async trendingServices(request: TrendingRequest): Promise<Recommendation[]> {
    this.assertOpen();
    this.validateLimit(request.limit);
    const catalog = this.catalog;
    return trendingServices(catalog, await this.trendingScores(catalog), request.category, request.limit);
  }

  async recordInteraction(input: InteractionInput): Promise<RecordResult> {
    this.assertOpen();
    validateInteraction(input, this.opts.ratingRange);
    if (!this.catalog.ids.has(input.serviceId)) {
      if (!(await serviceExists(this.pool, this.opts.datasetId, input.serviceId)))
        throw new ServingError(ServingErrorCode.UNKNOWN_SERVICE, `unknown service "${input.serviceId}"`);
      void this.refreshCatalog(); // a service newer than the snapshot
    }
    const result = await insertInteraction(this.pool, this.opts.datasetId, input);
    if (result.stored && !(await this.generations.bump(input.userId))) {
      this.logger.warn(
        { userId: input.userId },
        "could not invalidate the user's cached lists (Redis unavailable); they expire with their TTL",
      );
    }
    // Awaited, so the user's next request uses it. After the bump (its pub/sub announcement reaches the other
    // replicas meanwhile): a list that a concurrent request of the same user computes between the two lacks
    // this one event's profile boost until its TTL; the history it ranks from is already up to date.
    if (result.stored && this.profiles) await this.profiles.record(input, this.catalog, new Date());
    return result;
  }

  async health(): Promise<ServingHealth> {
    const database = await withTimeout(
      this.pool.query('SELECT 1').then(() => true),
      HEALTH_TIMEOUT_MS,
    ).catch(() => false);
    return { database, redis: await this.store.ping(), models: this.models.labels() };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    if (unsubscribe) {
      try {
        await unsubscribe();
      } catch (error) {
        this.logger.warn({ err: errorMessage(error) }, 'unsubscribing from model events failed');
      }
    }
    await this.bumps?.close();
    this.generations.reset();
    this.predictions.clearMemory();
    this.histories.clearMemory();
  }

  private answer(
    list: CachedList,
    fromCache: boolean,
    placement: string,
    started: number,
  ): RecommendationList {
    this.sink.emit({
      type: 'recommend',
      placement,
      durationMs: performance.now() - started,
      fromCache,
      coldStart: list.coldStart,
      modelVersion: list.modelVersion,
    });
    return {
      requestId: randomUUID(),
      items: list.items,
      modelVersion: list.modelVersion,
      experimentVariant: list.experimentVariant,
      generatedAt: new Date(list.generatedAt),
      fromCache,
      coldStart: list.coldStart,
    };
  }

  /** Trending scores, or none (zeros) when they cannot be read: trending never fails a request. */
  private async trendingScores(catalog: CatalogSnapshot): Promise<Float32Array> {
    try {
      return await this.trending.scores(catalog);
    } catch {
      return new Float32Array(catalog.ids.size);
    }
  }

  private validateRequest(request: RecommendRequest): void {
    if (typeof request.userId !== 'string' || request.userId.length === 0 || request.userId.length > 256)
      throw new ServingError(
        ServingErrorCode.INVALID_INPUT,
        'userId must be a non-empty string of at most 256 characters',
      );
    this.validateLimit(request.limit);
    const placement = request.context?.placement;
    if (placement !== undefined && !isPlacement(placement))
      throw new ServingError(ServingErrorCode.INVALID_INPUT, `unknown placement "${String(placement)}"`);
    const hour = request.context?.hour;
    if (hour !== undefined && !(Number.isInteger(hour) && hour >= 0 && hour <= 23))
      throw new ServingError(ServingErrorCode.INVALID_INPUT, `hour must be an integer 0..23, got ${hour}`);
    const weekday = request.context?.weekday;
    if (weekday !== undefined && !(Number.isInteger(weekday) && weekday >= 0 && weekday <= 6))
      throw new ServingError(
        ServingErrorCode.INVALID_INPUT,
        `weekday must be an integer 0..6, got ${weekday}`,
      );
    const tier = request.filter?.maxPriceTier;
    if (tier !== undefined && !Number.isFinite(tier))
      throw new ServingError(ServingErrorCode.INVALID_INPUT, `maxPriceTier must be a number, got ${tier}`);
  }

  private validateLimit(limit: number): void {
    if (!Number.isInteger(limit) || limit < 1 || limit > this.opts.maxLimit)
      throw new ServingError(
        ServingErrorCode.INVALID_INPUT,
        `limit must be an integer 1..${this.opts.maxLimit}, got ${limit}`,
      );
  }

  private assertOpen(): void {
    if (this.closed) throw new ServingError(ServingErrorCode.UNAVAILABLE, 'the inference engine is closed');
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
