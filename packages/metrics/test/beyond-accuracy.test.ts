import {
  catalogCoverage,
  exposureGini,
  giniIndex,
  intraListDiversityByCategory,
  intraListDiversityByEmbedding,
  itemCategoriesFromSets,
  itemExposure,
  itemPopularityFromHistories,
  MetricErrorCode,
  novelty,
} from '../src';

const withCode = (code: string): Error => expect.objectContaining({ code }) as unknown as Error;

describe('catalog coverage and exposure', () => {
  const lists = [Int32Array.from([0, 1, 2]), Int32Array.from([2, 3, 4])];

  it('counts the distinct items in the top K of all lists over the catalog size', () => {
    expect(catalogCoverage(lists, 10, 2)).toBeCloseTo(0.4, 15);
    expect(catalogCoverage(lists, 10)).toBeCloseTo(0.5, 15);
    expect(catalogCoverage(lists, 10, 50)).toBeCloseTo(0.5, 15);
    expect(catalogCoverage([], 10, 5)).toBe(0);
    expect(Array.from(itemExposure(lists, 6, 3))).toEqual([1, 1, 2, 1, 1, 0]);
  });

  it('counts a repeated item once per list', () => {
    expect(Array.from(itemExposure([[1, 1, 1]], 3))).toEqual([0, 1, 0]);
  });

  it('rejects ids outside the catalog, a bad catalog size and K <= 0', () => {
    expect(() => catalogCoverage([[0, 10]], 10)).toThrow('ExposureCounter: item id 10 is outside 0..9');
    expect(() => catalogCoverage([[0]], 0)).toThrow(withCode(MetricErrorCode.INVALID_INPUT));
    expect(() => catalogCoverage(lists, 10, 0)).toThrow(/K must be a positive integer, got K=0/);
  });
});

describe('Gini index', () => {
  it('is 0 for equal exposure and (n-1)/n for full concentration', () => {
    expect(giniIndex([1, 1, 1, 1])).toBe(0);
    expect(giniIndex([0, 0, 0, 4])).toBeCloseTo(0.75, 15);
    // Mean absolute difference 8/9 over twice the mean 2.
    expect(giniIndex([3, 1, 2])).toBeCloseTo(2 / 9, 15);
  });

  it('of exposure includes never-recommended items with count 0', () => {
    // Counts [2, 1, 1, 0] sorted [0, 1, 1, 2]: (−1·1 + 1·1 + 3·2) / (4 · 4).
    expect(
      exposureGini(
        [
          [0, 1],
          [0, 2],
        ],
        4,
      ),
    ).toBeCloseTo(6 / 16, 15);
    expect(
      exposureGini(
        [
          [0, 1],
          [0, 2],
        ],
        4,
        1,
      ),
    ).toBeCloseTo(0.75, 15);
  });

  it('rejects all-zero, negative and NaN values', () => {
    expect(() => giniIndex([0, 0])).toThrow(withCode(MetricErrorCode.UNDEFINED_METRIC));
    expect(() => giniIndex([1, -1])).toThrow(withCode(MetricErrorCode.INVALID_INPUT));
    expect(() => giniIndex([1, Number.NaN])).toThrow(withCode(MetricErrorCode.NOT_FINITE));
  });
});

describe('novelty', () => {
  const popularity = { userCounts: Int32Array.from([4, 2, 1, 0]), numUsers: 4 };

  it('is the mean self-information -log2(count / numUsers) over the top K', () => {
    expect(novelty([0, 1, 2], popularity, 3)).toBeCloseTo((0 + 1 + 2) / 3, 15);
    expect(novelty([2, 1, 0], popularity, 1)).toBeCloseTo(2, 15);
    expect(novelty([2, 1], popularity, 10)).toBeCloseTo(1.5, 15);
    expect(novelty([], popularity, 10)).toBe(0);
  });

  it('throws on an item nobody saw unless unseenItemCount is set', () => {
    expect(() => novelty([3], popularity, 1)).toThrow(withCode(MetricErrorCode.UNDEFINED_METRIC));
    expect(novelty([3], popularity, 1, { unseenItemCount: 1 })).toBeCloseTo(2, 15);
    expect(() => novelty([0], { userCounts: [5], numUsers: 4 }, 1)).toThrow(
      /counts must be integers in 0..numUsers/,
    );
  });

  it('builds popularity from histories, one count per user', () => {
    const built = itemPopularityFromHistories(
      [
        [0, 1, 1],
        [1, 2],
      ],
      3,
    );
    expect(Array.from(built.userCounts)).toEqual([1, 2, 1]);
    expect(built.numUsers).toBe(2);
  });
});

describe('intra-list diversity', () => {
  const categories = itemCategoriesFromSets([[2, 1], [2, 3, 3], [], []]);

  it('by category: mean pairwise Jaccard or cosine distance of category sets', () => {
    expect(intraListDiversityByCategory([0, 1], categories, 2)).toBeCloseTo(2 / 3, 15);
    expect(intraListDiversityByCategory([0, 1], categories, 2, { distance: 'cosine' })).toBeCloseTo(0.5, 15);
    expect(intraListDiversityByCategory([0, 1, 2], categories, 3)).toBeCloseTo((2 / 3 + 1 + 1) / 3, 15);
    expect(intraListDiversityByCategory([2, 3], categories, 2)).toBe(0);
    expect(intraListDiversityByCategory([0, 1, 2], categories, 1)).toBe(0);
    expect(intraListDiversityByCategory([0, 0], categories, 2)).toBe(0);
  });

  it('by category: rejects unknown items and unsorted rows', () => {
    expect(() => intraListDiversityByCategory([0, 4], categories, 2)).toThrow(
      withCode(MetricErrorCode.ITEM_OUT_OF_RANGE),
    );
    const unsorted = { offsets: Int32Array.from([0, 2, 3]), categories: Int32Array.from([3, 1, 2]) };
    expect(() => intraListDiversityByCategory([0, 1], unsorted, 2)).toThrow(/not strictly increasing/);
  });

  it('by embedding: mean pairwise cosine distance of item rows', () => {
    const embeddings = { vectors: Float32Array.from([1, 0, 0, 1, 1, 1, 0, 0]), dim: 2 };
    expect(intraListDiversityByEmbedding([0, 1], embeddings, 2)).toBeCloseTo(1, 15);
    expect(intraListDiversityByEmbedding([0, 2], embeddings, 2)).toBeCloseTo(1 - 1 / Math.SQRT2, 7);
    expect(intraListDiversityByEmbedding([0, 1, 2], embeddings, 3)).toBeCloseTo(
      (1 + 2 * (1 - 1 / Math.SQRT2)) / 3,
      7,
    );
    expect(intraListDiversityByEmbedding([0, 3], embeddings, 2)).toBe(1);
    expect(intraListDiversityByEmbedding([0], embeddings, 5)).toBe(0);
  });

  it('by embedding: rejects a bad shape, unknown items and NaN values', () => {
    expect(() => intraListDiversityByEmbedding([0], { vectors: new Float64Array(3), dim: 2 }, 1)).toThrow(
      /cannot hold rows/,
    );
    expect(() => intraListDiversityByEmbedding([0, 2], { vectors: new Float64Array(4), dim: 2 }, 2)).toThrow(
      withCode(MetricErrorCode.ITEM_OUT_OF_RANGE),
    );
    const nan = { vectors: Float64Array.from([1, Number.NaN, 0, 1]), dim: 2 };
    expect(() => intraListDiversityByEmbedding([0, 1], nan, 2)).toThrow(/embedding of item 0\[1\] is NaN/);
  });
});
