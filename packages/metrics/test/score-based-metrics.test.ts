import {
  aucOfScores,
  averagePrecisionFromScores,
  MetricErrorCode,
  MetricInputError,
  ndcgFromScores,
} from '../src';

const log2 = Math.log2;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof MetricInputError) return error.code;
    throw error;
  }
  return undefined;
}

describe('ndcgFromScores, hand-computed', () => {
  it('averages gains over tied scores, as sklearn ignore_ties=False', () => {
    // Items 0 and 1 tie at the top: each of ranks 1 and 2 gets the mean gain (3 + 1) / 2.
    const relevance = [3, 1, 0];
    const scores = [1, 1, 0];
    const ideal = 3 + 1 / log2(3);
    expect(ndcgFromScores(relevance, scores)).toBeCloseTo((2 * (1 + 1 / log2(3))) / ideal, 15);
    expect(ndcgFromScores(relevance, scores, 1)).toBeCloseTo(2 / 3, 15);
    expect(ndcgFromScores(relevance, scores, 10)).toBeCloseTo(ndcgFromScores(relevance, scores), 15);
    expect(ndcgFromScores(relevance, scores, undefined, { ignoreTies: true })).toBeCloseTo(1, 15);
  });

  it('treats 0 and -0 as one tie group, and all-zero relevance as 0', () => {
    expect(ndcgFromScores([0, 1], [0, -0])).toBeCloseTo(ndcgFromScores([0, 1], [0, 0]), 15);
    expect(ndcgFromScores([0, 0, 0], [0.3, 0.2, 0.1])).toBe(0);
  });

  it('exponential gains use 2^rel - 1', () => {
    const expected = (1 + 7 / log2(3)) / (7 + 1 / log2(3));
    expect(ndcgFromScores([1, 3, 0], [0.9, 0.5, 0.1], undefined, { gain: 'exponential' })).toBeCloseTo(
      expected,
      15,
    );
  });

  it('rejects NaN scores, negative relevance, mismatched lengths and K <= 0', () => {
    expect(() => ndcgFromScores([1, 0], [0.5, Number.NaN])).toThrow(
      'ndcgFromScores: scores[1] is NaN; scores must be finite numbers',
    );
    expect(codeOf(() => ndcgFromScores([1, -1], [0.5, 0.4]))).toBe(MetricErrorCode.INVALID_RELEVANCE);
    expect(codeOf(() => ndcgFromScores([1, 0], [0.5]))).toBe(MetricErrorCode.LENGTH_MISMATCH);
    expect(() => ndcgFromScores([1, 0], [0.5, 0.4], 0)).toThrow(RangeError);
    expect(codeOf(() => ndcgFromScores([], []))).toBe(MetricErrorCode.INVALID_INPUT);
  });
});

describe('aucOfScores, hand-computed', () => {
  it('is the Mann-Whitney probability, ties counting one half', () => {
    expect(aucOfScores([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 15);
    expect(aucOfScores([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    // The positive ties with one negative (1/2) and beats the other (1).
    expect(aucOfScores([1, 1, 0], [1, 0, 0])).toBeCloseTo(0.75, 15);
    expect(aucOfScores(Float32Array.from([3, 2, 1]), Uint8Array.from([1, 1, 0]))).toBe(1);
    expect(aucOfScores([3, 2, 1], [0, 0, 1])).toBe(0);
  });

  it('rejects one class, labels other than 0/1 and NaN scores', () => {
    expect(codeOf(() => aucOfScores([0.1, 0.2], [1, 1]))).toBe(MetricErrorCode.UNDEFINED_METRIC);
    expect(codeOf(() => aucOfScores([0.1, 0.2], [0, 2]))).toBe(MetricErrorCode.INVALID_LABEL);
    expect(() => aucOfScores([0.1, Number.NaN], [0, 1])).toThrow(/scores\[1\] is NaN/);
    expect(codeOf(() => aucOfScores([0.1], [0, 1]))).toBe(MetricErrorCode.LENGTH_MISMATCH);
  });
});

describe('averagePrecisionFromScores, hand-computed', () => {
  it('lets a tie group share the precision at its end', () => {
    // Threshold 1 admits items 0 and 1 (precision 1/2, recall 1/2); threshold 0 adds item 2 (2/3, 1).
    expect(averagePrecisionFromScores([1, 0, 1], [1, 1, 0])).toBeCloseTo(0.5 * 0.5 + 0.5 * (2 / 3), 15);
    expect(averagePrecisionFromScores([1, 0, 1], [2, 1, 0])).toBeCloseTo((1 + 2 / 3) / 2, 15);
  });

  it('is 0 without positives and rejects NaN', () => {
    expect(averagePrecisionFromScores([0, 0], [0.2, 0.1])).toBe(0);
    expect(() => averagePrecisionFromScores([0, 1], [Number.NaN, 0.1])).toThrow(/scores\[0\] is NaN/);
  });
});
