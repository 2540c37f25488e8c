/**
 * Count, mean, variance, min and max of a stream of numbers in one pass (Welford 1962; Knuth TAOCP vol. 2,
 * 4.2.2): mean_k = mean_{k-1} + (x − mean_{k-1})/k, M2_k = M2_{k-1} + (x − mean_{k-1})(x − mean_k),
 * population variance = M2/n (numpy's default ddof=0). Non-finite values (NaN, ±Infinity) are counted as
 * missing and otherwise ignored.
 */
export class RunningMoments {
  count = 0;
  missing = 0;
  mean = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private m2 = 0;

  push(x: number): void {
    if (!Number.isFinite(x)) {
      this.missing++;
      return;
    }
    this.count++;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  pushAll(values: Iterable<number>): this {
    for (const x of values) this.push(x);
    return this;
  }

  /** Population variance M2/n; 0 for fewer than one value. */
  get variance(): number {
    return this.count > 0 ? this.m2 / this.count : 0;
  }

  get std(): number {
    return Math.sqrt(this.variance);
  }
}
