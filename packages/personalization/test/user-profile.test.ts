import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { buildDatasetFromRows, Rng, syntheticMarketplace } from '@recsys/data';
import { DEFAULT_TYPE_WEIGHTS, InteractionWeighting, timeDecay } from '@recsys/features';
import {
  catalogFromDataset,
  categoryNamesOf,
  PersonalizationErrorCode,
  profileBoosts,
  profilePriceSensitivity,
  serviceFacts,
  UserProfileStore,
  type CatalogView,
  type ProfileEvent,
} from '../src';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DAY = 86_400;
const prefix = `recsys:test:profile:${randomUUID()}:`;
const clients: Redis[] = [];
let redis: Redis;
let store: UserProfileStore;
let catalog: CatalogView;

function client(): Redis {
  const c = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  clients.push(c);
  return c;
}

/** A service of the catalog in `category` (its first category), the k-th one found. */
function serviceIn(category: string, k = 0): string {
  let seen = 0;
  for (let i = 0; i < catalog.ids.size; i++)
    if (categoryNamesOf(catalog.side, i)[0] === category && seen++ === k) return catalog.ids.idAt(i);
  throw new Error(`no service ${k} in ${category}`);
}

function event(
  userId: string,
  serviceId: string,
  type: ProfileEvent['type'],
  at: Date,
  extra = {},
): ProfileEvent {
  const facts = serviceFacts(catalog, serviceId);
  if (facts === null) throw new Error(`unknown service ${serviceId}`);
  return { userId, serviceId, type, occurredAt: at, ...facts, ...extra };
}

beforeAll(async () => {
  const source = syntheticMarketplace({ seed: 11, users: 50, services: 120, interactions: 0 });
  catalog = catalogFromDataset(await buildDatasetFromRows('synthetic', source.rows()));
  redis = client();
  store = new UserProfileStore(redis, { keyPrefix: prefix, halfLifeDays: 3 });
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await Promise.all(clients.map((c) => c.quit()));
});

describe('online user profile in Redis', () => {
  it('after clicks on one category the adjustment favours that category', async () => {
    const now = new Date('2025-03-01T12:00:00Z');
    const minutes = (m: number): Date => new Date(now.getTime() - m * 60_000);
    for (let k = 0; k < 3; k++)
      await store.record(event('u-code', serviceIn('code', k), 'CLICK', minutes(30 - k)));
    await store.record(event('u-code', serviceIn('image'), 'VIEW', minutes(20)));

    const profile = await store.get('u-code', { now });
    expect(profile).not.toBeNull();
    if (profile === null) return;
    expect(profile.categories[0].category).toBe('code');
    expect(profile.events).toBe(4);
    expect(profile.recentServices[0]).toBe(serviceIn('image'));

    const code = Array.from({ length: catalog.ids.size }, (_, i) => i).filter((i) =>
      categoryNamesOf(catalog.side, i).includes('code'),
    );
    const image = Array.from({ length: catalog.ids.size }, (_, i) => i).filter(
      (i) =>
        categoryNamesOf(catalog.side, i)[0] === 'image' && !categoryNamesOf(catalog.side, i).includes('code'),
    );
    const inProfile = new Set(profile.categories.map((c) => c.category));
    const other = Array.from({ length: catalog.ids.size }, (_, i) => i).filter((i) =>
      categoryNamesOf(catalog.side, i).every((c) => !inProfile.has(c)),
    );
    const noPrice = { priceBoost: 0 };
    const mean = (xs: Float64Array): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const codeBoost = profileBoosts(profile, catalog.side, code, noPrice);
    const imageBoost = profileBoosts(profile, catalog.side, image, noPrice);
    const otherBoost = profileBoosts(profile, catalog.side, other, noPrice);
    // Three clicks (weight 2 each) against one view (weight 1): code leads, image trails, the rest get none.
    expect(Math.min(...codeBoost)).toBeGreaterThan(Math.max(...imageBoost));
    expect(Math.min(...imageBoost)).toBeGreaterThan(0);
    expect(Math.max(...otherBoost)).toBe(0);
    // Confidence: W ≈ 7 of half-confidence 4 → 0.3 · 7/11 ≈ 0.19 for the top category.
    expect(mean(codeBoost)).toBeCloseTo(0.3 * (profile.totalWeight / (profile.totalWeight + 4)), 6);

    // Re-ranking a list that put other services first now puts a code service first.
    const list = [...other.slice(0, 5), ...image.slice(0, 3), ...code.slice(0, 3)];
    const base = list.map((_, k) => 1 - k * 0.02); // descending relevance, code last
    const boosts = profileBoosts(profile, catalog.side, list);
    const reranked = list
      .map((item, k) => ({ item, score: base[k] + boosts[k] }))
      .sort((a, b) => b.score - a.score);
    expect(code).toContain(reranked[0].item);
  });

  it('decays category weights as timeDecay does, whatever the arrival order', async () => {
    const rng = new Rng(5);
    const t0 = Date.UTC(2025, 0, 1) / 1000;
    const expected = new Map<string, number>();
    const now = t0 + 30 * DAY;
    const events: ProfileEvent[] = [];
    for (let k = 0; k < 40; k++) {
      const t = Math.round((t0 + rng.uniform(0, 30 * DAY)) * 1000) / 1000; // a Date holds ms
      const service = catalog.ids.idAt(rng.int(catalog.ids.size));
      const type = (['VIEW', 'CLICK', 'API_CALL', 'PURCHASE'] as const)[rng.int(4)];
      const e = event('u-decay', service, type, new Date(t * 1000));
      events.push(e);
      for (const c of e.categories)
        expected.set(
          c,
          (expected.get(c) ?? 0) +
            (DEFAULT_TYPE_WEIGHTS[type] * timeDecay(now - t, 3 * DAY)) / e.categories.length,
        );
    }
    for (const e of events) await store.record(e); // in random time order
    const profile = await store.get('u-decay', { now: new Date(now * 1000) });
    expect(profile?.categories.length).toBe(expected.size);
    for (const { category, weight } of profile?.categories ?? [])
      expect(weight / (expected.get(category) ?? NaN)).toBeCloseTo(1, 9);
  });

  it('loses no update when many clients record for one user at once', async () => {
    const writers = Array.from(
      { length: 8 },
      () => new UserProfileStore(client(), { keyPrefix: prefix, halfLifeDays: 3 }),
    );
    const t0 = Date.UTC(2025, 1, 1) / 1000;
    const services = [serviceIn('chat'), serviceIn('rag'), serviceIn('speech')];
    const perWriter = 40;
    let expectedChat = 0;
    const jobs: Promise<boolean>[] = [];
    writers.forEach((w, j) => {
      for (let k = 0; k < perWriter; k++) {
        const t = t0 + (j * perWriter + k) * 7; // distinct times, sent out of order across writers
        const s = services[(j + k) % 3];
        const e = event('u-busy', s, 'CLICK', new Date(t * 1000));
        if (e.categories.includes('chat'))
          expectedChat += (2 * timeDecay(t0 + DAY - t, 3 * DAY)) / e.categories.length;
        jobs.push(w.record(e));
      }
    });
    await Promise.all(jobs);
    const profile = await store.get('u-busy', { now: new Date((t0 + DAY) * 1000) });
    expect(profile?.events).toBe(8 * perWriter);
    const chat = profile?.categories.find((c) => c.category === 'chat')?.weight ?? 0;
    expect(chat / expectedChat).toBeCloseTo(1, 9);
    expect(new Set(profile?.recentServices)).toEqual(new Set(services));
  });

  it('reads a profile in one round trip and sets its TTL on write', async () => {
    const spy = jest.spyOn(redis, 'sendCommand');
    await store.get('u-code');
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0][0].name).toBe('hgetall');
    spy.mockRestore();
    const ttl = await redis.ttl(`${prefix}u-code`);
    expect(ttl).toBeGreaterThan(30 * DAY - 60);
    expect(ttl).toBeLessThanOrEqual(30 * DAY);
  });

  it('keeps the session by id or by gap, and the recent list de-duplicated and bounded', async () => {
    const small = new UserProfileStore(redis, { keyPrefix: prefix, recentLimit: 3, sessionLimit: 2 });
    const t = (m: number): Date => new Date(Date.UTC(2025, 2, 1, 10, m));
    const [a, b, c, d] = [
      serviceIn('chat', 0),
      serviceIn('chat', 1),
      serviceIn('code', 0),
      serviceIn('rag', 0),
    ];
    await small.record(event('u-sess', a, 'VIEW', t(0), { sessionId: 's1' }));
    await small.record(event('u-sess', b, 'VIEW', t(1), { sessionId: 's1' }));
    await small.record(event('u-sess', a, 'CLICK', t(2), { sessionId: 's1' }));
    let p = await small.get('u-sess', { now: t(3) });
    expect(p?.sessionServices).toEqual([a, b]);
    expect(p?.sessionId).toBe('s1');
    await small.record(event('u-sess', c, 'VIEW', t(4), { sessionId: 's2' }));
    await small.record(event('u-sess', d, 'VIEW', t(5), { sessionId: 's2' }));
    p = await small.get('u-sess', { now: t(6) });
    expect(p?.sessionServices).toEqual([d, c]);
    expect(p?.recentServices).toEqual([d, c, a]);
    // The request's session id decides; so does a long silence.
    expect((await small.get('u-sess', { now: t(6), sessionId: 's3' }))?.sessionServices).toEqual([]);
    expect((await small.get('u-sess', { now: t(50) }))?.sessionServices).toEqual([]);
    // Without session ids, a gap over 30 minutes starts a new session.
    await small.record(event('u-gap', a, 'VIEW', t(0)));
    await small.record(event('u-gap', b, 'VIEW', t(10)));
    await small.record(event('u-gap', c, 'VIEW', t(55)));
    expect((await small.get('u-gap', { now: t(56) }))?.sessionServices).toEqual([c]);
  });

  it('derives the price tier and sensitivity from choices only', async () => {
    const at = new Date(Date.UTC(2025, 3, 1));
    const tierOf = (id: string): number => catalog.side.priceTiers[catalog.ids.indexOf(id) ?? -1];
    const cheap = catalog.ids.toJSON().filter((id) => tierOf(id) === 0)[0];
    const dear = catalog.ids.toJSON().filter((id) => tierOf(id) === 4)[0];
    await store.record(event('u-price', cheap, 'PURCHASE', at)); // weight 5 at tier 0
    await store.record(event('u-price', dear, 'CLICK', at)); // weight 2 at tier 4
    await store.record(event('u-price', dear, 'VIEW', at)); // a view reveals no price preference
    const p = await store.get('u-price', { now: at });
    expect(p?.meanPriceTier).toBeCloseTo((5 * 0 + 2 * 4) / 7, 12);
    expect(p?.priceWeight).toBeCloseTo(7, 12);
    if (p === null) return;
    const s = profilePriceSensitivity(p, catalog.side.priceTiers);
    expect(s).toBeGreaterThan(0.5); // leans to the cheap end
    const boosts = profileBoosts(
      p,
      catalog.side,
      [catalog.ids.indexOf(cheap) ?? -1, catalog.ids.indexOf(dear) ?? -1],
      {
        categoryBoost: 0,
      },
    );
    expect(boosts[0]).toBeGreaterThan(boosts[1]);
  });

  it('skips impressions without a round trip and rejects malformed events', async () => {
    const at = new Date();
    expect(await store.record(event('u-imp', serviceIn('chat'), 'IMPRESSION', at))).toBe(false);
    expect(await store.get('u-imp')).toBeNull();
    const good = event('u-bad', serviceIn('chat'), 'CLICK', at);
    const bad: [Partial<ProfileEvent>, RegExp][] = [
      [{ type: 'LIKE' as ProfileEvent['type'] }, /unknown interaction type "LIKE"/],
      [{ occurredAt: new Date('nope') }, /occurredAt/],
      [{ priceTier: -1 }, /priceTier/],
      [{ userId: '' }, /userId/],
    ];
    for (const [patch, message] of bad)
      await expect(store.record({ ...good, ...patch })).rejects.toMatchObject({
        code: PersonalizationErrorCode.BAD_INPUT,
        message: expect.stringMatching(message),
      });
    expect(() => new UserProfileStore(redis, { halfLifeDays: 0 })).toThrow(/halfLifeDays/);
  });

  it('reports a failing Redis as STORE_FAILED', async () => {
    const closed = new Redis(REDIS_URL);
    await closed.quit();
    const s = new UserProfileStore(closed, { weighting: InteractionWeighting.fit([]) });
    await expect(s.get('x')).rejects.toMatchObject({
      code: PersonalizationErrorCode.STORE_FAILED,
      message: expect.stringContaining('reading the profile failed'),
    });
    await expect(s.record(event('x', serviceIn('chat'), 'CLICK', new Date()))).rejects.toMatchObject({
      code: PersonalizationErrorCode.STORE_FAILED,
    });
  });
});
