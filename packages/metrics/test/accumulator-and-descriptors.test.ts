import {
  averagePrecisionAtK,
  catalogCoverage,
  describeMetric,
  exposureGini,
  hitAtK,
  intraListDiversityByCategory,
  itemCategoriesFromSets,
  METRIC_DEFINITIONS,
  MetricErrorCode,
  ndcgAtK,
  novelty,
  parseMetricKey,
  precisionAtK,
  RankingMetricAccumulator,
  recallAtK,
  reciprocalRank,
  type Relevance,
} from '../src';

const withCode = (code: string): Error => expect.objectContaining({ code }) as unknown as Error;

describe('metric descriptors', () => {
  it('parse keys into name, K, direction and needs', () => {
    const ndcg = parseMetricKey('NDCG@10');
    expect(ndcg).toMatchObject({
      key: 'ndcg@10',
      name: 'ndcg',
      k: 10,
      largerIsBetter: true,
      aggregation: 'meanOverUsers',
    });
    expect(ndcg.needs).toEqual(['rankedList', 'relevance']);
    expect(parseMetricKey('rmse')).toMatchObject({ key: 'rmse', k: undefined, largerIsBetter: false });
    expect(parseMetricKey('gini@20')).toMatchObject({
      largerIsBetter: false,
      needs: ['rankedList', 'catalogSize'],
    });
    expect(describeMetric('novelty', 5).needs).toContain('popularity');
  });

  it('reject unknown names, a missing or extra K and K <= 0', () => {
    expect(() => parseMetricKey('foo@3')).toThrow(/unknown metric key 'foo@3'/);
    expect(() => parseMetricKey('ndcg')).toThrow(withCode(MetricErrorCode.INVALID_K));
    expect(() => parseMetricKey('auc@5')).toThrow(/takes no cutoff K/);
    expect(() => parseMetricKey('ndcg@0')).toThrow(RangeError);
  });

  it('every definition round-trips through its key', () => {
    for (const [name, definition] of Object.entries(METRIC_DEFINITIONS)) {
      const key = definition.usesK ? `${name}@7` : name;
      expect(parseMetricKey(key).key).toBe(key);
    }
  });
});

describe('RankingMetricAccumulator', () => {
  const users: { ranked: Int32Array; relevance: Relevance }[] = [
    { ranked: Int32Array.from([1, 2, 3]), relevance: new Set([2]) },
    {
      ranked: Int32Array.from([4, 5, 6]),
      relevance: new Map([
        [4, 2],
        [6, 1],
        [9, 3],
      ]),
    },
    { ranked: Int32Array.from([7, 8]), relevance: new Set<number>() },
    { ranked: Int32Array.from([3, 2]), relevance: Int32Array.from([0, 3]) },
  ];
  const evaluated = users.filter((_, i) => i !== 2);
  const mean = (f: (u: (typeof users)[number]) => number): number =>
    evaluated.reduce((sum, u) => sum + f(u), 0) / evaluated.length;

  it('averages per-user metrics over users with relevant items, skipping and counting the rest', () => {
    const acc = new RankingMetricAccumulator({
      metrics: ['precision', 'recall', 'ndcg', 'map', 'mrr', 'hit'],
      ks: [1, 3, 5],
    });
    const added = users.map((u) => acc.add(u.ranked, u.relevance));
    expect(added).toEqual([true, true, false, true]);
    const result = acc.result();
    expect(result.evaluatedUsers).toBe(3);
    expect(result.skippedUsers).toBe(1);
    expect(result.results.map((r) => r.descriptor.key).slice(0, 4)).toEqual([
      'precision@1',
      'precision@3',
      'precision@5',
      'recall@1',
    ]);
    for (const k of [1, 3, 5]) {
      expect(result.values[`precision@${k}`]).toBeCloseTo(
        mean((u) => precisionAtK(u.ranked, u.relevance, k)),
        15,
      );
      expect(result.values[`recall@${k}`]).toBeCloseTo(
        mean((u) => recallAtK(u.ranked, u.relevance, k)),
        15,
      );
      expect(result.values[`ndcg@${k}`]).toBeCloseTo(
        mean((u) => ndcgAtK(u.ranked, u.relevance, k)),
        15,
      );
      expect(result.values[`map@${k}`]).toBeCloseTo(
        mean((u) => averagePrecisionAtK(u.ranked, u.relevance, k)),
        15,
      );
      expect(result.values[`mrr@${k}`]).toBeCloseTo(
        mean((u) => reciprocalRank(u.ranked, u.relevance, k)),
        15,
      );
      expect(result.values[`hit@${k}`]).toBeCloseTo(
        mean((u) => hitAtK(u.ranked, u.relevance, k)),
        15,
      );
    }
    expect(result.values['precision@1']).toBeCloseTo((0 + 1 + 1) / 3, 15);
  });

  it('uses exponential NDCG gains when asked', () => {
    const acc = new RankingMetricAccumulator({ metrics: ['ndcg'], ks: [3], ndcgGain: 'exponential' });
    for (const u of users) acc.add(u.ranked, u.relevance);
    expect(acc.result().values['ndcg@3']).toBeCloseTo(
      mean((u) => ndcgAtK(u.ranked, u.relevance, 3, { gain: 'exponential' })),
      15,
    );
  });

  it('computes coverage and Gini over all evaluated lists, and novelty and ILD as means', () => {
    const popularity = { userCounts: Int32Array.from([8, 8, 4, 2, 1, 1, 1, 1, 1, 1]), numUsers: 8 };
    const categories = itemCategoriesFromSets([[0], [0, 1], [1], [2], [2, 3], [3], [4], [4], [5], [5]]);
    const acc = new RankingMetricAccumulator({
      metrics: ['coverage', 'gini', 'novelty', 'ild_category'],
      ks: [2, 3],
      context: { numItems: 10, popularity, categories },
      categoryDistance: 'cosine',
    });
    for (const u of users) acc.add(u.ranked, u.relevance);
    const { values } = acc.result();
    const lists = evaluated.map((u) => u.ranked);
    for (const k of [2, 3]) {
      expect(values[`coverage@${k}`]).toBeCloseTo(catalogCoverage(lists, 10, k), 15);
      expect(values[`gini@${k}`]).toBeCloseTo(exposureGini(lists, 10, k), 15);
      expect(values[`novelty@${k}`]).toBeCloseTo(
        mean((u) => novelty(u.ranked, popularity, k)),
        15,
      );
      expect(values[`ild_category@${k}`]).toBeCloseTo(
        mean((u) => intraListDiversityByCategory(u.ranked, categories, k, { distance: 'cosine' })),
        15,
      );
    }
    expect(values['coverage@3']).toBeCloseTo(0.6, 15);
  });

  it('checks each metric needs against the context', () => {
    expect(() => new RankingMetricAccumulator({ metrics: ['novelty'], ks: [5] })).toThrow(
      'RankingMetricAccumulator: novelty@5 needs popularity, which the context does not provide',
    );
    expect(() => new RankingMetricAccumulator({ metrics: ['coverage'], ks: [5] })).toThrow(
      /needs catalogSize/,
    );
    expect(() => new RankingMetricAccumulator({ metrics: ['ndcg'], ks: [0] })).toThrow(RangeError);
    expect(() => new RankingMetricAccumulator({ metrics: [], ks: [5] })).toThrow(
      withCode(MetricErrorCode.INVALID_INPUT),
    );
  });

  it('leaves no partial sums when a list is rejected, and refuses a result with no users', () => {
    const acc = new RankingMetricAccumulator({
      metrics: ['precision', 'coverage'],
      ks: [2],
      context: { numItems: 3 },
    });
    expect(() => acc.add([0, 7], new Set([0]))).toThrow(withCode(MetricErrorCode.ITEM_OUT_OF_RANGE));
    expect(acc.evaluatedUsers).toBe(0);
    acc.add([8], new Set<number>());
    expect(() => acc.result()).toThrow(/no user evaluated \(1 skipped for empty relevance\)/);
    acc.add([0, 1], new Set([1]));
    expect(acc.result().values).toEqual({ 'precision@2': 0.5, 'coverage@2': 2 / 3 });
  });
});
