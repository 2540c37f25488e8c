import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Caller } from '../auth/caller';

export interface RateLimitOptions {
  /** Operations one caller may run per window. */
  points: number;
  windowSeconds: number;
  /** The Redis key prefix (one per deployment; tests use their own). */
  keyPrefix?: string;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

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
 * A fixed-window limiter per caller, shared by every replica through Redis. When Redis is not ready the
 * in-memory insurance limiter answers at once (each replica then counts on its own), so an outage of
 * Redis neither blocks nor unthrottles requests. Without a Redis client it is in-memory only.
 */
export function createCallerRateLimiter(redis: Redis | null, options: RateLimitOptions): CallerRateLimiter {
  const keyPrefix = options.keyPrefix ?? 'recsys:subgraph:rl';
  const memory = new RateLimiterMemory({
    points: options.points,
    duration: options.windowSeconds,
    keyPrefix,
  });
  const limiter: RateLimiterAbstract =
    redis === null
      ? memory
      : new RateLimiterRedis({
          storeClient: redis,
          points: options.points,
          duration: options.windowSeconds,
          keyPrefix,
          rejectIfRedisNotReady: true,
          insuranceLimiter: memory,
        });
  return {
    async consume(key) {
      try {
        await limiter.consume(key, 1);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        }
        throw rejection;
      }
    },
  };
}
