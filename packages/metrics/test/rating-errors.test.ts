import { mae, MetricErrorCode, MetricInputError, rmse } from '../src';

describe('rmse and mae, hand-computed', () => {
  it('computes the formulas', () => {
    expect(rmse([1, 2, 3], [1, 2, 5])).toBeCloseTo(Math.sqrt(4 / 3), 15);
    expect(mae([1, 2, 3], [1, 2, 5])).toBeCloseTo(2 / 3, 15);
    expect(rmse(Float32Array.from([0.5]), Float64Array.from([0]))).toBe(0.5);
    expect(mae(Float32Array.from([2, 4]), Float32Array.from([4, 2]))).toBe(2);
  });

  it('rejects mismatched lengths, empty arrays and NaN', () => {
    expect(() => rmse([1, 2], [1])).toThrow('rmse: predicted has 2 elements but actual has 1');
    expect(() => mae([], [])).toThrow(MetricInputError);
    expect(() => rmse([Number.NaN], [1])).toThrow(/predicted\[0\] is NaN/);
    expect(() => mae([1], [Number.POSITIVE_INFINITY])).toThrow(
      expect.objectContaining({ code: MetricErrorCode.NOT_FINITE }) as unknown as Error,
    );
  });
});
