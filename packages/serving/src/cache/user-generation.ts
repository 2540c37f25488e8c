import { generationKey } from './cache-keys';
import type { RedisStore } from './redis-store';

/**
 * A counter per user that is part of every cached key of that user (predictions and history): one INCR
 * on a new interaction makes all of them unreachable at once, in O(1), on every engine instance.
 */
export class UserGenerations {
  constructor(
    private readonly store: RedisStore,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  /** The user's generation (0 before any interaction was recorded), or null when Redis is unavailable. */
  async get(userId: string): Promise<number | null> {
    const value = await this.store.run('generation.get', (r) => r.get(generationKey(this.prefix, userId)));
    if (value === undefined) return null;
    if (value === null) return 0;
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : null;
  }

  /** Moves the user to a new generation; false when Redis could not be told. */
  async bump(userId: string): Promise<boolean> {
    const key = generationKey(this.prefix, userId);
    const result = await this.store.run('generation.bump', (r) =>
      r.multi().incr(key).expire(key, this.ttlSeconds).exec(),
    );
    return result !== undefined && result !== null && result.every(([error]) => error === null);
  }
}
