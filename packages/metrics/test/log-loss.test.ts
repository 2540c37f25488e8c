import { logLoss, MetricErrorCode, MetricInputError } from '../src';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof MetricInputError) return error.code;
    throw error;
  }
  return undefined;
}

describe('logLoss, hand-computed', () => {
  it('is the mean binary cross-entropy', () => {
    // −(ln 0.9 + ln 0.8 + ln 0.6) / 3
    expect(logLoss([0.9, 0.2, 0.6], [1, 0, 1])).toBeCloseTo(0.2797765635793423, 12);
    expect(logLoss(Float32Array.from([0.5, 0.5]), Uint8Array.from([0, 1]))).toBeCloseTo(Math.LN2, 7);
  });

  it('scores a constant prediction of the positive rate at the label entropy', () => {
    const labels = Array.from({ length: 20 }, (_, i) => (i < 11 ? 1 : 0));
    expect(logLoss(new Array<number>(20).fill(0.55), labels)).toBeCloseTo(0.6881388137135884, 12);
  });

  it('clips certain mistakes to −ln 1e-15 instead of infinity', () => {
    // One certain miss (−ln 1e-15 = 34.538776) and one certain hit (≈ 1e-15), averaged.
    expect(logLoss([0, 1], [1, 1])).toBeCloseTo(17.269388197455342, 9);
  });

  it('rejects probabilities outside [0, 1], bad labels, mismatched and empty inputs', () => {
    expect(codeOf(() => logLoss([1.5], [1]))).toBe(MetricErrorCode.NOT_FINITE);
    expect(() => logLoss([0.5, Number.NaN], [0, 1])).toThrow(/probabilities\[1\] is NaN/);
    expect(codeOf(() => logLoss([0.5], [2]))).toBe(MetricErrorCode.INVALID_LABEL);
    expect(codeOf(() => logLoss([0.5], [1, 0]))).toBe(MetricErrorCode.LENGTH_MISMATCH);
    expect(codeOf(() => logLoss([], []))).toBe(MetricErrorCode.INVALID_INPUT);
  });
});
