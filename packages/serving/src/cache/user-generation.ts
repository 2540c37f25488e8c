import { LRUCache } from 'lru-cache';
import type { EventSink } from '../events';
import { generationKey, userKeyPart } from './cache-keys';
import type { RedisStore } from './redis-store';

/** What the generations need of the bump subscription (GenerationBumps). */
export interface BumpSubscription {
  /** True while every bump since the last reset has been heard. */
  readonly listening: boolean;
}

export interface LocalGenerationOptions {
  /** Users whose generation is remembered in process. */
  max: number;
  /** How long a remembered generation is trusted without asking Redis again (the bound on staleness if a
   * bump announcement were lost without the subscription noticing). */
  ttlMs: number;
}

/**
 * A counter per user that is part of every cached key of that user (predictions and history): one INCR
 * on a new interaction makes all of them unreachable at once, in O(1), on every engine instance.
 *
 * Reading it from Redis on every request was one round trip per request; so the generations read are
 * remembered in process for `ttlMs`, and every bump is announced on a pub/sub channel (in the same MULTI
 * as the INCR) that every engine listens to (`GenerationBumps`): hearing a bump forgets that user's
 * generation, and the next request reads the new one from Redis. The remembered generations are used
 * only while the subscription is confirmed and the Redis client is ready; when the subscription drops or
 * comes back they are all forgotten (bumps may have been missed meanwhile). So a bump on any replica
 * reaches every replica's next request within the pub/sub delivery time (well under a millisecond on
 * one network), and at worst (an announcement lost while the subscription looked healthy) within `ttlMs`.
 */
export class UserGenerations {
  private readonly local: LRUCache<string, { generation: number }> | null;
  /** Reads in flight per user key: concurrent requests share one; a bump or a reset drops it, so that a
   * read that raced a bump is never remembered. */
  private readonly inflight = new Map<string, Promise<number | null>>();
  private bumps: BumpSubscription | null = null;

  constructor(
    private readonly store: RedisStore,
    private readonly sink: EventSink,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
    private readonly channel: string,
    local: LocalGenerationOptions | null,
  ) {
    this.local = local === null ? null : new LRUCache({ max: local.max, ttl: local.ttlMs });
  }

  /** Starts trusting remembered generations while `bumps` is listening. */
  listen(bumps: BumpSubscription): void {
    this.bumps = bumps;
  }

  /** The user's generation (0 before any interaction was recorded), or null when Redis is unavailable. */
  get(userId: string): Promise<number | null> {
    const userKey = userKeyPart(userId);
    if (!this.trusted()) return this.read(userKey);
    const known = this.local?.get(userKey);
    this.sink.emit({ type: 'cache', cache: 'generation', layer: 'memory', hit: known !== undefined });
    if (known !== undefined) return Promise.resolve(known.generation);
    let pending = this.inflight.get(userKey);
    if (pending === undefined) {
      const read = this.read(userKey).then((generation) => {
        if (this.inflight.get(userKey) === read) {
          this.inflight.delete(userKey);
          if (generation !== null && this.trusted()) this.local?.set(userKey, { generation });
        }
        return generation;
      });
      pending = read;
      this.inflight.set(userKey, pending);
    }
    return pending;
  }

  /** Moves the user to a new generation and announces it to every engine; false when Redis could not be told. */
  async bump(userId: string): Promise<boolean> {
    const userKey = userKeyPart(userId);
    const key = generationKey(this.prefix, userKey);
    this.forget(userKey);
    const result = await this.store.run('generation.bump', (r) =>
      r.multi().incr(key).expire(key, this.ttlSeconds).publish(this.channel, userKey).exec(),
    );
    // Forget again: a read that started while the INCR was in flight may have seen the old value.
    this.forget(userKey);
    return result !== undefined && result !== null && result.every(([error]) => error === null);
  }

  /** A bump was announced (by any engine): the next request reads the user's generation from Redis. */
  forget(userKey: string): void {
    this.local?.delete(userKey);
    this.inflight.delete(userKey);
  }

  /** Forgets every remembered generation (the subscription dropped or came back). */
  reset(): void {
    this.local?.clear();
    this.inflight.clear();
  }

  private trusted(): boolean {
    return this.local !== null && this.bumps !== null && this.bumps.listening && this.store.available;
  }

  private async read(userKey: string): Promise<number | null> {
    const value = await this.store.run('generation.get', (r) => r.get(generationKey(this.prefix, userKey)));
    this.sink.emit({ type: 'cache', cache: 'generation', layer: 'redis', hit: value !== undefined });
    if (value === undefined) return null;
    if (value === null) return 0;
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : null;
  }
}
