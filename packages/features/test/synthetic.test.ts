import {
  buildDatasetFromRows,
  syntheticMarketplace,
  temporalSplit,
  type InteractionDataset,
} from '@recsys/data';
import { INTERACTION_TYPES, type InteractionRow, type UserRow } from '@recsys/db';
import {
  ContextFeaturePipeline,
  InteractionWeighting,
  PriceTierDistribution,
  UserFeaturePipeline,
  ctrExamples,
  eventContextRecord,
  eventContexts,
  fitCtrPipelines,
  priceSensitivityFromAttributes,
  userRecords,
  type ContextRecord,
  type EventExtras,
} from '../src';

const IMPRESSION = INTERACTION_TYPES.indexOf('IMPRESSION');
const options = { seed: 7, users: 400, services: 120, interactions: 40_000, months: 3 };

let dataset: InteractionDataset;
let declared: Float32Array;
let devices: (string | null)[];
let dwellMs: Float64Array;

/** Pearson correlation of two equally long arrays. */
function correlation(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) ** 2;
    syy += (y[k] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

beforeAll(async () => {
  const source = syntheticMarketplace(options);
  dataset = await buildDatasetFromRows('synthetic', source.rows());
  // A second pass over the same (deterministic) rows for what the dataset does not keep: attributes, device, dwell.
  const rows = source.rows();
  const users: UserRow[] = [...rows.users];
  declared = new Float32Array(dataset.users.size).fill(Number.NaN);
  for (const u of users)
    declared[dataset.users.indexOf(u.id) as number] = priceSensitivityFromAttributes(u.attributes);
  const interactions: InteractionRow[] = [...rows.interactions];
  devices = interactions.map((r) => (typeof r.context?.device === 'string' ? r.context.device : null));
  dwellMs = Float64Array.from(interactions, (r) => r.dwellMs ?? Number.NaN);
});

describe('price sensitivity on the synthetic marketplace', () => {
  it('derives from the tiers chosen a sensitivity that tracks the declared one', () => {
    const records = userRecords(dataset);
    const pipeline = UserFeaturePipeline.fit(records, { catalogPriceTiers: dataset.itemSide?.priceTiers });
    const derived: number[] = [];
    const truth: number[] = [];
    records.forEach((r, u) => {
      if (r.choiceCount < 20) return;
      const s = pipeline.raw('price_sensitivity', r);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
      derived.push(s);
      truth.push(declared[u]);
    });
    expect(derived.length).toBeGreaterThan(100);
    // A weak but real signal: the simulated clicks weigh price by sensitivity (−1.6·s·tier/4 in the logit)
    // against taste and quality, and which tiers a user meets depends on what was shown. 0.18 for this seed.
    expect(correlation(derived, truth)).toBeGreaterThan(0.1);
  });

  it('is the mid-rank complement of the catalog tier CDF at the mean chosen tier', () => {
    const tiers = PriceTierDistribution.fit([0, 1, 1, 2, 3, 4]);
    expect(tiers.sensitivity(1)).toBeCloseTo(3 / 6 + 0.5 * (2 / 6), 12); // P(T > 1) + ½·P(T = 1)
    expect(tiers.sensitivity(1.5)).toBeCloseTo(3 / 6, 12);
    expect(tiers.sensitivity(0)).toBeCloseTo(5 / 6 + 0.5 / 6, 12);
    expect(tiers.sensitivity(4)).toBeCloseTo(0.5 / 6, 12);
    expect(tiers.sensitivity(Number.NaN)).toBeNaN();
  });

  it('uses the declared attribute when present and flags it', () => {
    const records = userRecords(dataset, { declaredPriceSensitivity: declared });
    const pipeline = UserFeaturePipeline.fit(records, { catalogPriceTiers: dataset.itemSide?.priceTiers });
    const { schema } = pipeline;
    const m = pipeline.transformAll(records);
    const scaler = pipeline.scaler('price_sensitivity');
    for (const u of [0, 17, 399]) {
      expect(pipeline.raw('price_sensitivity', records[u])).toBeCloseTo(declared[u], 6);
      const row = u * schema.denseWidth;
      expect(m.dense[row + schema.denseOffset('price_sensitivity')]).toBeCloseTo(
        scaler.scale(declared[u]),
        5,
      );
      expect(m.dense[row + schema.denseOffset('price_sensitivity_declared')]).toBe(1);
    }
  });
});

describe('context features on the synthetic marketplace', () => {
  it('encodes the local hour, device and session position of events', () => {
    const contexts = eventContexts(dataset.log);
    const log = dataset.log;
    const extras: EventExtras = (e) => ({ device: devices[e] });
    function* all(): Generator<ContextRecord> {
      for (let e = 0; e < log.length; e++) yield eventContextRecord(log, contexts, e, extras(e));
    }
    const pipeline = ContextFeaturePipeline.fit(all());
    const { schema } = pipeline;
    expect(pipeline.devices.knownValues().sort()).toEqual(['api', 'desktop', 'mobile']);
    expect(schema.field('device').cardinality).toBe(4);

    // A hand-built request: 06:00 UTC on Friday 2024-03-15, on a phone, 2 events into a session.
    const record: ContextRecord = {
      timestampSeconds: Date.UTC(2024, 2, 15, 6) / 1000,
      device: 'mobile',
      secondsSinceLast: 120,
      sessionEvents: 2,
      sessionSeconds: 300,
    };
    const dense = new Float32Array(schema.denseWidth);
    const cats = new Int32Array(1);
    pipeline.transform(record, dense, 0, cats, 0);
    expect(dense[schema.denseOffset('hour_sin')]).toBeCloseTo(1, 6);
    expect(dense[schema.denseOffset('hour_cos')]).toBeCloseTo(0, 6);
    expect(dense[schema.denseOffset('weekday_sin')]).toBeCloseTo(Math.sin((2 * Math.PI * 5) / 7), 6);
    expect(dense[schema.denseOffset('month_sin')]).toBeCloseTo(Math.sin((2 * Math.PI * 2) / 12), 6); // March = 2
    expect(dense[schema.denseOffset('month_cos')]).toBeCloseTo(Math.cos((2 * Math.PI * 2) / 12), 6);
    expect(cats[0]).toBe(pipeline.devices.indexOf('mobile'));
    const since = pipeline.scaler('log_seconds_since_last');
    expect(dense[schema.denseOffset('log_seconds_since_last')]).toBeCloseTo(since.scale(Math.log1p(120)), 5);
    // with a time zone: 06:00 UTC at UTC+6 is noon local time → (0, −1)
    pipeline.transform({ ...record, utcOffsetHours: 6, device: 'smart-fridge' }, dense, 0, cats, 0);
    expect(dense[schema.denseOffset('hour_sin')]).toBeCloseTo(0, 6);
    expect(dense[schema.denseOffset('hour_cos')]).toBeCloseTo(-1, 6);
    expect(cats[0]).toBe(0); // unknown device → OOV

    // Sessions restart after a gap of more than 30 minutes; a user has one first activity event.
    let firstActivity = 0;
    let wrong = 0;
    for (let e = 0; e < log.length; e++) {
      const since = contexts.secondsSinceLast[e];
      if (Number.isNaN(since) && log.types[e] !== IMPRESSION) firstActivity++;
      if (!(since <= 1800) && (contexts.sessionEvents[e] !== 0 || contexts.sessionSeconds[e] !== 0)) wrong++;
    }
    expect(firstActivity).toBeLessThanOrEqual(dataset.users.size);
    expect(wrong).toBe(0);
  });

  it('computes time since the last activity and session counts from the log', () => {
    const log = dataset.log;
    const contexts = eventContexts(log);
    // Take a user's activity events in time order and check them by hand.
    const u = log.users[0];
    const own: number[] = [];
    for (let e = 0; e < log.length; e++) if (log.users[e] === u && log.types[e] !== IMPRESSION) own.push(e);
    own.sort((a, b) => log.timestamps[a] - log.timestamps[b] || a - b);
    expect(Number.isNaN(contexts.secondsSinceLast[own[0]])).toBe(true);
    for (let k = 1; k < Math.min(own.length, 50); k++) {
      expect(contexts.secondsSinceLast[own[k]]).toBeCloseTo(
        log.timestamps[own[k]] - log.timestamps[own[k - 1]],
        6,
      );
    }
  });
});

describe('interaction weighting', () => {
  it('weights by type and log-scaled, capped dwell time, and round-trips', () => {
    const w = InteractionWeighting.fit(dwellMs, { typeWeights: { CLICK: 3 } });
    const VIEW = INTERACTION_TYPES.indexOf('VIEW');
    const CLICK = INTERACTION_TYPES.indexOf('CLICK');
    const cap = w.dwellCapSeconds;
    expect(cap).toBeGreaterThan(1);
    expect(w.typeWeight(CLICK)).toBe(3);
    expect(w.weight(INTERACTION_TYPES.indexOf('IMPRESSION'))).toBe(0);
    expect(w.weight(VIEW)).toBe(1);
    expect(w.weight(VIEW, cap * 1000)).toBeCloseTo(2, 12);
    expect(w.weight(VIEW, cap * 5000)).toBeCloseTo(2, 12); // capped
    expect(w.weight(VIEW, 1000)).toBeCloseTo(1 + Math.log1p(1) / Math.log1p(cap), 12);
    const back = InteractionWeighting.fromJSON(JSON.parse(JSON.stringify(w.toJSON())));
    expect(back.weights(dataset.log, dwellMs)).toEqual(w.weights(dataset.log, dwellMs));
    // cap = the 99th percentile of the known dwell times (numpy's linear interpolation)
    const known = Array.from(dwellMs.filter((d) => d >= 0)).sort((a, b) => a - b);
    const h = (known.length - 1) * 0.99;
    const q = known[Math.floor(h)] + (h - Math.floor(h)) * (known[Math.ceil(h)] - known[Math.floor(h)]);
    expect(cap).toBeCloseTo(q / 1000, 9);
  });
});

describe('ctrExamples on the synthetic marketplace', () => {
  it('labels clicks among impressions with device context, in bounded batches', () => {
    const split = temporalSplit(dataset.log, { testFraction: 0.2 });
    const extras: EventExtras = (e) => ({ device: devices[e] });
    const pipelines = fitCtrPipelines(dataset, split.train, {
      declaredPriceSensitivity: declared,
      eventExtras: extras,
    });
    const CLICK = INTERACTION_TYPES.indexOf('CLICK');
    const label = (_v: number, type: number): number =>
      type === CLICK ? 1 : type === IMPRESSION ? 0 : Number.NaN;
    let rows = 0;
    let expected = 0;
    for (const e of split.test)
      if (dataset.log.types[e] === CLICK || dataset.log.types[e] === IMPRESSION) expected++;
    for (const batch of ctrExamples(dataset, split.test, pipelines, {
      batchSize: 1000,
      label,
      eventExtras: extras,
    })) {
      expect(batch.size).toBeLessThanOrEqual(1000);
      const deviceCol = batch.schema.categoricalIndex('context.device');
      for (let r = 0; r < batch.size; r += 97) {
        const e = batch.events[r];
        expect(batch.labels[r]).toBe(dataset.log.types[e] === CLICK ? 1 : 0);
        expect(batch.categorical[r * batch.schema.categoricalCount + deviceCol]).toBe(
          pipelines.context.devices.indexOf(devices[e]),
        );
      }
      rows += batch.size;
    }
    expect(rows).toBe(expected);
  });
});
