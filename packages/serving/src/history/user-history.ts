import type { EventSink } from '../events';
import type { Pool } from '../options';
import { historyKey } from '../cache/cache-keys';
import { MemoryCache } from '../cache/memory-cache';
import type { RedisStore } from '../cache/redis-store';

/**
 * What serving knows of a user at request time, read from the event log: distinct services, most recent
 * first. `used` (every type but IMPRESSION and VIEW) is the "already used" set and the "because you used"
 * anchors; `viewed` holds services only viewed, which stay recommendable but anchor "similar to ... you
 * viewed". Impressions are not history.
 */
export interface UserHistory {
  used: string[];
  viewed: string[];
}

const EMPTY: UserHistory = { used: [], viewed: [] };

/**
 * Reads a user's recent history with one indexed query (bounded by `limit` events), behind the feature
 * cache: an in-process LRU, then Redis, both keyed by the user's generation (invalidated by recording).
 */
export class UserHistoryReader {
  private readonly memory: MemoryCache<UserHistory>;

  constructor(
    private readonly pool: Pool,
    private readonly datasetId: string,
    private readonly limit: number,
    private readonly store: RedisStore,
    private readonly sink: EventSink,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
    memoryMax: number,
    memoryTtlMs: number,
  ) {
    this.memory = new MemoryCache(memoryMax, memoryTtlMs);
  }

  /** `generation` null: Redis is unavailable, so read the database and cache nothing. */
  async get(userId: string, generation: number | null): Promise<UserHistory> {
    if (generation === null) return this.query(userId);
    const key = historyKey(this.prefix, userId, generation);
    const local = this.memory.get(key);
    this.sink.emit({ type: 'cache', cache: 'history', layer: 'memory', hit: local !== undefined });
    if (local) return local;
    const text = await this.store.run('history.get', (r) => r.get(key));
    const cached = text ? parseHistory(text) : null;
    this.sink.emit({ type: 'cache', cache: 'history', layer: 'redis', hit: cached !== null });
    if (cached) {
      this.memory.set(key, cached);
      return cached;
    }
    const history = await this.query(userId);
    this.memory.set(key, history);
    void this.store.run('history.set', (r) => r.set(key, JSON.stringify(history), 'EX', this.ttlSeconds));
    return history;
  }

  async query(userId: string): Promise<UserHistory> {
    const res = await this.pool.query<{ serviceId: string; type: string }>(
      `SELECT "serviceId", "type" FROM "Interaction"
        WHERE "datasetId" = $1 AND "userId" = $2 AND "type" <> 'IMPRESSION'
        ORDER BY "occurredAt" DESC, "id" DESC LIMIT $3`,
      [this.datasetId, userId, this.limit],
    );
    if (res.rows.length === 0) return EMPTY;
    const used = new Set<string>();
    const viewed = new Set<string>();
    for (const { serviceId, type } of res.rows) {
      if (type === 'VIEW') viewed.add(serviceId);
      else used.add(serviceId);
    }
    for (const id of used) viewed.delete(id);
    return { used: [...used], viewed: [...viewed] };
  }

  clearMemory(): void {
    this.memory.clear();
  }
}

function parseHistory(text: string): UserHistory | null {
  try {
    const v = JSON.parse(text) as Partial<UserHistory>;
    return Array.isArray(v.used) && Array.isArray(v.viewed) ? { used: v.used, viewed: v.viewed } : null;
  } catch {
    return null;
  }
}
