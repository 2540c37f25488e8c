import { createHash } from 'node:crypto';
import {
  INTERACTION_TYPES,
  PRICING_MODELS,
  type DatasetRows,
  type InteractionRow,
  type ServiceRow,
} from '@recsys/db';
import { DatasetSourceError } from '../src/sources/dataset-source';
import {
  CATEGORIES,
  CATEGORY_SPECS,
  clickProbability,
  serviceTraitsFromRow,
  syntheticInteractionLog,
  syntheticMarketplace,
  trueClickProbability,
  userTraitsFromAttributes,
} from '../src/synthetic';

/** SHA-256 over every row of every stream, in the writer's order. */
function hashRows(rows: DatasetRows): string {
  const hash = createHash('sha256');
  for (const stream of [rows.providers, rows.users, rows.services, rows.interactions, rows.tagAssignments]) {
    if (!stream) continue;
    if (!(Symbol.iterator in stream)) throw new Error('synthetic streams are synchronous');
    for (const row of stream) hash.update(JSON.stringify(row)).update('\n');
  }
  return hash.digest('hex');
}

function toArray<T>(stream: Iterable<T> | AsyncIterable<T> | undefined): T[] {
  if (!stream || !(Symbol.iterator in stream)) throw new Error('expected a synchronous stream');
  return [...stream];
}

const small = { seed: 42, users: 300, services: 120, interactions: 20_000 };

describe('syntheticMarketplace', () => {
  it('is deterministic for a seed and differs across seeds', async () => {
    const a = syntheticMarketplace(small);
    const b = syntheticMarketplace({ ...small });
    const hash = hashRows(a.rows());
    expect(hashRows(b.rows())).toBe(hash);
    expect(hashRows(a.rows())).toBe(hash); // rows() streams afresh
    expect(hashRows(syntheticMarketplace({ ...small, seed: 43 }).rows())).not.toBe(hash);
    expect(await a.fingerprint()).toBe(await b.fingerprint());
    expect(await a.fingerprint()).not.toBe(await syntheticMarketplace({ ...small, seed: 43 }).fingerprint());
    expect(await a.fingerprint()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('honours the scale parameters exactly', () => {
    const source = syntheticMarketplace({
      seed: 1,
      users: 57,
      services: 33,
      interactions: 4321,
      providers: 20,
      months: 3,
    });
    const rows = source.rows();
    expect(toArray(rows.providers)).toHaveLength(20);
    expect(toArray(rows.users)).toHaveLength(57);
    expect(toArray(rows.services)).toHaveLength(33);
    const events = toArray(rows.interactions);
    expect(events).toHaveLength(4321);
    expect(new Set(events.map((e) => e.idempotencyKey)).size).toBe(4321);
    expect(source.kind).toBe('synthetic');
    expect(source.datasetId).toBe('synthetic');
    expect(
      toArray(syntheticMarketplace({ seed: 1, users: 1, services: 1, interactions: 0 }).rows().interactions),
    ).toEqual([]);
    expect(
      toArray(
        syntheticMarketplace({ seed: 1, users: 1, services: 1, interactions: 500 }).rows().interactions,
      ),
    ).toHaveLength(500);
  });

  it('rejects bad options with a coded error', () => {
    expect(() => syntheticMarketplace({ seed: 1.5 })).toThrow(DatasetSourceError);
    expect(() => syntheticMarketplace({ seed: 1, services: 0 })).toThrow(
      'services must be an integer ≥ 1, got 0',
    );
    expect(() => syntheticMarketplace({ seed: 1, months: 0 })).toThrow(/months must be an integer 1-120/);
  });

  it('builds a sane catalog: categories, pricing models, tiers, prices, retirements', () => {
    const source = syntheticMarketplace({ seed: 5, users: 10, services: 600, interactions: 0 });
    const services = toArray(source.rows().services);
    const providers = new Set(toArray(source.rows().providers).map((p) => p.id));
    const byCategory = new Map<string, ServiceRow[]>();
    for (const s of services) {
      const k = s.categories?.[0] ?? '';
      byCategory.set(k, [...(byCategory.get(k) ?? []), s]);
      expect(providers.has(s.providerId ?? '')).toBe(true);
    }
    expect([...byCategory.keys()].sort()).toEqual([...CATEGORIES].sort());
    // Chat is the biggest category, moderation among the smallest.
    expect(byCategory.get('chat')?.length).toBeGreaterThan(services.length * 0.2);
    expect(byCategory.get('moderation')?.length).toBeLessThan(services.length * 0.1);
    const models = new Map(PRICING_MODELS.map((m) => [m, services.filter((s) => s.pricingModel === m)]));
    expect(models.get('PAY_AS_YOU_GO')?.length).toBeGreaterThan(services.length * 0.35);
    for (const m of PRICING_MODELS) expect(models.get(m)?.length).toBeGreaterThan(10);
    for (const s of models.get('FREE') ?? [])
      expect([s.priceTier, s.priceUsd, s.freeTier]).toEqual([0, 0, true]);
    for (const s of models.get('ENTERPRISE') ?? []) expect([s.priceTier, s.priceUsd]).toEqual([4, null]);
    for (const s of models.get('SUBSCRIPTION') ?? []) expect(s.priceUnit).toBe('USD per month');
    for (const s of models.get('PAY_AS_YOU_GO') ?? []) {
      const spec = CATEGORY_SPECS.find((c) => c.name === s.categories?.[0]);
      expect(s.priceUnit).toBe(spec?.unit);
      expect(s.priceUsd).toBeGreaterThanOrEqual((spec?.payAsYouGo[0] ?? 0) * 0.99);
      expect(s.priceUsd).toBeLessThanOrEqual((spec?.payAsYouGo[1] ?? 0) * 1.01);
      expect(s.priceTier).toBeGreaterThanOrEqual(1);
    }
    const tiers = new Set(services.map((s) => s.priceTier));
    expect([...tiers].sort()).toEqual([0, 1, 2, 3, 4]);
    // Chat per 1M tokens: a cheap head and a premium tail.
    const chat = (models.get('PAY_AS_YOU_GO') ?? [])
      .filter((s) => s.categories?.[0] === 'chat')
      .map((s) => s.priceUsd ?? 0);
    expect(Math.min(...chat)).toBeLessThan(1);
    expect(Math.max(...chat)).toBeGreaterThan(10);
    const retired = services.filter((s) => s.status === 'RETIRED').length;
    expect(retired).toBeGreaterThan(5);
    expect(retired).toBeLessThan(services.length * 0.15);
    const launchedInWindow = services.filter((s) => (s.createdAtMs ?? 0) >= source.params.startMs).length;
    expect(launchedInWindow / services.length).toBeGreaterThan(0.2);
  });

  it('gives users latent traits in attributes, mostly plain users', () => {
    const users = toArray(
      syntheticMarketplace({ seed: 9, users: 2000, services: 10, interactions: 0 }).rows().users,
    );
    const roles = new Map<string, number>();
    for (const u of users) roles.set(u.role ?? '', (roles.get(u.role ?? '') ?? 0) + 1);
    expect(roles.get('USER')).toBeGreaterThan(1700);
    expect(roles.get('PROVIDER')).toBeGreaterThan(0);
    expect(roles.get('ADMIN')).toBeGreaterThan(0);
    for (const u of users.slice(0, 50)) {
      const traits = userTraitsFromAttributes(u.attributes ?? {});
      const sum = Array.from(traits.taste).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 2);
      expect(traits.priceSensitivity).toBeGreaterThanOrEqual(0);
      expect(traits.priceSensitivity).toBeLessThanOrEqual(1);
      expect(u.country).toMatch(/^[A-Z]{2}$/);
    }
  });

  it('simulates funnels over the window: time order, diurnal hours, popularity skew, trends', () => {
    const source = syntheticMarketplace({ ...small, interactions: 60_000 });
    const rows = source.rows();
    const services = toArray(rows.services);
    const events = toArray(rows.interactions);
    const { startMs, endMs } = source.params;
    const count = new Map<string, number>();
    for (const e of events) count.set(e.type, (count.get(e.type) ?? 0) + 1);
    for (const t of INTERACTION_TYPES) expect(count.get(t) ?? 0).toBeGreaterThan(0);
    const impressions = count.get('IMPRESSION') ?? 0;
    const clicks = count.get('CLICK') ?? 0;
    expect(clicks / impressions).toBeGreaterThan(0.03);
    expect(clicks / impressions).toBeLessThan(0.3);
    expect(
      (count.get('VIEW') ?? 0) > clicks &&
        clicks > (count.get('PURCHASE') ?? 0) + (count.get('SUBSCRIBE') ?? 0),
    ).toBe(true);

    // Sessions start in time order inside the window; a session's events are in time order.
    // (Checked in plain loops: an expect() per event would cost seconds.)
    let lastStart = -Infinity;
    const outOfOrder: InteractionRow[] = [];
    events.forEach((e, i) => {
      const previous = i > 0 ? events[i - 1] : undefined;
      if (e.occurredAtMs < startMs || e.occurredAtMs >= endMs + 86_400_000) outOfOrder.push(e);
      if (previous !== undefined && previous.sessionId === e.sessionId) {
        if (e.occurredAtMs < previous.occurredAtMs) outOfOrder.push(e);
      } else {
        if (e.occurredAtMs < lastStart) outOfOrder.push(e);
        lastStart = e.occurredAtMs;
      }
    });
    expect(outOfOrder).toEqual([]);
    // Local hours follow the diurnal pattern: mid-morning beats the small hours several times over.
    const byHour = new Array<number>(24).fill(0);
    for (const e of events) byHour[Number(e.context?.hour)]++;
    expect(byHour[10]).toBeGreaterThan(4 * byHour[3]);
    // Traffic grows: the last month has more events than the first.
    const firstMonth = events.filter((e) => e.occurredAtMs < startMs + 30 * 86_400_000).length;
    const lastMonth = events.filter((e) => e.occurredAtMs >= endMs - 30 * 86_400_000).length;
    expect(lastMonth).toBeGreaterThan(1.4 * firstMonth);
    // Popularity is skewed: the top 10% of services get a large share of impressions.
    const shown = new Map<string, number>();
    for (const e of events)
      if (e.type === 'IMPRESSION') shown.set(e.serviceId, (shown.get(e.serviceId) ?? 0) + 1);
    const sorted = [...shown.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, Math.ceil(services.length / 10)).reduce((a, b) => a + b, 0);
    expect(top / impressions).toBeGreaterThan(0.35);
    // Trends: services launched during the window take a growing share of impressions.
    const launched = new Set(services.filter((s) => (s.createdAtMs ?? 0) >= startMs).map((s) => s.id));
    const share = (from: number, to: number): number => {
      const window = events.filter(
        (e) => e.type === 'IMPRESSION' && e.occurredAtMs >= from && e.occurredAtMs < to,
      );
      return window.filter((e) => launched.has(e.serviceId)).length / window.length;
    };
    const quarter = (endMs - startMs) / 4;
    expect(share(endMs - quarter, endMs)).toBeGreaterThan(2 * share(startMs, startMs + quarter));
    // No impression of a service before its launch or after its retirement.
    const byId = new Map(services.map((s) => [s.id, s]));
    const notLive = events.filter((e) => {
      const s = byId.get(e.serviceId);
      const retiredAt = s?.attributes?.retiredAtMs;
      return (
        e.type === 'IMPRESSION' &&
        (e.occurredAtMs < (s?.createdAtMs ?? 0) ||
          (typeof retiredAt === 'number' && e.occurredAtMs >= retiredAt))
      );
    });
    expect(notLive).toEqual([]);
  });

  it('clicks at the top position with the true click probability, readable back from the rows', () => {
    const source = syntheticMarketplace({ seed: 77, users: 400, services: 150, interactions: 150_000 });
    const world = source.world();
    const rows = source.rows();
    const users = toArray(rows.users);
    const services = toArray(rows.services);
    // The pure function over the rows' traits equals the simulator's ground truth.
    for (let k = 0; k < 200; k++) {
      const u = (k * 37) % users.length;
      const s = (k * 11) % services.length;
      const p = clickProbability(
        userTraitsFromAttributes(users[u].attributes ?? {}),
        serviceTraitsFromRow(services[s]),
      );
      expect(p).toBe(trueClickProbability(world, u, s));
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
    // Observed clicks at position 0 match the sum of the true probabilities of the impressions there.
    const userIndex = new Map(users.map((u, i) => [u.id, i]));
    const serviceIndex = new Map(services.map((s, i) => [s.id, i]));
    let expected = 0;
    let observed = 0;
    for (const e of toArray(rows.interactions)) {
      if (e.context?.position !== 0) continue;
      if (e.type === 'IMPRESSION')
        expected += trueClickProbability(
          world,
          userIndex.get(e.userId) ?? -1,
          serviceIndex.get(e.serviceId) ?? -1,
        );
      else if (e.type === 'CLICK') observed++;
    }
    expect(expected).toBeGreaterThan(500);
    expect(Math.abs(observed - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });
});

describe('syntheticInteractionLog', () => {
  it('runs the same simulation as the row stream, into typed arrays', () => {
    const rows = toArray(syntheticMarketplace(small).rows().interactions);
    const { log, users, items, sessions } = syntheticInteractionLog(small);
    expect(log.length).toBe(rows.length);
    expect(users.size).toBe(small.users);
    expect(items.size).toBe(small.services);
    expect(sessions).toBe(new Set(rows.map((r) => r.sessionId)).size);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (
        users.idAt(log.users[i]) !== r.userId ||
        items.idAt(log.items[i]) !== r.serviceId ||
        INTERACTION_TYPES[log.types[i]] !== r.type ||
        log.timestamps[i] !== r.occurredAtMs / 1000 ||
        !(Number.isNaN(log.values[i])
          ? r.value === null
          : Math.abs(log.values[i] - (r.value ?? NaN)) < 1e-3 * Math.max(1, Math.abs(r.value ?? 0)))
      ) {
        throw new Error(`event ${i} differs: ${JSON.stringify(r)}`);
      }
    }
  });
});
