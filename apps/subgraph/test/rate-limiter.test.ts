import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createCallerRateLimiter } from '../src/rate-limit/caller-rate-limiter';
import { REDIS_URL, deleteKeys } from './support/engine-fixture';

describe('createCallerRateLimiter', () => {
  const prefix = `test:subgraph:rl:${randomUUID()}`;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    // Until the connection is ready the limiter counts in memory (rejectIfRedisNotReady).
    await redis.ping();
  });

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('shares one count per caller between replicas through Redis', async () => {
    const options = { points: 3, windowSeconds: 60, keyPrefix: prefix };
    const replicaA = createCallerRateLimiter(redis, options);
    const replicaB = createCallerRateLimiter(redis, options);
    expect(await replicaA.consume('user:1')).toEqual({ allowed: true });
    expect(await replicaB.consume('user:1')).toEqual({ allowed: true });
    expect(await replicaA.consume('user:1')).toEqual({ allowed: true });
    const refused = await replicaB.consume('user:1');
    expect(refused.allowed).toBe(false);
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(await replicaB.consume('user:2')).toEqual({ allowed: true });
  });

  it('keeps limiting in memory, without waiting, while Redis is down', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      const limiter = createCallerRateLimiter(down, { points: 2, windowSeconds: 60, keyPrefix: prefix });
      const started = Date.now();
      expect(await limiter.consume('user:9')).toEqual({ allowed: true });
      expect(await limiter.consume('user:9')).toEqual({ allowed: true });
      expect((await limiter.consume('user:9')).allowed).toBe(false);
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      down.disconnect();
    }
  });
});
