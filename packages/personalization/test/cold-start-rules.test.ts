import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { buildDatasetFromRows } from '@recsys/data';
import type { ServiceRow } from '@recsys/db';
import {
  catalogFromDataset,
  categoryCandidates,
  contentSimilarity,
  ExplorationCounters,
  NewServiceExploration,
  newServices,
  PersonalizationErrorCode,
  spreadAcrossCategories,
  type CatalogView,
} from '../src';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Eight services by hand. s0-s2 chat, s3-s4 code, s5 image, s6 code+chat (new, unused), s7 without category.
 * Users: u0 uses s0 s1 s3; u1 uses s0 s3 s4; u2 uses s0 s5; u3 uses s2.
 */
const SERVICES: ServiceRow[] = [
  { id: 's0', name: 'Chat A', categories: ['chat'], tags: ['fast', 'cheap'], providerId: 'p1', priceTier: 1 },
  { id: 's1', name: 'Chat B', categories: ['chat'], tags: ['fast'], providerId: 'p2', priceTier: 2 },
  { id: 's2', name: 'Chat C', categories: ['chat'], tags: ['long'], providerId: 'p1', priceTier: 3 },
  { id: 's3', name: 'Code A', categories: ['code'], tags: ['fast'], providerId: 'p1', priceTier: 2 },
  { id: 's4', name: 'Code B', categories: ['code'], tags: ['agentic'], providerId: 'p2', priceTier: 4 },
  { id: 's5', name: 'Image A', categories: ['image'], tags: ['cheap'], providerId: 'p3', priceTier: 0 },
  {
    id: 's6',
    name: 'Code Chat',
    categories: ['code', 'chat'],
    tags: ['fast', 'agentic'],
    providerId: 'p1',
    priceTier: 2,
  },
  { id: 's7', name: 'Misc', categories: [], tags: [], providerId: null, priceTier: 1 },
].map((s) => ({ ...s, createdAtMs: Date.UTC(2025, 0, 1) }));
const USES: [string, string][] = [
  ['u0', 's0'],
  ['u0', 's1'],
  ['u0', 's3'],
  ['u1', 's0'],
  ['u1', 's3'],
  ['u1', 's4'],
  ['u2', 's0'],
  ['u2', 's5'],
  ['u3', 's2'],
];

let catalog: CatalogView;
const at = (id: string): number => catalog.ids.indexOf(id) as number;

beforeAll(async () => {
  const dataset = await buildDatasetFromRows('hand', {
    providers: [
      { id: 'p1', name: 'P1' },
      { id: 'p2', name: 'P2' },
      { id: 'p3', name: 'P3' },
    ],
    services: SERVICES,
    interactions: USES.map(([userId, serviceId], k) => ({
      userId,
      serviceId,
      type: 'CLICK' as const,
      occurredAtMs: Date.UTC(2025, 0, 2) + k * 1000,
      idempotencyKey: `k${k}`,
    })),
  });
  catalog = catalogFromDataset(dataset);
});

describe('catalogFromDataset', () => {
  it('counts distinct users per service', () => {
    expect(Array.from(catalog.popularity)).toEqual([3, 1, 1, 2, 1, 1, 0, 0]);
  });
});

describe('contentSimilarity', () => {
  it('averages category and tag Jaccard with the provider, as weighted', () => {
    const sim = contentSimilarity(catalog.side, at('s6'));
    // s6: {code, chat}, {fast, agentic}, p1; weights 1, 1, 0.5 (total 2.5).
    // s3: J_c = 1/2, J_t = 1/2 (fast), same provider → (0.5 + 0.5 + 0.5) / 2.5 = 0.6
    expect(sim[at('s3')]).toBeCloseTo(0.6, 6);
    // s4: J_c = 1/2, J_t = 1/2 (agentic), other provider → 1 / 2.5 = 0.4
    expect(sim[at('s4')]).toBeCloseTo(0.4, 6);
    // s0: J_c = 1/2, J_t = 1/3 (fast of fast, cheap, agentic), same provider → (0.5 + 1/3 + 0.5) / 2.5
    expect(sim[at('s0')]).toBeCloseTo((0.5 + 1 / 3 + 0.5) / 2.5, 6);
    expect(sim[at('s5')]).toBe(0);
    expect(sim[at('s6')]).toBe(0);
    // Categories alone.
    expect(contentSimilarity(catalog.side, at('s6'), { tag: 0, provider: 0 })[at('s2')]).toBeCloseTo(0.5, 6);
  });
});

describe('spreadAcrossCategories', () => {
  const items = (): Int32Array => Int32Array.from(['s0', 's1', 's2', 's3', 's4', 's5', 's7'], at);
  const scores = Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.1, 0.05]);
  const ids = (order: Int32Array): string[] => Array.from(order, (k) => catalog.ids.idAt(items()[k]));

  it('ranks by score when the constraints do not bind', () => {
    const order = spreadAcrossCategories(items(), scores, catalog.side, 4, {
      minCategories: 1,
      maxPerCategory: 4,
    });
    expect(ids(order)).toEqual(['s0', 's1', 's2', 's3']);
  });

  it('caps a category and guarantees the minimum of distinct categories', () => {
    // At most 2 chat; 3 categories in 4 places: the image service takes the last place over code B.
    const order = spreadAcrossCategories(items(), scores, catalog.side, 4, {
      minCategories: 3,
      maxPerCategory: 2,
    });
    expect(ids(order)).toEqual(['s0', 's1', 's3', 's5']);
    // 4 categories in 4 places: every place a new category; a service without one counts as its own.
    const four = spreadAcrossCategories(items(), scores, catalog.side, 4, {
      minCategories: 4,
      maxPerCategory: 2,
    });
    expect(ids(four)).toEqual(['s0', 's3', 's5', 's7']);
  });

  it('fills by score when the candidates cannot meet the constraints', () => {
    const chats = Int32Array.from(['s0', 's1', 's2'], at);
    const order = spreadAcrossCategories(chats, [3, 2, 1], catalog.side, 3, {
      minCategories: 3,
      maxPerCategory: 1,
    });
    expect(Array.from(order)).toEqual([0, 1, 2]);
    expect(() =>
      spreadAcrossCategories(chats, [3, 2, 1], catalog.side, 3, { minCategories: 1, maxPerCategory: 0 }),
    ).toThrow(/maxPerCategory must be an integer ≥ 1/);
  });
});

describe('categoryCandidates', () => {
  it('takes turns between categories by weight and quality', () => {
    const c = categoryCandidates(
      catalog,
      new Map([
        ['chat', 2],
        ['code', 1],
      ]),
      5,
    );
    // Chat by popularity: s0 (3 users), s1, s2 (1 each; index order), s6 (none); code: s3 (2), s4, s6.
    // D'Hondt quotients 2/(taken+1) and 1/(taken+1), ties to the first listed: chat 2, chat 1 (tie with
    // code 1), code 1, chat 0.67, chat 0.5 (tie with code 0.5).
    expect(Array.from(c.items, (i) => catalog.ids.idAt(i))).toEqual(['s0', 's1', 's3', 's2', 's6']);
    // Strength = weight / top weight × quality / the category's best quality.
    expect(c.strengths[0]).toBeCloseTo(1, 6);
    expect(c.strengths[1]).toBeCloseTo(Math.log1p(1) / Math.log1p(3), 6);
    expect(c.strengths[2]).toBeCloseTo(0.5, 6);
    expect(c.strengths[4]).toBe(0);
    const unknown = categoryCandidates(catalog, ['quantum', 'image'], 3);
    expect(unknown.unknown).toEqual(['quantum']);
    expect(Array.from(unknown.items, (i) => catalog.ids.idAt(i))).toEqual(['s5']);
  });
});

describe('NewServiceExploration', () => {
  it('explores services nobody used, with a prior from their established neighbours', () => {
    expect(
      Array.from(newServices(catalog, Date.UTC(2026, 0, 1) / 1000, 30), (i) => catalog.ids.idAt(i)),
    ).toEqual(['s6', 's7']);
    const exploration = new NewServiceExploration(catalog);
    // s6's established neighbours: s3 0.6, s0 0.533, s1, s2, s4 ... weighted by log1p(users) / log1p(3).
    const sim = contentSimilarity(catalog.side, at('s6'));
    let num = 0;
    let den = 0;
    for (const id of ['s0', 's1', 's2', 's3', 's4', 's5']) {
      num += sim[at(id)] * (Math.log1p(catalog.popularity[at(id)]) / Math.log1p(3));
      den += sim[at(id)];
    }
    expect(exploration.prior(at('s6'))).toBeCloseTo(num / den, 6);
  });

  it('gives a bonus that shrinks with impressions and a mean that moves to the observed clicks', () => {
    const e = new NewServiceExploration(catalog, undefined, {
      bonusScale: 0.3,
      priorStrength: 50,
      maxImpressions: 2000,
    });
    const s6 = at('s6');
    const prior = e.prior(s6);
    let previous = Infinity;
    for (const n of [0, 1, 10, 100, 1000, 1999]) {
      const v = e.value(s6, { impressions: n, clicks: 0 }, 5000);
      expect(v.bonus).toBeLessThan(previous);
      expect(v.bonus).toBeCloseTo(0.3 * Math.sqrt(Math.log(5002) / (n + 1)), 12);
      previous = v.bonus;
    }
    expect(e.value(s6, { impressions: 2000, clicks: 0 }, 5000).bonus).toBe(0);
    // 100 impressions, 10 clicks (CTR 0.1 = twice the reference → observed relevance 1).
    expect(e.value(s6, { impressions: 100, clicks: 10 }, 100).mean).toBeCloseTo((50 * prior + 100) / 150, 12);
    // No clicks: the mean falls from the prior towards 0.
    expect(e.value(s6, { impressions: 1000, clicks: 0 }, 1000).mean).toBeCloseTo((50 * prior) / 1050, 12);
  });

  it('matches candidates to the user and drops fully explored services', () => {
    const e = new NewServiceExploration(catalog);
    const newOnes = Int32Array.from(['s6', 's7'], at);
    const none = (): undefined => undefined;
    const both = e.candidates(newOnes, none, 5);
    expect(both.items.length).toBeGreaterThanOrEqual(1);
    // A user who only likes image services: s6 (code+chat) gets no match.
    const imageOnly = e.candidates(newOnes, none, 5, (i) => (i === at('s6') ? 0 : 1));
    expect(Array.from(imageOnly.items)).not.toContain(at('s6'));
    const done = e.candidates(
      newOnes,
      (i) => (i === at('s6') ? { impressions: 5000, clicks: 0 } : undefined),
      5,
    );
    expect(Array.from(done.items)).not.toContain(at('s6'));
    expect(() => new NewServiceExploration(catalog, undefined, { referenceCtr: 2 })).toThrow(
      expect.objectContaining({ code: PersonalizationErrorCode.BAD_OPTION }),
    );
  });
});

describe('ExplorationCounters in Redis', () => {
  const prefix = `recsys:test:exploration:${randomUUID()}:`;
  const clients: Redis[] = [];
  afterAll(async () => {
    const keys = await clients[0].keys(`${prefix}*`);
    if (keys.length > 0) await clients[0].del(...keys);
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('counts concurrent impressions and clicks exactly and reads them in one round trip', async () => {
    for (let k = 0; k < 4; k++) clients.push(new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }));
    const counters = clients.map((c) => new ExplorationCounters(c, prefix));
    await Promise.all(
      counters.flatMap((c) =>
        Array.from({ length: 50 }, (_, k) =>
          Promise.all([
            c.recordImpressions(['s6', 's7']),
            k % 10 === 0 ? c.recordClicks(['s6']) : Promise.resolve(),
          ]),
        ),
      ),
    );
    const spy = jest.spyOn(clients[0], 'sendCommand');
    const counts = await counters[0].counts(['s6', 's7', 's0']);
    expect(spy.mock.calls.map((c) => c[0].name)).toEqual(['hmget', 'hmget']); // one pipeline
    spy.mockRestore();
    expect(counts.get('s6')).toEqual({ impressions: 200, clicks: 20 });
    expect(counts.get('s7')).toEqual({ impressions: 200, clicks: 0 });
    expect(counts.get('s0')).toEqual({ impressions: 0, clicks: 0 });
    await counters[1].forget(['s7']);
    expect((await counters[0].counts(['s7'])).get('s7')).toEqual({ impressions: 0, clicks: 0 });
    await expect(counters[0].recordImpressions([''])).rejects.toMatchObject({
      code: PersonalizationErrorCode.BAD_INPUT,
    });
  });
});
