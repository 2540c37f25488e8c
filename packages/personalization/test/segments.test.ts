import { buildDatasetFromRows, movieLens100k, type InteractionDataset } from '@recsys/data';
import { ImportIssues } from '@recsys/db';
import {
  InteractionWeighting,
  UserFeaturePipeline,
  userRecords,
  type FeatureMatrix,
  type UserRecord,
} from '@recsys/features';
import { PersonalizationErrorCode, SegmentPreferences, silhouetteScore, UserSegmentation } from '../src';

const roundTrip = (state: unknown): unknown => JSON.parse(JSON.stringify(state));

describe('silhouetteScore', () => {
  // Nine points in three groups; reference values from the definition (Rousseeuw 1987) in plain Python,
  // the computation scikit-learn's silhouette_score does (sklearn itself is not installed here).
  const X = Float64Array.from([0, 0, 0, 1, 1, 0, 5, 5, 5, 6, 6, 5, 9, 0, 9, 1, 2, 2]);

  it('matches hand-computed values', () => {
    expect(silhouetteScore(X, 2, Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 0]), 3)).toBeCloseTo(
      0.7697688996014259,
      12,
    );
    expect(silhouetteScore(X, 2, Int32Array.from([0, 0, 1, 1, 1, 1, 2, 2, 0]), 3)).toBeCloseTo(
      0.46076025063991133,
      12,
    );
    // A point alone in its cluster scores 0.
    expect(silhouetteScore(X, 2, Int32Array.from([0, 0, 0, 1, 1, 1, 2, 1, 0]), 3)).toBeCloseTo(
      0.42341739862605726,
      12,
    );
  });

  it('rejects one cluster and mismatched shapes', () => {
    expect(() => silhouetteScore(X, 2, new Int32Array(9), 1)).toThrow(/2 ≤ clusters/);
    expect(() => silhouetteScore(X, 3, new Int32Array(9), 2)).toThrow(/18 values for 9 points of 3/);
  });
});

describe('user segments on MovieLens 100K', () => {
  let dataset: InteractionDataset;
  let users: UserRecord[];
  let matrix: FeatureMatrix;
  let five: UserSegmentation;
  let labels: Int32Array;

  beforeAll(async () => {
    dataset = await buildDatasetFromRows('ml-100k', movieLens100k().rows(new ImportIssues()));
    users = userRecords(dataset);
    matrix = UserFeaturePipeline.fit(users, { catalogPriceTiers: dataset.itemSide?.priceTiers }).transformAll(
      users,
    );
    five = await UserSegmentation.fit(matrix, { k: 5 });
    labels = five.segmentsOf(matrix);
  });

  const meanOf = (segment: number, f: (u: UserRecord) => number): number => {
    const rows = users.filter((_, i) => labels[i] === segment);
    return rows.reduce((a, u) => a + f(u), 0) / rows.length;
  };

  it('chooses k by silhouette: two groups, light and heavy raters, well above a floor', async () => {
    const auto = await UserSegmentation.fit(matrix);
    // Measured: k = 2 with silhouette 0.325 (k = 3: 0.295, k = 4..8: 0.19-0.23).
    expect(auto.k).toBe(2);
    expect(auto.quality.trials.map((t) => t.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(auto.quality.silhouette).toBeGreaterThan(0.3);
    for (const t of auto.quality.trials) expect(t.silhouette).toBeLessThanOrEqual(auto.quality.silhouette);
    // Inertia falls as k grows (the elbow view of the same runs).
    const inertias = auto.quality.trials.map((t) => t.inertia);
    for (let k = 1; k < inertias.length; k++) expect(inertias[k]).toBeLessThan(inertias[k - 1]);
    const two = auto.segmentsOf(matrix);
    const mean = (s: number): number => {
      const rows = users.filter((_, i) => two[i] === s);
      return rows.reduce((a, u) => a + u.interactions, 0) / rows.length;
    };
    const [light, heavy] = [Math.min(mean(0), mean(1)), Math.max(mean(0), mean(1))];
    expect(heavy / light).toBeGreaterThan(4); // measured 190.6 vs 40.1 ratings
    // The clustered columns: the varying non-indicator features (price sensitivity is constant on MovieLens).
    expect(auto.columns).toContain('age');
    expect(auto.columns).toContain('log_interactions');
    expect(auto.columns).not.toContain('price_sensitivity');
    expect(auto.columns.some((c) => c.endsWith('_missing'))).toBe(false);
  });

  it('with k = 5, segments differ in age and activity as expected', () => {
    const ages = Array.from({ length: 5 }, (_, s) => meanOf(s, (u) => u.age));
    const activity = Array.from({ length: 5 }, (_, s) => meanOf(s, (u) => u.interactions));
    // Measured: mean ages 30.2 .. 41.3, mean ratings per user 35 .. 241.
    expect(Math.max(...ages) - Math.min(...ages)).toBeGreaterThan(8);
    expect(Math.max(...activity) / Math.min(...activity)).toBeGreaterThan(5);
    expect(Array.from(five.sizes).reduce((a, b) => a + b, 0)).toBe(943);
    expect(Math.min(...five.sizes)).toBeGreaterThan(50);
    // The centroid reads back in the pipeline's units: the oldest segment has the highest age centroid.
    const oldest = ages.indexOf(Math.max(...ages));
    const centroidAges = Array.from({ length: 5 }, (_, s) => five.centroid(s).age);
    expect(centroidAges.indexOf(Math.max(...centroidAges))).toBe(oldest);
  });

  it('assigns reproducibly: the same seed, and after a save and load', async () => {
    const again = await UserSegmentation.fit(matrix, { k: 5 });
    expect(Array.from(again.segmentsOf(matrix))).toEqual(Array.from(labels));
    expect(again.toJSON()).toEqual(five.toJSON());
    const loaded = UserSegmentation.fromJSON(roundTrip(five.toJSON()));
    expect(Array.from(loaded.segmentsOf(matrix))).toEqual(Array.from(labels));
    const w = matrix.schema.denseWidth;
    expect(loaded.segmentOf(matrix.dense.subarray(7 * w, 8 * w))).toBe(labels[7]);
  });

  it('learns what each segment likes: the oldest prefers dramas and mysteries to comedies', () => {
    const prefs = SegmentPreferences.fit(dataset, labels, 5, {
      weighting: InteractionWeighting.fit([], { halfLifeDays: 365 }),
    });
    const ages = Array.from({ length: 5 }, (_, s) => meanOf(s, (u) => u.age));
    const oldest = ages.indexOf(Math.max(...ages));
    const lift = (s: number, c: string): number =>
      prefs.categories(s).find((x) => x.category === c)?.lift ?? NaN;
    // Measured for the 41-year-olds: Drama 1.21, Mystery 1.69, Comedy 0.81.
    expect(lift(oldest, 'Drama')).toBeGreaterThan(1.1);
    expect(lift(oldest, 'Mystery')).toBeGreaterThan(1.4);
    expect(lift(oldest, 'Comedy')).toBeLessThan(0.9);
    for (let s = 0; s < 5; s++)
      expect(prefs.categories(s).reduce((a, c) => a + c.share, 0)).toBeCloseTo(1, 10);
    // Light and heavy raters like different films: their top 5 share at most one.
    const activity = Array.from({ length: 5 }, (_, s) => meanOf(s, (u) => u.interactions));
    const top = (s: number): string[] => prefs.topServices(s, 5).map((x) => x.serviceId);
    const heavy = top(activity.indexOf(Math.max(...activity)));
    const light = top(activity.indexOf(Math.min(...activity)));
    expect(heavy.filter((id) => light.includes(id)).length).toBeLessThanOrEqual(1);
    // The popularity of a segment over a catalog: distinct users of the segment.
    const scores = prefs.serviceScores(0, dataset.items);
    const first = prefs.topServices(0, 1)[0];
    expect(scores[dataset.items.indexOf(first.serviceId) as number]).toBe(first.users);
    expect(first.users).toBeLessThanOrEqual(five.sizes[0]);
    const loaded = SegmentPreferences.fromJSON(roundTrip(prefs.toJSON()));
    expect(loaded.categories(oldest)).toEqual(prefs.categories(oldest));
    expect(loaded.topServices(2, 10)).toEqual(prefs.topServices(2, 10));
  });

  it('rejects bad options, rows and states with their codes', async () => {
    const code = (c: string) => expect.objectContaining({ code: c });
    await expect(UserSegmentation.fit(matrix, { k: 1 })).rejects.toEqual(
      code(PersonalizationErrorCode.BAD_OPTION),
    );
    await expect(UserSegmentation.fit(matrix, { columns: ['height'] })).rejects.toThrow(
      /no dense column "height"/,
    );
    const tiny = { ...matrix, rows: 3 };
    await expect(UserSegmentation.fit(tiny, { k: 5 })).rejects.toEqual(
      code(PersonalizationErrorCode.NOT_ENOUGH_DATA),
    );
    expect(() => five.segmentOf(new Float32Array(3))).toThrow(/has 15 dense values, got 3/);
    expect(() => five.centroid(5)).toThrow(/segment 5 outside 0..4/);
    const state = five.toJSON();
    expect(() => UserSegmentation.fromJSON({ ...state, centroids: [1, 2] })).toThrow(
      /user-segmentation.centroids: expected 5 × 9 values/,
    );
    expect(() => UserSegmentation.fromJSON({ ...state, formatVersion: 99 })).toThrow(/format version 99/);
    expect(() => SegmentPreferences.fit(dataset, new Int32Array(3), 5)).toThrow(
      /3 user segments for 943 users/,
    );
  });
});
