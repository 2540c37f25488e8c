import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildDatasetFromRows,
  datasetsDir,
  movieLens100k,
  temporalSplit,
  type InteractionDataset,
  type Split,
} from '@recsys/data';
import { ImportIssues } from '@recsys/db';
import {
  ContextFeaturePipeline,
  ServiceFeaturePipeline,
  UserFeaturePipeline,
  ctrExamples,
  ctrSchema,
  fitCtrPipelines,
  serviceRecords,
  userRecords,
  type CtrFeaturePipelines,
  type ServiceRecord,
  type UserRecord,
} from '../src';

/** u.data parsed directly: [user, item, rating, unix seconds]. */
function readRatings(): [string, string, number, number][] {
  const text = readFileSync(path.join(datasetsDir(), 'ml-100k', 'u.data'), 'latin1');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [u, i, r, t] = line.split('\t');
      return [u, i, Number(r), Number(t)];
    });
}

const roundTrip = (state: unknown): unknown => JSON.parse(JSON.stringify(state));

let dataset: InteractionDataset;
let ratings: [string, string, number, number][];
let users: UserRecord[];
let services: ServiceRecord[];
let split: Split;
let pipelines: CtrFeaturePipelines;

beforeAll(async () => {
  dataset = await buildDatasetFromRows('ml-100k', movieLens100k().rows(new ImportIssues()));
  ratings = readRatings();
  users = userRecords(dataset);
  services = serviceRecords(dataset);
  split = temporalSplit(dataset.log, { testFraction: 0.2 });
  pipelines = fitCtrPipelines(dataset, split.train);
});

describe('user features on MovieLens 100K', () => {
  it("aggregates user 1's ratings as a direct computation over u.data does", () => {
    const mine = ratings.filter(([u]) => u === '1');
    const u1 = users[dataset.users.indexOf('1') as number];
    expect(mine.length).toBe(272);
    expect(u1.ratingCount).toBe(mine.length);
    expect(u1.interactions).toBe(mine.length);
    expect(u1.distinctServices).toBe(new Set(mine.map(([, i]) => i)).size);
    expect(u1.ratingSum / u1.ratingCount).toBeCloseTo(
      mine.reduce((s, [, , r]) => s + r, 0) / mine.length,
      10,
    );
    expect(u1.ratingSum / u1.ratingCount).toBeCloseTo(982 / 272, 10);
    expect(u1.firstEventSeconds).toBe(Math.min(...mine.map(([, , , t]) => t)));
    expect(u1.activeDays).toBe(new Set(mine.map(([, , , t]) => Math.floor(t / 86400))).size);
    expect([u1.age, u1.gender, u1.occupation]).toEqual([24, 'M', 'technician']);
    expect(u1.categoriesExplored).toBeGreaterThan(10); // 18 genres; user 1 rated 272 movies
  });

  it('scales user features with the training statistics and encodes the categoricals', () => {
    const pipeline = UserFeaturePipeline.fit(users, { catalogPriceTiers: dataset.itemSide?.priceTiers });
    const { schema } = pipeline;
    const m = pipeline.transformAll(users);
    expect(m.rows).toBe(943);
    const u = dataset.users.indexOf('1') as number;
    const row = m.dense.subarray(u * schema.denseWidth, (u + 1) * schema.denseWidth);
    // mean rating z-score: (3.6103 − μ)/σ with μ, σ the mean and population std of the 943 users' means
    const means = users.map((r) => r.ratingSum / r.ratingCount);
    const mu = means.reduce((a, b) => a + b, 0) / means.length;
    const sigma = Math.sqrt(means.reduce((a, b) => a + (b - mu) ** 2, 0) / means.length);
    expect(pipeline.scaler('mean_rating').mean).toBeCloseTo(mu, 10);
    expect(pipeline.scaler('mean_rating').std).toBeCloseTo(sigma, 10);
    expect(row[schema.denseOffset('mean_rating')]).toBeCloseTo((982 / 272 - mu) / sigma, 5);
    expect(row[schema.denseOffset('mean_rating_missing')]).toBe(0);
    // MovieLens movies are all FREE tier 0: everyone's derived sensitivity is 0.5, a constant column → 0
    expect(pipeline.raw('price_sensitivity', users[u])).toBe(0.5);
    expect(row[schema.denseOffset('price_sensitivity')]).toBe(0);
    const cats = m.categorical.subarray(u * schema.categoricalCount, (u + 1) * schema.categoricalCount);
    expect(cats[schema.categoricalIndex('gender')]).toBe(pipeline.vocabulary('gender').indexOf('M'));
    expect(cats[schema.categoricalIndex('occupation')]).toBe(
      pipeline.vocabulary('occupation').indexOf('technician'),
    );
    expect(cats[schema.categoricalIndex('age_bucket')]).toBe(2); // 24 → 18-24
    expect(schema.field('occupation').cardinality).toBe(22); // 21 occupations + OOV
    expect(schema.field('user_id').cardinality).toBe(944);
  });

  it('maps a serving-time user with unseen categories to OOV and missing values to the training mean', () => {
    const pipeline = UserFeaturePipeline.fit(users);
    const { schema } = pipeline;
    const stranger: UserRecord = {
      ...users[0],
      id: 'new-user',
      occupation: 'astronaut',
      gender: null,
      age: Number.NaN,
      ratingCount: 0,
      ratingSum: 0,
    };
    const dense = new Float32Array(schema.denseWidth);
    const cats = new Int32Array(schema.categoricalCount);
    expect(() => pipeline.transform(stranger, dense, 0, cats, 0)).not.toThrow();
    expect(cats[schema.categoricalIndex('user_id')]).toBe(0);
    expect(cats[schema.categoricalIndex('occupation')]).toBe(0);
    expect(cats[schema.categoricalIndex('gender')]).toBe(0);
    expect(cats[schema.categoricalIndex('age_bucket')]).toBe(0);
    expect(dense[schema.denseOffset('mean_rating')]).toBe(0);
    expect(dense[schema.denseOffset('mean_rating_missing')]).toBe(1);
    expect(dense[schema.denseOffset('age_missing')]).toBe(1);
  });
});

describe('service features on MovieLens 100K', () => {
  it("encodes Toy Story's genres multi-hot and its rating statistics", () => {
    const pipeline = ServiceFeaturePipeline.fit(services);
    const { schema } = pipeline;
    const toyStory = dataset.items.indexOf('1') as number;
    expect(dataset.itemSide?.titles[toyStory]).toBe('Toy Story (1995)');
    const dense = new Float32Array(schema.denseWidth);
    const cats = new Int32Array(schema.categoricalCount);
    pipeline.transform(services[toyStory], dense, 0, cats, 0);
    const { offset, width } = schema.denseRange('category=');
    expect(width).toBe(19); // 18 genres (not "unknown") + the OOV column
    const on = schema.denseNames.slice(offset, offset + width).filter((_, k) => dense[offset + k] === 1);
    expect(on.sort()).toEqual(['category=Animation', "category=Children's", 'category=Comedy']);

    const mine = ratings.filter(([, i]) => i === '1');
    expect(services[toyStory].ratingCount).toBe(mine.length);
    expect(services[toyStory].distinctUsers).toBe(452);
    const mu = ratings.reduce((s, [, , r]) => s + r, 0) / ratings.length;
    expect(pipeline.globalMeanRating).toBeCloseTo(mu, 10);
    // (Σr + m·μ)/(n + m) with m = 10: (1753 + 10·3.52986)/(452 + 10)
    expect(pipeline.raw('rating_shrunk', services[toyStory])).toBeCloseTo((1753 + 10 * mu) / 462, 10);
    expect(cats[schema.categoricalIndex('pricing_model')]).toBe(1); // FREE, first of PRICING_MODELS
    expect(dense[schema.denseOffset('free_tier')]).toBe(1); // imported as free
  });

  it('gives an unknown genre the OOV column and an unseen item the OOV id, without throwing', () => {
    const pipeline = ServiceFeaturePipeline.fit(services, { tags: { encoding: 'hashing', buckets: 8 } });
    const { schema } = pipeline;
    const dense = new Float32Array(schema.denseWidth);
    const cats = new Int32Array(schema.categoricalCount);
    const novel: ServiceRecord = {
      ...services[0],
      id: 'brand-new',
      categories: ['Space Opera', 'Drama'],
      tags: ['x'],
    };
    pipeline.transform(novel, dense, 0, cats, 0);
    expect(dense[schema.denseOffset('category=<oov>')]).toBe(1);
    expect(dense[schema.denseOffset('category=Drama')]).toBe(1);
    expect(cats[schema.categoricalIndex('item_id')]).toBe(0);
    expect(schema.denseRange('tag#').width).toBe(8);
  });
});

describe('state round trip', () => {
  it('restores user, service and context pipelines that transform identically', () => {
    const p = pipelines;
    const user = UserFeaturePipeline.fromJSON(roundTrip(p.user.toJSON()));
    const service = ServiceFeaturePipeline.fromJSON(roundTrip(p.service.toJSON()));
    const context = ContextFeaturePipeline.fromJSON(roundTrip(p.context.toJSON()));
    expect(user.schema.toJSON()).toEqual(p.user.schema.toJSON());
    expect(service.schema.toJSON()).toEqual(p.service.schema.toJSON());
    const a = p.user.transformAll(p.users);
    const b = user.transformAll(p.users);
    expect(b.dense).toEqual(a.dense);
    expect(b.categorical).toEqual(a.categorical);
    const c = p.service.transformAll(p.services);
    const d = service.transformAll(p.services);
    expect(d.dense).toEqual(c.dense);
    expect(d.categorical).toEqual(c.categorical);
    const restored: CtrFeaturePipelines = { ...p, user, service, context };
    const first = ctrExamples(dataset, split.test, p, { batchSize: 500 }).next().value;
    const again = ctrExamples(dataset, split.test, restored, { batchSize: 500 }).next().value;
    expect(again?.dense).toEqual(first?.dense);
    expect(again?.categorical).toEqual(first?.categorical);
  });
});

describe('ctrExamples on MovieLens 100K', () => {
  it('yields bounded batches covering every test rating once, labelled rating ≥ 4', () => {
    const schema = ctrSchema(pipelines);
    let rows = 0;
    let positives = 0;
    let batches = 0;
    for (const batch of ctrExamples(dataset, split.test, pipelines, { batchSize: 4096 })) {
      batches++;
      expect(batch.size).toBeLessThanOrEqual(4096);
      expect(batch.dense.length).toBe(batch.size * schema.denseWidth);
      expect(batch.categorical.length).toBe(batch.size * schema.categoricalCount);
      let wrong = 0;
      for (let r = 0; r < batch.size; r++) {
        const e = batch.events[r];
        if (batch.labels[r] !== (dataset.log.values[e] >= 4 ? 1 : 0) || e !== split.test[rows + r]) wrong++;
      }
      expect(wrong).toBe(0);
      rows += batch.size;
      positives += batch.labels.reduce((s, y) => s + y, 0);
    }
    expect(rows).toBe(split.test.length);
    expect(batches).toBe(Math.ceil(split.test.length / 4096));
    let expected = 0;
    for (const e of split.test) expected += dataset.log.values[e] >= 4 ? 1 : 0;
    expect(positives).toBe(expected);
  });

  it("lays out each row as the user's, the item's and the event's features", () => {
    const batch = ctrExamples(dataset, split.test, pipelines, {
      batchSize: 64,
      label: (v) => (v >= 5 ? 1 : 0),
    }).next().value;
    if (!batch) throw new Error('no batch');
    const { schema } = batch;
    const r = 10;
    const e = batch.events[r];
    expect(batch.labels[r]).toBe(dataset.log.values[e] >= 5 ? 1 : 0);
    const userRow = pipelines.user.transformAll([pipelines.users[batch.users[r]]]);
    const ub = schema.block('user');
    expect(
      batch.dense.subarray(r * schema.denseWidth + ub.denseOffset, r * schema.denseWidth + ub.denseWidth),
    ).toEqual(userRow.dense);
    // context: hour of the event's UTC time on the circle
    const hour = new Date(dataset.log.timestamps[e] * 1000);
    const h = hour.getUTCHours() + hour.getUTCMinutes() / 60 + hour.getUTCSeconds() / 3600;
    const row = r * schema.denseWidth;
    expect(batch.dense[row + schema.denseOffset('context.hour_sin')]).toBeCloseTo(
      Math.sin((2 * Math.PI * h) / 24),
      5,
    );
    expect(batch.dense[row + schema.denseOffset('context.hour_cos')]).toBeCloseTo(
      Math.cos((2 * Math.PI * h) / 24),
      5,
    );
    // user features come from the training events only: no test rating leaks into the counts
    const u = batch.users[r];
    let trainRatings = 0;
    for (const k of split.train) if (dataset.log.users[k] === u) trainRatings++;
    expect(pipelines.users[u].ratingCount).toBe(trainRatings);
  });
});
