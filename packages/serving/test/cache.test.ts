import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { userKeyPart } from '../src/cache/cache-keys';
import { RedisStore } from '../src/cache/redis-store';
import { UserGenerations } from '../src/cache/user-generation';
import { EventSink } from '../src/events';
import { silentLogger } from '../src/logger';
import {
  createInferenceEngine,
  directoryModelSource,
  type EngineEvent,
  type EngineOptions,
  type ModelRef,
  type RecommendationList,
  type ServingEngine,
} from '../src';
import {
  DATASET,
  keysOf,
  ModelDirs,
  ml100kDatabase,
  REDIS_URL,
  testRedis,
  trainAls,
  type Ml100kDatabase,
  type TestRedis,
} from './support/fixture';

/*
 * Caches and the write path against real PostgreSQL and Redis: prediction and history caches, their
 * invalidation by recordInteraction, idempotent recording, validation, and serving on when Redis goes away.
 */

let data: Ml100kDatabase;
let pool: Pool;
let r: TestRedis;
const dirs = new ModelDirs();
let alsRef: ModelRef;
const engines: ServingEngine[] = [];
const events: EngineEvent[] = [];

async function engineWith(overrides: Partial<EngineOptions> = {}): Promise<ServingEngine> {
  const engine = await createInferenceEngine({
    pool,
    redis: r.redis,
    keyPrefix: r.prefix,
    datasetId: DATASET,
    modelSource: directoryModelSource({ home: alsRef }),
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  engines.push(engine);
  return engine;
}

const key = (): string => `test-${randomUUID()}`;

/** Calls `step` until it returns true, at most `ms` (for what arrives over pub/sub or a reconnection). */
async function until(step: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await step()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

beforeAll(async () => {
  data = await ml100kDatabase();
  pool = data.db.pool;
  r = await testRedis();
  alsRef = await dirs.save(await trainAls(data.dataset), 'als', 'als@1');
}, 120_000);

afterAll(async () => {
  for (const e of engines) await e.close();
  await r?.cleanup();
  await dirs.removeAll();
  await data?.db.drop();
});

describe('prediction cache', () => {
  it('serves the second identical request from cache, on this and on another engine instance', async () => {
    const a = await engineWith();
    const b = await engineWith();
    const first = await a.recommend({ userId: '3', limit: 10, context: { device: 'mobile', hour: 9 } });
    expect(first.fromCache).toBe(false);
    const second = await a.recommend({ userId: '3', limit: 10, context: { device: 'mobile', hour: 10 } });
    expect(second.fromCache).toBe(true);
    expect(second.items).toEqual(first.items);
    expect(second.requestId).not.toBe(first.requestId);
    expect(second.generatedAt).toEqual(first.generatedAt);
    // Another instance shares Redis (its in-process LRU is empty).
    const other = await b.recommend({ userId: '3', limit: 10, context: { device: 'mobile', hour: 11 } });
    expect(other.fromCache).toBe(true);
    expect(b.stats().cacheHits['prediction.redis']).toBe(1);
    expect(a.stats().cacheHits['prediction.memory']).toBe(1);
    // Device and time change nothing in the ranking: the same entry. A filter, the limit or the
    // placement is another entry.
    for (const request of [
      { userId: '3', limit: 10, context: { device: 'mobile' as const, hour: 13 } },
      { userId: '3', limit: 10, context: { device: 'desktop' as const, hour: 9, weekday: 0 } },
    ]) {
      const again = await a.recommend(request);
      expect(again.fromCache).toBe(true);
      expect(again.items).toEqual(first.items);
    }
    for (const request of [
      {
        userId: '3',
        limit: 10,
        context: { device: 'mobile' as const, hour: 9 },
        filter: { maxPriceTier: 2 },
      },
      { userId: '3', limit: 9, context: { device: 'mobile' as const, hour: 9 } },
      { userId: '3', limit: 10, context: { placement: 'search' as const } },
    ])
      expect((await a.recommend(request)).fromCache).toBe(false);
  });

  it('keys carry the user id verbatim, or its hash when long or unusual, never another user', async () => {
    const a = await engineWith();
    const long = `user-${'x'.repeat(100)}`;
    await pool.query(`INSERT INTO "User" ("datasetId", "id") VALUES ($1, $2), ($1, $3)`, [
      DATASET,
      long,
      'a:b',
    ]);
    await a.recommend({ userId: '42', limit: 5 });
    await a.recommend({ userId: long, limit: 5 });
    await a.recommend({ userId: 'a:b', limit: 5 });
    const keys = await keysOf(r.redis, `${r.prefix}pred:`);
    expect(keys.some((k) => k.startsWith(`${r.prefix}pred:42:`))).toBe(true);
    expect(keys.some((k) => k.includes(long))).toBe(false);
    expect(keys.some((k) => k.includes('a:b'))).toBe(false);
    expect(keys.filter((k) => k.startsWith(`${r.prefix}pred:h~`)).length).toBe(2);
    // A new user's list is never another's: each gets their own computation first.
    const x = await a.recommend({ userId: 'fresh-1', limit: 5 });
    const y = await a.recommend({ userId: 'fresh-2', limit: 5 });
    expect(x.fromCache).toBe(false);
    expect(y.fromCache).toBe(false);
  });
});

describe('recordInteraction', () => {
  it('invalidates the user (on every instance) and the used service is excluded next time', async () => {
    const a = await engineWith();
    const b = await engineWith();
    const before = await a.recommend({ userId: '5', limit: 10 });
    expect((await b.recommend({ userId: '5', limit: 10 })).fromCache).toBe(true);
    const target = before.items[0].serviceId;
    const result = await a.recordInteraction({
      userId: '5',
      serviceId: target,
      type: 'API_CALL',
      value: 3,
      dwellMs: 1200,
      context: { device: 'api', placement: 'home', time: new Date('2026-01-02T03:04:05Z') },
      requestId: before.requestId,
      idempotencyKey: key(),
    });
    expect(result.stored).toBe(true);
    // The other instance's next answer is computed afresh; this one then finds that fresh list in Redis.
    const onB = await b.recommend({ userId: '5', limit: 10 });
    expect(onB.fromCache).toBe(false);
    expect(onB.items.map((i) => i.serviceId)).not.toContain(target);
    const onA = await a.recommend({ userId: '5', limit: 10 });
    expect(onA.items).toEqual(onB.items);
    expect(onA.generatedAt).toEqual(onB.generatedAt);
    const row = await pool.query<{
      context: { device: string; time: string };
      dwellMs: number;
      requestId: string;
    }>(`SELECT "context", "dwellMs", "requestId" FROM "Interaction" WHERE "id" = $1`, [result.interactionId]);
    expect(row.rows[0]).toEqual({
      context: { device: 'api', placement: 'home', time: '2026-01-02T03:04:05.000Z' },
      dwellMs: 1200,
      requestId: before.requestId,
    });
  });

  it('stores a replayed idempotency key once', async () => {
    const a = await engineWith();
    const input = { userId: '6', serviceId: '1', type: 'CLICK' as const, idempotencyKey: key() };
    const first = await a.recordInteraction(input);
    const again = await a.recordInteraction(input);
    expect(first.stored).toBe(true);
    expect(again).toEqual({ stored: false, interactionId: first.interactionId });
    const count = await pool.query(
      `SELECT 1 FROM "Interaction" WHERE "datasetId" = $1 AND "idempotencyKey" = $2`,
      [DATASET, input.idempotencyKey],
    );
    expect(count.rowCount).toBe(1);
  });

  it('creates a bare user for an unknown one, whose next list is anchored on what they used', async () => {
    const a = await engineWith();
    const userId = `new-${randomUUID()}`;
    expect((await a.recommend({ userId, limit: 5 })).coldStart).toBe(true);
    await a.recordInteraction({ userId, serviceId: '50', type: 'SUBSCRIBE', idempotencyKey: key() });
    const users = await pool.query(`SELECT "role" FROM "User" WHERE "datasetId" = $1 AND "id" = $2`, [
      DATASET,
      userId,
    ]);
    expect(users.rows).toEqual([{ role: 'USER' }]);
    const list = await a.recommend({ userId, limit: 10 });
    expect(list.fromCache).toBe(false);
    expect(list.coldStart).toBe(false);
    expect(list.items.map((i) => i.serviceId)).not.toContain('50');
    expect(list.items.some((i) => i.reasons[0] === 'Because you used Star Wars (1977)')).toBe(true);
  });

  it('rejects unknown services and bad values with codes, storing nothing', async () => {
    const a = await engineWith();
    const base = { userId: '7', serviceId: '1', idempotencyKey: key() };
    await expect(
      a.recordInteraction({ ...base, serviceId: 'no-such-service', type: 'CLICK' }),
    ).rejects.toMatchObject({
      code: 'UNKNOWN_SERVICE',
    });
    for (const bad of [
      { ...base, type: 'RATING' as const },
      { ...base, type: 'RATING' as const, value: 7 },
      { ...base, type: 'VIEW' as const, dwellMs: -1 },
      { ...base, type: 'VIEW' as const, dwellMs: 1.5 },
      { ...base, type: 'VIEW' as const, value: Number.NaN },
      { ...base, type: 'VIEW' as const, idempotencyKey: '' },
      { ...base, type: 'NOPE' as 'VIEW' },
    ])
      await expect(a.recordInteraction(bad)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const stored = await pool.query(`SELECT 1 FROM "Interaction" WHERE "idempotencyKey" = $1`, [
      base.idempotencyKey,
    ]);
    expect(stored.rowCount).toBe(0);
    expect((await a.recordInteraction({ ...base, type: 'RATING', value: 4.5 })).stored).toBe(true);
  });
});

describe('generations remembered in process', () => {
  // A TTL far beyond the test: only a bump heard over pub/sub (or a reset) can make an engine forget.
  const remembered = { generationMemoryTtlMs: 600_000 };

  it('answer repeated requests without asking Redis, and hear a bump made on another engine', async () => {
    const prefix = `${r.prefix}replicas:`;
    const a = await engineWith({ keyPrefix: prefix, cache: remembered });
    const b = await engineWith({ keyPrefix: prefix, cache: remembered });
    // Once B's subscription is confirmed, its second request finds the generation in process.
    expect(
      await until(async () => {
        await b.recommend({ userId: '12', limit: 10 });
        return b.stats().cacheHits['generation.memory'] > 0;
      }),
    ).toBe(true);
    const readsBefore = b.stats().cacheHits['generation.redis'];
    const stale = await b.recommend({ userId: '12', limit: 10 });
    expect(stale.fromCache).toBe(true);
    expect(b.stats().cacheHits['generation.redis']).toBe(readsBefore); // no Redis read for it
    const target = stale.items[0].serviceId;

    await a.recordInteraction({ userId: '12', serviceId: target, type: 'CLICK', idempotencyKey: key() });
    let fresh: RecommendationList | null = null;
    expect(
      await until(async () => {
        const list = await b.recommend({ userId: '12', limit: 10 });
        if (list.fromCache) return false;
        fresh = list;
        return true;
      }),
    ).toBe(true);
    expect(fresh!.items.map((i) => i.serviceId)).not.toContain(target);
    // B read the new generation from Redis after hearing the bump.
    expect(b.stats().cacheHits['generation.redis']).toBeGreaterThan(readsBefore);
  });

  it('are all forgotten when the subscription drops, so a bump missed meanwhile is not', async () => {
    const prefix = `${r.prefix}dropped:`;
    const name = `test-b-${randomUUID()}`;
    // Reconnects after 300 ms: the bump below is published while B's subscriber is away.
    const redisB = new Redis(REDIS_URL, {
      maxRetriesPerRequest: 1,
      retryStrategy: () => 300,
      connectionName: name,
    });
    try {
      const a = await engineWith({ keyPrefix: prefix, cache: remembered });
      const b = await engineWith({ redis: redisB, keyPrefix: prefix, cache: remembered });
      expect(
        await until(async () => {
          await b.recommend({ userId: '13', limit: 10 });
          return b.stats().cacheHits['generation.memory'] > 0;
        }),
      ).toBe(true);
      const stale = await b.recommend({ userId: '13', limit: 10 });
      expect(stale.fromCache).toBe(true);
      const target = stale.items[0].serviceId;

      const clients = (await r.redis.client('LIST')) as string;
      const subscriber = clients.split('\n').find((line) => line.includes(`name=${name}:gen-bumps `));
      expect(subscriber).toBeDefined();
      const id = /\bid=(\d+)/.exec(subscriber!)![1];
      await r.redis.client('KILL', 'ID', id);
      await a.recordInteraction({ userId: '13', serviceId: target, type: 'CLICK', idempotencyKey: key() });

      // Wait until B has resubscribed and remembers generations again...
      const hits = b.stats().cacheHits['generation.memory'];
      expect(
        await until(async () => {
          await b.recommend({ userId: '14', limit: 5 });
          await b.recommend({ userId: '14', limit: 5 });
          return b.stats().cacheHits['generation.memory'] > hits;
        }),
      ).toBe(true);
      // ...then its answer for 13 is computed for the new generation, not remembered from before.
      const after = await b.recommend({ userId: '13', limit: 10 });
      expect(after.items.map((i) => i.serviceId)).not.toContain(target);
    } finally {
      redisB.disconnect();
    }
  });

  it('never remember a read that raced a bump', async () => {
    const sink = new EventSink();
    const store = new RedisStore(r.redis, 1_000, sink, silentLogger);
    const prefix = `${r.prefix}race:`;
    const generations = new UserGenerations(store, sink, prefix, 60, `${prefix}gen-bumps`, {
      max: 10,
      ttlMs: 600_000,
    });
    generations.listen({ listening: true });
    const reads = (): number => sink.stats.cacheHits['generation.redis'];

    const inFlight = generations.get('u-1');
    generations.forget(userKeyPart('u-1')); // a bump heard while the read is on its way
    expect(await inFlight).toBe(0);
    expect(await generations.get('u-1')).toBe(0); // read again: the raced value was not kept
    expect(reads()).toBe(2);
    expect(await generations.get('u-1')).toBe(0); // now remembered
    expect(reads()).toBe(2);
    expect(sink.stats.cacheHits['generation.memory']).toBe(1);

    expect(await generations.bump('u-1')).toBe(true);
    expect(await generations.get('u-1')).toBe(1); // the bumping engine forgets at once
    expect(reads()).toBe(3);
    // Without a confirmed subscription every request reads Redis.
    generations.listen({ listening: false });
    await generations.get('u-1');
    await generations.get('u-1');
    expect(reads()).toBe(5);
  });
});

describe('prediction cache off', () => {
  it('computes every list but still remembers histories and generations', async () => {
    const a = await engineWith({ cache: { predictionCache: false } });
    const first = await a.recommend({ userId: '15', limit: 10 });
    const second = await a.recommend({ userId: '15', limit: 10 });
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(false);
    expect(second.items).toEqual(first.items);
    expect(a.stats().cacheHits['history.memory']).toBe(1);
    expect(a.stats().cacheHits['prediction.memory'] + a.stats().cacheMisses['prediction.memory']).toBe(0);
    expect(await keysOf(r.redis, `${r.prefix}pred:15:`)).toEqual([]);
  });
});

describe('without Redis', () => {
  it('keeps answering when Redis disconnects mid-test, uncached, and reports redis: false', async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.ping();
    const a = await engineWith({ redis });
    expect((await a.health()).redis).toBe(true);
    await a.recommend({ userId: '8', limit: 10 });
    expect((await a.recommend({ userId: '8', limit: 10 })).fromCache).toBe(true);

    redis.disconnect();
    const lists = await Promise.all(
      Array.from({ length: 20 }, () => a.recommend({ userId: '8', limit: 10 })),
    );
    for (const list of lists) {
      expect(list.fromCache).toBe(false);
      expect(list.items).toHaveLength(10);
    }
    const health = await a.health();
    expect(health).toEqual({
      database: true,
      redis: false,
      models: expect.objectContaining({ home: 'als@1' }),
    });
    const recorded = await a.recordInteraction({
      userId: '8',
      serviceId: lists[0].items[0].serviceId,
      type: 'CLICK',
      idempotencyKey: key(),
    });
    expect(recorded.stored).toBe(true);
    // Without Redis the history is read from PostgreSQL every time: the click counts at once.
    const after = await a.recommend({ userId: '8', limit: 10 });
    expect(after.items.map((i) => i.serviceId)).not.toContain(lists[0].items[0].serviceId);

    // Back again: the caches resume.
    await redis.connect();
    await a.recommend({ userId: '8', limit: 10 });
    expect((await a.recommend({ userId: '8', limit: 10 })).fromCache).toBe(true);
    expect((await a.health()).redis).toBe(true);
    redis.disconnect();
  });

  it('starts and serves with a client pointed at a closed port', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    dead.on('error', () => undefined);
    try {
      const a = await engineWith({ redis: dead });
      const first = await a.recommend({ userId: '9', limit: 5 });
      const second = await a.recommend({ userId: '9', limit: 5 });
      expect(second.fromCache).toBe(false);
      expect(second.items).toEqual(first.items);
      expect((await a.health()).redis).toBe(false);
    } finally {
      dead.disconnect();
    }
  });

  it('serves with no Redis client at all', async () => {
    const a = await engineWith({ redis: undefined });
    expect((await a.recommend({ userId: '10', limit: 5 })).items).toHaveLength(5);
    expect((await a.recommend({ userId: '10', limit: 5 })).fromCache).toBe(false);
    expect(await a.health()).toMatchObject({ database: true, redis: false });
  });
});
