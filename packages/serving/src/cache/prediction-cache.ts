import type { EventSink } from '../events';
import type { Recommendation } from '../contract';
import { MemoryCache } from './memory-cache';
import type { RedisStore } from './redis-store';

/** What is cached of a list: everything but the request id and the cache flag. */
export interface CachedList {
  items: Recommendation[];
  modelVersion: string;
  experimentVariant: string | null;
  /** ISO time of the computation. */
  generatedAt: string;
  coldStart: boolean;
}

/**
 * Recommendation lists by prediction key (cache-keys.ts): an in-process LRU with a short TTL in front of
 * Redis with a longer one. Keys carry the user's generation, so invalidation needs no deletes here.
 */
export class PredictionCache {
  private readonly memory: MemoryCache<CachedList>;

  constructor(
    private readonly store: RedisStore,
    private readonly sink: EventSink,
    private readonly ttlSeconds: number,
    memoryMax: number,
    memoryTtlMs: number,
  ) {
    this.memory = new MemoryCache(memoryMax, memoryTtlMs);
  }

  async get(key: string): Promise<CachedList | null> {
    const local = this.memory.get(key);
    this.sink.emit({ type: 'cache', cache: 'prediction', layer: 'memory', hit: local !== undefined });
    if (local) return local;
    const text = await this.store.run('prediction.get', (r) => r.get(key));
    const list = text ? parseList(text) : null;
    this.sink.emit({ type: 'cache', cache: 'prediction', layer: 'redis', hit: list !== null });
    if (list) this.memory.set(key, list);
    return list;
  }

  /** Stores in both layers; the Redis write is not awaited by the request. */
  set(key: string, list: CachedList): Promise<void> {
    this.memory.set(key, list);
    return this.store
      .run('prediction.set', (r) => r.set(key, JSON.stringify(list), 'EX', this.ttlSeconds))
      .then(() => undefined);
  }

  clearMemory(): void {
    this.memory.clear();
  }
}

function parseList(text: string): CachedList | null {
  try {
    const v = JSON.parse(text) as Partial<CachedList>;
    if (!Array.isArray(v.items) || typeof v.modelVersion !== 'string' || typeof v.generatedAt !== 'string')
      return null;
    return v as CachedList;
  } catch {
    return null;
  }
}
