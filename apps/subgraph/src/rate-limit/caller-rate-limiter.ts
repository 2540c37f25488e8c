import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Caller } from '../auth/caller';
import { PointLeases } from './point-leases';

export interface RateLimitOptions {
  /** Operations one caller may run per window. */
  points: number;
  windowSeconds: number;
  /** The Redis key prefix (one per deployment; tests use their own). */
  keyPrefix?: string;
  /**
   * Share of a caller's remaining budget one replica may lease from Redis at once (point-leases.ts):
   * a caller spread over R replicas gets at least points · (1 − R · leaseFraction). @defaultValue 0.05
   */
  leaseFraction?: number;
  /** The largest lease, in points. @defaultValue 50 */
  maxLease?: number;
}

/** Callers whose leased points are kept in process. */
const MAX_LEASED_KEYS = 100_000;

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

function refused(msBeforeNext: number): RateLimitDecision {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
}

export interface CallerRateLimiter {
  consume(key: string): Promise<RateLimitDecision>;
}

/**
 * The bucket a caller's operations count against: the user, the user a service acts for, or the address.
 * null for a trusted service acting for no user: one shared bucket for all internal traffic would throttle
 * every internal caller at once, and the service token already vouches for it.
 */
export function rateLimitKey(caller: Caller, clientIp: string): string | null {
  switch (caller.kind) {
    case 'user':
      return `user:${caller.userId}`;
    case 'service':
      return caller.actingFor === null ? null : `service-for:${caller.actingFor}`;
    case 'anonymous':
      return `ip:${clientIp}`;
  }
}

/**
 * A fixed-window limiter per caller, shared by every replica through Redis, whose points each replica
 * takes in small leases (PointLeases: most operations need no Redis round trip; never more than `points`
 * per window in total). When Redis is not ready the in-memory insurance limiter answers at once (each
 * replica then counts on its own), so an outage of Redis neither blocks nor unthrottles requests.
 * Without a Redis client it is in-memory only.
 */
export function createCallerRateLimiter(redis: Redis | null, options: RateLimitOptions): CallerRateLimiter {
  const keyPrefix = options.keyPrefix ?? 'recsys:subgraph:rl';
  const memory = new RateLimiterMemory({
    points: options.points,
    duration: options.windowSeconds,
    keyPrefix,
  });
  if (redis === null) {
    return {
      async consume(key) {
        try {
          await memory.consume(key, 1);
          return { allowed: true };
        } catch (rejection) {
          if (rejection instanceof RateLimiterRes) return refused(rejection.msBeforeNext);
          throw rejection;
        }
      },
    };
  }
  const shared: RateLimiterAbstract = new RateLimiterRedis({
    storeClient: redis,
    points: options.points,
    duration: options.windowSeconds,
    keyPrefix,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
    // A caller over the budget is refused in memory until the window ends: no more Redis calls for it.
    inMemoryBlockOnConsumed: options.points + 1,
  });
  const leases = new PointLeases(shared, {
    points: options.points,
    fraction: options.leaseFraction ?? 0.05,
    max: options.maxLease ?? 50,
    maxKeys: MAX_LEASED_KEYS,
  });
  return {
    async consume(key) {
      const decision = await leases.consume(key);
      return decision.allowed ? decision : refused(decision.msBeforeNext);
    },
  };
}
