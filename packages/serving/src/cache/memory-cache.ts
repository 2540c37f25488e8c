import { LRUCache } from 'lru-cache';

/** The in-process LRU in front of Redis: bounded entries, each living `ttlMs` at most. */
export class MemoryCache<V extends object> {
  private readonly lru: LRUCache<string, V>;

  constructor(max: number, ttlMs: number) {
    this.lru = new LRUCache<string, V>({ max, ttl: ttlMs, ttlAutopurge: false });
  }

  get(key: string): V | undefined {
    return this.lru.get(key);
  }

  set(key: string, value: V): void {
    this.lru.set(key, value);
  }

  clear(): void {
    this.lru.clear();
  }
}
