import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import {
  createInferenceEngine,
  directoryModelSource,
  type EngineEvent,
  type EngineOptions,
  type ModelRef,
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
    // Another bucket (hour 12-15), device, filter or limit is another entry.
    for (const request of [
      { userId: '3', limit: 10, context: { device: 'mobile' as const, hour: 13 } },
      { userId: '3', limit: 10, context: { device: 'desktop' as const, hour: 9 } },
      {
        userId: '3',
        limit: 10,
        context: { device: 'mobile' as const, hour: 9 },
        filter: { maxPriceTier: 2 },
      },
      { userId: '3', limit: 9, context: { device: 'mobile' as const, hour: 9 } },
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
