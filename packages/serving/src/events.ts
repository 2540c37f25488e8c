/**
 * What the engine reports for metrics: the subgraph turns these into Prometheus counters and histograms.
 * Every event also updates the engine's `EngineStats` counters, so a caller that only wants totals
 * reads `engine.stats()` and needs no callback.
 */
export type CacheName = 'prediction' | 'history' | 'generation';
export type CacheLayer = 'memory' | 'redis';

export type EngineEvent =
  | { type: 'cache'; cache: CacheName; layer: CacheLayer; hit: boolean }
  | { type: 'model-swap'; placement: string; from: string | null; to: string }
  | { type: 'model-load-failed'; placement: string; error: string }
  | { type: 'redis-error'; operation: string; error: string }
  /** An online profile read (found: the user has one) or update (found: Redis took it). */
  | { type: 'profile'; operation: 'read' | 'record'; found: boolean }
  | {
      type: 'recommend';
      placement: string;
      durationMs: number;
      fromCache: boolean;
      coldStart: boolean;
      modelVersion: string;
    };

export interface EngineStats {
  recommendations: number;
  coldStarts: number;
  /**
   * Hits and misses per cache and layer, e.g. `prediction.memory`. `generation.memory` counts user
   * generations known in process (hit) or not (miss); `generation.redis` hits are generations read from
   * Redis (a miss there: Redis unavailable).
   */
  cacheHits: Record<`${CacheName}.${CacheLayer}`, number>;
  cacheMisses: Record<`${CacheName}.${CacheLayer}`, number>;
  modelSwaps: number;
  modelLoadFailures: number;
  redisErrors: number;
  /** Online profiles read by uncached lists, of them found, and updates Redis took. */
  profileReads: number;
  profilesFound: number;
  profileUpdates: number;
}

export function emptyStats(): EngineStats {
  const zero = (): EngineStats['cacheHits'] => ({
    'prediction.memory': 0,
    'prediction.redis': 0,
    'history.memory': 0,
    'history.redis': 0,
    'generation.memory': 0,
    'generation.redis': 0,
  });
  return {
    recommendations: 0,
    coldStarts: 0,
    cacheHits: zero(),
    cacheMisses: zero(),
    modelSwaps: 0,
    modelLoadFailures: 0,
    redisErrors: 0,
    profileReads: 0,
    profilesFound: 0,
    profileUpdates: 0,
  };
}

/** Counts events into `stats` and forwards them to the caller's hook (whose errors are swallowed). */
export class EventSink {
  readonly stats: EngineStats = emptyStats();

  constructor(private readonly hook?: (event: EngineEvent) => void) {}

  emit(event: EngineEvent): void {
    const s = this.stats;
    switch (event.type) {
      case 'cache': {
        const key = `${event.cache}.${event.layer}` as const;
        if (event.hit) s.cacheHits[key]++;
        else s.cacheMisses[key]++;
        break;
      }
      case 'model-swap':
        s.modelSwaps++;
        break;
      case 'model-load-failed':
        s.modelLoadFailures++;
        break;
      case 'redis-error':
        s.redisErrors++;
        break;
      case 'profile':
        if (event.operation === 'read') {
          s.profileReads++;
          if (event.found) s.profilesFound++;
        } else if (event.found) s.profileUpdates++;
        break;
      case 'recommend':
        s.recommendations++;
        if (event.coldStart) s.coldStarts++;
        break;
      default:
        assertNever(event);
    }
    if (this.hook) {
      try {
        this.hook(event);
      } catch {
        // A metrics hook must never break a request.
      }
    }
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
