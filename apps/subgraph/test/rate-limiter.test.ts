import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createCallerRateLimiter } from '../src/rate-limit/caller-rate-limiter';
import { PointLeases } from '../src/rate-limit/point-leases';
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

  it('refuses a caller over the budget in memory until the window ends, without asking Redis', async () => {
    const limiter = createCallerRateLimiter(redis, { points: 2, windowSeconds: 60, keyPrefix: prefix });
    expect(await limiter.consume('user:30')).toEqual({ allowed: true });
    expect(await limiter.consume('user:30')).toEqual({ allowed: true });
    expect((await limiter.consume('user:30')).allowed).toBe(false);
    // Were Redis asked again, the emptied count would let the caller through.
    await redis.del(`${prefix}:user:30`);
    const again = await limiter.consume('user:30');
    expect(again.allowed).toBe(false);
    expect(again.allowed === false && again.retryAfterSeconds).toBeGreaterThanOrEqual(59);
  });

  it('leases end with their window: the next window starts in Redis again', async () => {
    const limiter = createCallerRateLimiter(redis, { points: 100, windowSeconds: 1, keyPrefix: prefix });
    for (let i = 0; i < 3; i++) expect(await limiter.consume('user:31')).toEqual({ allowed: true });
    // 1 point, then a lease of ⌊99 · 0.05⌋ = 4 points: 5 taken from the shared count for 3 operations.
    expect(await redis.get(`${prefix}:user:31`)).toBe('5');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await limiter.consume('user:31')).toEqual({ allowed: true });
    expect(await redis.get(`${prefix}:user:31`)).toBe('1');
  });
});

describe('PointLeases', () => {
  const options = { fraction: 0.05, max: 50, maxKeys: 1_000 };

  /** A shared in-memory limiter standing in for Redis, counting the calls that would be round trips. */
  function sharedLimiter(points: number): { limiter: RateLimiterMemory; calls: () => number } {
    const limiter = new RateLimiterMemory({ points, duration: 60 });
    const consume = limiter.consume.bind(limiter);
    let calls = 0;
    limiter.consume = (key, n) => {
      calls++;
      return consume(key, n);
    };
    return { limiter, calls: () => calls };
  }

  it('lets one replica spend its budget with a fraction of the round trips, and not one point more', async () => {
    const shared = sharedLimiter(1_000);
    const leases = new PointLeases(shared.limiter, { ...options, points: 1_000 });
    let allowed = 0;
    for (let i = 0; i < 1_000; i++) if ((await leases.consume('k')).allowed) allowed++;
    expect(allowed).toBe(1_000);
    expect(shared.calls()).toBeLessThan(250);
    expect((await leases.consume('k')).allowed).toBe(false);
  });

  it('never allows more than the budget across replicas, and uses all of it while both keep asking', async () => {
    const shared = sharedLimiter(100);
    const a = new PointLeases(shared.limiter, { ...options, points: 100 });
    const b = new PointLeases(shared.limiter, { ...options, points: 100 });
    let allowed = 0;
    let firstRefused = -1;
    for (let i = 0; i < 200; i++) {
      const decision = await (i % 2 === 0 ? a : b).consume('k');
      if (decision.allowed) allowed++;
      else if (firstRefused < 0) firstRefused = i;
    }
    expect(allowed).toBe(100);
    expect(firstRefused).toBe(100);
  });

  it('loses at most the unused leases when a caller moves to another replica', async () => {
    const shared = sharedLimiter(100);
    const a = new PointLeases(shared.limiter, { ...options, points: 100 });
    const b = new PointLeases(shared.limiter, { ...options, points: 100 });
    // Two operations on A: 1 point, then a lease of ⌊99 · 0.05⌋ = 4 (3 of them left unused on A).
    for (let i = 0; i < 2; i++) expect((await a.consume('k')).allowed).toBe(true);
    let allowedOnB = 0;
    while ((await b.consume('k')).allowed) allowedOnB++;
    expect(allowedOnB).toBe(95);
    // A still spends what it leased: 100 in total, never more.
    let allowedOnA = 0;
    while ((await a.consume('k')).allowed) allowedOnA++;
    expect(allowedOnA).toBe(3);
  });
});
