import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import {
  createInferenceEngine,
  directoryModelSource,
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
 * The online user profile (@recsys/personalization) wired into the engine, against real PostgreSQL and Redis:
 * recordInteraction updates it, the next (uncached) list uses it, a cached list does not read it, and Redis
 * going away fails nothing.
 */

let data: Ml100kDatabase;
let pool: Pool;
let r: TestRedis;
const dirs = new ModelDirs();
let alsRef: ModelRef;
const engines: ServingEngine[] = [];

async function engineWith(overrides: Partial<EngineOptions> = {}): Promise<ServingEngine> {
  const engine = await createInferenceEngine({
    pool,
    redis: r.redis,
    keyPrefix: r.prefix,
    datasetId: DATASET,
    modelSource: directoryModelSource({ home: alsRef }),
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

/** The category names of a service, as the catalog has them. */
function categoriesOf(serviceId: string): string[] {
  const side = data.dataset.itemSide!;
  const i = data.dataset.items.indexOf(serviceId)!;
  const { offsets, values, vocab } = side.categories;
  return Array.from(values.subarray(offsets[i], offsets[i + 1]), (c) => vocab.idAt(c));
}

const countIn = (list: RecommendationList, category: string): number =>
  list.items.filter((item) => categoriesOf(item.serviceId).includes(category)).length;

/** The most popular services of `category` the user has never rated, most popular first. */
async function unusedServicesOf(userId: string, category: string, n: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT i."serviceId" AS id, COUNT(*) AS n FROM "Interaction" i
     WHERE i."datasetId" = $1 AND i."serviceId" NOT IN
       (SELECT "serviceId" FROM "Interaction" WHERE "datasetId" = $1 AND "userId" = $2)
     GROUP BY i."serviceId" ORDER BY n DESC, id LIMIT 400`,
    [DATASET, userId],
  );
  return rows
    .map((row) => row.id)
    .filter((id) => categoriesOf(id).includes(category))
    .slice(0, n);
}

describe('online profile', () => {
  it('is updated by recordInteraction and ranks more of its recent category in the next list', async () => {
    const userId = '1';
    const category = 'Horror';
    const a = await engineWith();
    // The same engine without profiles: same history, same model, so any difference is the profile's.
    const plain = await engineWith({
      personalization: { profiles: false },
      cache: { predictionCache: false },
    });
    const before = await a.recommend({ userId, limit: 20 });
    expect(before.modelVersion).toBe('als@1');
    expect(countIn(before, category)).toBe(1);
    expect(a.stats()).toMatchObject({ profileReads: 1, profilesFound: 0 });

    const clicks = await unusedServicesOf(userId, category, 6);
    expect(clicks).toHaveLength(6);
    for (const serviceId of clicks)
      expect(
        (await a.recordInteraction({ userId, serviceId, type: 'CLICK', idempotencyKey: key() })).stored,
      ).toBe(true);
    expect(a.stats().profileUpdates).toBe(6);
    const stored = await r.redis.hgetall(`${r.prefix}profile:${userId}`);
    expect(stored.n).toBe('6');
    // Horror is the heaviest category: every click counts for it (some of the services have others too).
    const weights = Object.entries(stored).filter(([field]) => field.startsWith('c:'));
    expect(weights.sort((x, y) => Number(y[1]) - Number(x[1]))[0][0]).toBe(`c:${category}`);

    const after = await a.recommend({ userId, limit: 20 });
    const withoutProfile = await plain.recommend({ userId, limit: 20 });
    expect(after.fromCache).toBe(false);
    expect(a.stats()).toMatchObject({ profileReads: 2, profilesFound: 1 });
    expect(plain.stats().profileReads).toBe(0);
    // ML-100K, ALS seed 42: one Horror film in the top 20 before the clicks and without the profile,
    // two with it (MMR still spreads the list over genres).
    expect(countIn(withoutProfile, category)).toBe(1);
    expect(countIn(after, category)).toBe(2);
    expect(countIn(after, category)).toBeGreaterThan(countIn(before, category));
    expect(countIn(after, category)).toBeGreaterThan(countIn(withoutProfile, category));
    for (const id of clicks) expect(after.items.map((i) => i.serviceId)).not.toContain(id);
  });

  it('costs no Redis read when the list comes from the prediction cache', async () => {
    const a = await engineWith();
    const first = await a.recommend({ userId: '2', limit: 10 });
    const reads = a.stats().profileReads;
    expect(reads).toBe(1);
    const second = await a.recommend({ userId: '2', limit: 10 });
    expect(second.fromCache).toBe(true);
    expect(second.items).toEqual(first.items);
    expect(a.stats().profileReads).toBe(reads);
  });

  it('never fails a request or a recording when Redis is gone', async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.ping();
    const a = await engineWith({ redis });
    const userId = '3';
    await a.recommend({ userId, limit: 10 });
    redis.disconnect();
    const serviceId = (await unusedServicesOf(userId, 'Comedy', 1))[0];
    const recorded = await a.recordInteraction({ userId, serviceId, type: 'CLICK', idempotencyKey: key() });
    expect(recorded.stored).toBe(true);
    const list = await a.recommend({ userId, limit: 10 });
    expect(list.items).toHaveLength(10);
    expect(list.items.map((i) => i.serviceId)).not.toContain(serviceId);
    expect(a.stats()).toMatchObject({ profileReads: 2, profilesFound: 0, profileUpdates: 0 });
    expect(await keysOf(r.redis, `${r.prefix}profile:${userId}`)).toEqual([]);

    // No Redis client at all: no profiles, and nothing else changes.
    const bare = await engineWith({ redis: undefined });
    expect((await bare.recommend({ userId, limit: 10 })).items).toHaveLength(10);
    await bare.recordInteraction({ userId, serviceId: '1', type: 'CLICK', idempotencyKey: key() });
    expect(bare.stats()).toMatchObject({ profileReads: 0, profileUpdates: 0 });
  });

  it('rejects a personalization option that is not a boolean', async () => {
    await expect(engineWith({ personalization: { profiles: 'yes' as unknown as boolean } })).rejects.toThrow(
      'serving options: personalization.profiles must be a boolean, got yes',
    );
  });
});
