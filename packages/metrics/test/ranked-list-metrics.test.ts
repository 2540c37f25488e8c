import {
  averagePrecision,
  averagePrecisionAtK,
  hitAtK,
  MetricErrorCode,
  MetricInputError,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  reciprocalRank,
} from '../src';

const log2 = Math.log2;

describe('ranked-list metrics, hand-computed', () => {
  // Relevant item 2 sits at rank 2, item 4 at rank 4; item 9 is never retrieved.
  const ranked = Int32Array.from([1, 2, 3, 4, 5]);
  const relevant = new Set([2, 4, 9]);

  it('precision and recall at K', () => {
    expect(precisionAtK(ranked, relevant, 3)).toBeCloseTo(1 / 3, 15);
    expect(recallAtK(ranked, relevant, 3)).toBeCloseTo(1 / 3, 15);
    expect(precisionAtK(ranked, relevant, 5)).toBeCloseTo(2 / 5, 15);
    expect(recallAtK(ranked, relevant, 5)).toBeCloseTo(2 / 3, 15);
  });

  it('hit and reciprocal rank', () => {
    expect(hitAtK(ranked, relevant, 1)).toBe(0);
    expect(hitAtK(ranked, relevant, 2)).toBe(1);
    expect(reciprocalRank(ranked, relevant)).toBe(1 / 2);
    expect(reciprocalRank(ranked, relevant, 1)).toBe(0);
  });

  it('AP@K divides by min(|relevant|, K); full AP by |relevant|', () => {
    expect(averagePrecisionAtK(ranked, relevant, 3)).toBeCloseTo(1 / 2 / 3, 15);
    expect(averagePrecisionAtK(ranked, relevant, 2)).toBeCloseTo(1 / 2 / 2, 15);
    expect(averagePrecisionAtK(ranked, relevant, 5)).toBeCloseTo((1 / 2 + 2 / 4) / 3, 15);
    expect(averagePrecision(ranked, relevant)).toBeCloseTo((1 / 2 + 2 / 4) / 3, 15);
    expect(averagePrecisionAtK([7, 8], new Set([7, 8, 9, 10]), 2)).toBe(1);
  });

  it('binary NDCG@K', () => {
    const idcg3 = 1 + 1 / log2(3) + 1 / log2(4);
    expect(ndcgAtK(ranked, relevant, 3)).toBeCloseTo(1 / log2(3) / idcg3, 15);
    expect(ndcgAtK(ranked, relevant, 1)).toBe(0);
  });

  it('graded NDCG@K, linear (sklearn) and exponential gains', () => {
    const gains = new Map([
      [10, 1],
      [20, 3],
      [30, 0],
      [40, 2],
    ]);
    const list = [10, 20, 30];
    expect(ndcgAtK(list, gains, 3)).toBeCloseTo((1 + 3 / log2(3)) / (3 + 2 / log2(3) + 1 / 2), 15);
    expect(ndcgAtK(list, gains, 3, { gain: 'exponential' })).toBeCloseTo(
      (1 + 7 / log2(3)) / (7 + 3 / log2(3) + 1 / 2),
      15,
    );
    // Binary relevance: both gains agree.
    expect(ndcgAtK(ranked, relevant, 5, { gain: 'exponential' })).toBeCloseTo(
      ndcgAtK(ranked, relevant, 5),
      15,
    );
    // Perfect ordering scores 1.
    expect(ndcgAtK([20, 40, 10], gains, 3)).toBeCloseTo(1, 15);
  });

  it('K larger than the list: precision divides by K, NDCG and AP use the available ranks', () => {
    expect(precisionAtK(ranked, relevant, 10)).toBeCloseTo(2 / 10, 15);
    expect(recallAtK(ranked, relevant, 10)).toBeCloseTo(2 / 3, 15);
    expect(averagePrecisionAtK(ranked, relevant, 10)).toBeCloseTo(1 / 3, 15);
    const idcg = 1 + 1 / log2(3) + 1 / log2(4);
    expect(ndcgAtK(ranked, relevant, 10)).toBeCloseTo((1 / log2(3) + 1 / log2(5)) / idcg, 15);
    expect(hitAtK([], relevant, 10)).toBe(0);
  });

  it('empty relevance gives 0 for every metric', () => {
    const none = new Set<number>();
    for (const value of [
      precisionAtK(ranked, none, 3),
      recallAtK(ranked, none, 3),
      hitAtK(ranked, none, 3),
      reciprocalRank(ranked, none),
      averagePrecisionAtK(ranked, none, 3),
      averagePrecision(ranked, none),
      ndcgAtK(ranked, none, 3),
      ndcgAtK(ranked, new Map([[1, 0]]), 3),
    ]) {
      expect(value).toBe(0);
    }
  });

  it('a repeated item earns its gain once; the repeat occupies a slot', () => {
    const withRepeat = [2, 2, 4];
    const rel = new Set([2, 4]);
    expect(precisionAtK(withRepeat, rel, 3)).toBeCloseTo(2 / 3, 15);
    expect(recallAtK(withRepeat, rel, 3)).toBe(1);
    expect(averagePrecisionAtK(withRepeat, rel, 3)).toBeCloseTo((1 + 2 / 3) / 2, 15);
    expect(ndcgAtK(withRepeat, rel, 3)).toBeCloseTo((1 + 1 / 2) / (1 + 1 / log2(3)), 15);
    expect(ndcgAtK([2, 2, 2, 2], new Map([[2, 3]]), 4)).toBeCloseTo(1, 15);
    expect(precisionAtK([2, 2, 2, 2], rel, 4)).toBe(1 / 4);
  });

  it('accepts relevance as a Set, a sorted Int32Array or a Map of gains alike', () => {
    const forms = [
      new Set([2, 4, 9]),
      Int32Array.from([2, 4, 9]),
      new Map([
        [2, 1],
        [4, 5],
        [9, 2],
        [3, 0],
      ]),
    ];
    for (const form of forms) {
      expect(precisionAtK(ranked, form, 5)).toBeCloseTo(2 / 5, 15);
      expect(averagePrecisionAtK(ranked, form, 5)).toBeCloseTo(1 / 3, 15);
    }
  });

  it('rejects K <= 0 and non-integer K with a RangeError naming K', () => {
    for (const k of [0, -1, 1.5, Number.NaN]) {
      expect(() => precisionAtK(ranked, relevant, k)).toThrow(RangeError);
      expect(() => ndcgAtK(ranked, relevant, k)).toThrow(`ndcgAtK: K must be a positive integer, got K=${k}`);
      expect(() => averagePrecisionAtK(ranked, relevant, k)).toThrow(/K=/);
      expect(() => recallAtK(ranked, relevant, k)).toThrow(MetricInputError);
      expect(() => hitAtK(ranked, relevant, k)).toThrow(/K must be a positive integer/);
      expect(() => reciprocalRank(ranked, relevant, k)).toThrow(/K must be a positive integer/);
    }
  });

  it('rejects an unsorted Int32Array and negative or non-finite gains', () => {
    expect(() => precisionAtK(ranked, Int32Array.from([4, 2]), 3)).toThrow(/strictly increasing/);
    expect(() => precisionAtK(ranked, Int32Array.from([2, 2]), 3)).toThrow(/strictly increasing/);
    expect(() => ndcgAtK(ranked, new Map([[2, -1]]), 3)).toThrow(/gains must be finite and >= 0/);
    try {
      ndcgAtK(ranked, new Map([[2, Number.NaN]]), 3);
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(MetricInputError);
      expect((error as MetricInputError).code).toBe(MetricErrorCode.INVALID_RELEVANCE);
    }
  });
});
