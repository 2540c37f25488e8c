import { IdMap, InteractionLogBuilder, interactionTypeCode, type InteractionDataset } from '@recsys/data';
import { PopularityModel, SvdModel } from '@recsys/models';
import {
  buildFolds,
  DEFAULT_PROTOCOL_OPTIONS,
  evaluateFullRanking,
  evaluateRatings,
  evaluateSampledRanking,
  loadDataset,
  movieLens100kFolds,
} from '../src';

describe('protocol folds on MovieLens 100K', () => {
  let ml: InteractionDataset;
  beforeAll(async () => {
    ml = await loadDataset('ml-100k');
  });

  it('cv5 uses GroupLens u1..u5: 80,000 / 20,000 ratings each, every rating tested once', async () => {
    const folds = buildFolds(ml, 'cv5', DEFAULT_PROTOCOL_OPTIONS, await movieLens100kFolds(ml));
    expect(folds.map((f) => f.label)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    for (const f of folds) {
      expect(f.train.log.length).toBe(80000);
      expect(f.test.length).toBe(20000);
      expect(f.task.kind).toBe('rating');
    }
  });

  it('holdout keeps 75% of each user in train (round half to even)', () => {
    const [fold] = buildFolds(ml, 'holdout', DEFAULT_PROTOCOL_OPTIONS);
    expect(fold.train.log.length + fold.test.length).toBe(100000);
    // ML-100K users have 20..737 ratings, so every user is on both sides.
    expect(new Set(fold.test.users).size).toBe(943);
    expect(fold.test.length).toBeGreaterThan(24900);
    expect(fold.test.length).toBeLessThan(25100);
  });

  it('loo holds out exactly one (the latest) event per user', () => {
    const [fold] = buildFolds(ml, 'loo-sampled', DEFAULT_PROTOCOL_OPTIONS);
    expect(fold.test.length).toBe(943);
    expect(fold.task).toEqual({ kind: 'ranking-sampled', negatives: 99 });
    const latestTrain = new Float64Array(943);
    for (let e = 0; e < fold.train.log.length; e++) {
      const u = fold.train.log.users[e];
      latestTrain[u] = Math.max(latestTrain[u], fold.train.log.timestamps[e]);
    }
    for (let e = 0; e < fold.test.length; e++)
      expect(fold.test.timestamps[e]).toBeGreaterThanOrEqual(latestTrain[fold.test.users[e]]);
  });

  it('temporal puts the latest 20% of events in test', () => {
    const [fold] = buildFolds(ml, 'temporal', DEFAULT_PROTOCOL_OPTIONS);
    expect(fold.test.length).toBe(20000);
    const maxTrain = Math.max(...fold.train.log.timestamps);
    expect(Math.min(...fold.test.timestamps)).toBeGreaterThanOrEqual(maxTrain);
  });
});

/** Three users, five items; item 4 is the most popular in training. */
function tinyDataset(events: [number, number][]): InteractionDataset {
  const log = new InteractionLogBuilder();
  events.forEach(([u, i], t) => log.push(u, i, Number.NaN, t, interactionTypeCode('CLICK')));
  return {
    name: 'tiny',
    users: IdMap.from(['u0', 'u1', 'u2']),
    items: IdMap.from(['i0', 'i1', 'i2', 'i3', 'i4']),
    log: log.build(),
  };
}

describe('ranking evaluators (hand-computed)', () => {
  it('full ranking: popularity top-2 against each user’s test items', async () => {
    // Training popularity: i4 (3 users) > i3 (2) > i2 (1); i0, i1 unseen.
    const train = tinyDataset([
      [0, 4],
      [1, 4],
      [2, 4],
      [0, 3],
      [1, 3],
      [2, 2],
    ]);
    const model = await new PopularityModel().fit(train);
    const test = tinyDataset([
      [0, 2], // u0's list (seen i4, i3 excluded): i2, i0 → hit at rank 1
      [1, 0], // u1's list: i2, i0 → hit at rank 2
      [2, 1], // u2's list (seen i4, i2): i3, i0 → miss
    ]).log;
    const r = evaluateFullRanking(model, train, test, 2);
    expect(r.evaluatedUsers).toBe(3);
    expect(r.metrics['hit@2']).toBeCloseTo(2 / 3, 12);
    expect(r.metrics['precision@2']).toBeCloseTo(1 / 3, 12);
    expect(r.metrics['ndcg@2']).toBeCloseTo((1 + 1 / Math.log2(3)) / 3, 12);
    expect(r.metrics['mrr@2']).toBeCloseTo((1 + 0.5) / 3, 12);
    // Items recommended to anyone: i2, i0, i3 of 5.
    expect(r.metrics['coverage@2']).toBeCloseTo(3 / 5, 12);
  });

  it('sampled ranking breaks ties against the held-out item', async () => {
    // Every item equally popular: all candidates tie, so the held-out item ranks last and never hits.
    const train = tinyDataset([
      [0, 0],
      [0, 1],
      [1, 2],
      [1, 3],
      [2, 4],
    ]);
    const model = await new PopularityModel().fit(train);
    const test = tinyDataset([
      [0, 2],
      [1, 4],
    ]).log;
    const r = evaluateSampledRanking(model, train, test, 2, 2, 1);
    expect(r.evaluatedUsers).toBe(2);
    expect(r.metrics['hit@2']).toBe(0);
  });
});

describe('rating evaluator', () => {
  it('counts predictions for users without training ratings as impossible', async () => {
    const log = new InteractionLogBuilder();
    const rating = interactionTypeCode('RATING');
    [
      [0, 0, 5],
      [0, 1, 3],
      [1, 0, 4],
      [1, 2, 2],
    ].forEach(([u, i, r], t) => log.push(u, i, r, t, rating));
    const train: InteractionDataset = {
      name: 'tiny',
      users: IdMap.from(['u0', 'u1', 'u2']),
      items: IdMap.from(['i0', 'i1', 'i2']),
      log: log.build(),
    };
    const model = await new SvdModel().fit(train, { nFactors: 2, nEpochs: 5 });
    const test = new InteractionLogBuilder();
    test.push(0, 2, 4, 10, rating); // a known user
    test.push(2, 0, 5, 11, rating); // u2 has no training ratings: SVD answers μ + b_i
    test.push(2, 1, 1, 12, rating);
    const r = evaluateRatings(model, train, test.build());
    expect(r.predictions).toBe(3);
    expect(r.impossible).toBe(2);
    expect(r.metrics.rmse).toBeGreaterThan(0);
  });
});
