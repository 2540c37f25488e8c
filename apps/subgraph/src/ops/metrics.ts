import type { EngineEvent, InferenceEngine, RecommendationList } from '@recsys/serving';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { withTimeout } from './with-timeout';

/** How long a scrape waits for engine.health() before keeping the last known model versions. */
const HEALTH_TIMEOUT_MS = 1_000;
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The Prometheus metrics of one subgraph process, in a registry of its own (no global state). */
export interface SubgraphMetrics {
  registry: Registry;
  /** Seconds per GraphQL operation, by operation name and type. */
  operationDuration: Histogram<'operation' | 'type'>;
  /** Errors returned to clients, by extensions.code. */
  errors: Counter<'code'>;
  /** Records one served list (lists by cache hit and cold start; the hit ratio). */
  observeList(list: RecommendationList): void;
  /** The engine's `onEvent` hook: cache lookups per layer, engine latency, model swaps, Redis errors. */
  onEngineEvent(event: EngineEvent): void;
  /** The engine asked at each scrape for the loaded model versions (recsys_model_version_info). */
  watchEngine(engine: InferenceEngine): void;
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event-loop lag): on by default. */
  defaultMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): SubgraphMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'recsys_subgraph_' });
  const registers = [registry];

  const operationDuration = new Histogram({
    name: 'recsys_graphql_operation_duration_seconds',
    help: 'GraphQL operations by name and type: time from request to response.',
    labelNames: ['operation', 'type'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const errors = new Counter({
    name: 'recsys_graphql_errors_total',
    help: 'GraphQL errors returned to clients, by extensions.code.',
    labelNames: ['code'] as const,
    registers,
  });
  const lists = new Counter({
    name: 'recsys_recommendation_lists_total',
    help: 'Recommendation lists served, by cache hit and cold start.',
    labelNames: ['from_cache', 'cold_start'] as const,
    registers,
  });
  let hits = 0;
  let served = 0;
  new Gauge({
    name: 'recsys_recommendation_cache_hit_ratio',
    help: 'Share of recommendation lists answered from the cache since the process started.',
    registers,
    collect() {
      this.set(served === 0 ? 0 : hits / served);
    },
  });
  const cacheLookups = new Counter({
    name: 'recsys_serving_cache_lookups_total',
    help: "Lookups in the engine's caches, by cache, layer and result.",
    labelNames: ['cache', 'layer', 'result'] as const,
    registers,
  });
  const engineDuration = new Histogram({
    name: 'recsys_serving_recommend_duration_seconds',
    help: 'Time the engine took to answer recommend(), by placement and cache hit.',
    labelNames: ['placement', 'from_cache'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const modelSwaps = new Counter({
    name: 'recsys_model_swaps_total',
    help: 'Model versions loaded in place of another, by placement.',
    labelNames: ['placement'] as const,
    registers,
  });
  const modelLoadFailures = new Counter({
    name: 'recsys_model_load_failures_total',
    help: 'Model versions that failed to load, by placement.',
    labelNames: ['placement'] as const,
    registers,
  });
  const redisErrors = new Counter({
    name: 'recsys_serving_redis_errors_total',
    help: 'Redis commands of the engine that failed or timed out, by operation.',
    labelNames: ['operation'] as const,
    registers,
  });
  let engine: InferenceEngine | null = null;
  new Gauge({
    name: 'recsys_model_version_info',
    help: 'The model version loaded for each placement (value 1), as engine.health() reports it.',
    labelNames: ['placement', 'version'] as const,
    registers,
    async collect() {
      if (engine === null) return;
      try {
        const health = await withTimeout(engine.health(), HEALTH_TIMEOUT_MS, 'engine health');
        this.reset();
        for (const [placement, version] of Object.entries(health.models)) this.set({ placement, version }, 1);
      } catch {
        // Keep the last known versions: a scrape must not fail because the database is slow.
      }
    },
  });

  return {
    registry,
    operationDuration,
    errors,
    observeList(list) {
      served += 1;
      if (list.fromCache) hits += 1;
      lists.inc({ from_cache: String(list.fromCache), cold_start: String(list.coldStart) });
    },
    onEngineEvent(event) {
      switch (event.type) {
        case 'cache':
          cacheLookups.inc({ cache: event.cache, layer: event.layer, result: event.hit ? 'hit' : 'miss' });
          break;
        case 'recommend':
          engineDuration.observe(
            { placement: event.placement, from_cache: String(event.fromCache) },
            event.durationMs / 1000,
          );
          break;
        case 'model-swap':
          modelSwaps.inc({ placement: event.placement });
          break;
        case 'model-load-failed':
          modelLoadFailures.inc({ placement: event.placement });
          break;
        case 'redis-error':
          redisErrors.inc({ operation: event.operation });
          break;
      }
    },
    watchEngine(watched) {
      engine = watched;
    },
  };
}
