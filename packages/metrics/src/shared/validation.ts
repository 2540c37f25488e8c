import { MetricErrorCode, MetricInputError } from '../metric-input-error';

/** Throws a MetricInputError (a RangeError) naming K unless `k` is a positive integer. */
export function validateK(k: number, fn: string): void {
  if (!Number.isInteger(k) || k <= 0) {
    throw new MetricInputError(MetricErrorCode.INVALID_K, `${fn}: K must be a positive integer, got K=${k}`);
  }
}

/** Throws unless every value is finite (rejects NaN and ±Infinity), naming the first offending position. */
export function assertFinite(values: ArrayLike<number>, what: string, fn: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new MetricInputError(
        MetricErrorCode.NOT_FINITE,
        `${fn}: ${what}[${i}] is ${values[i]}; ${what} must be finite numbers`,
      );
    }
  }
}

/** Throws unless the two arrays have the same length. */
export function assertSameLength(
  a: ArrayLike<number>,
  aName: string,
  b: ArrayLike<number>,
  bName: string,
  fn: string,
): void {
  if (a.length !== b.length) {
    throw new MetricInputError(
      MetricErrorCode.LENGTH_MISMATCH,
      `${fn}: ${aName} has ${a.length} elements but ${bName} has ${b.length}`,
    );
  }
}

/** Throws unless the array has at least one element. */
export function assertNonEmpty(values: ArrayLike<number>, what: string, fn: string): void {
  if (values.length === 0)
    throw new MetricInputError(MetricErrorCode.INVALID_INPUT, `${fn}: ${what} is empty`);
}

/** Throws unless `item` is an integer id in 0..numItems-1. */
export function assertItemInRange(item: number, numItems: number, fn: string): void {
  if (!Number.isInteger(item) || item < 0 || item >= numItems) {
    throw new MetricInputError(
      MetricErrorCode.ITEM_OUT_OF_RANGE,
      `${fn}: item id ${item} is outside 0..${numItems - 1}`,
    );
  }
}

/** Throws unless `numItems` is a positive integer (the catalog size). */
export function validateCatalogSize(numItems: number, fn: string): void {
  if (!Number.isInteger(numItems) || numItems <= 0) {
    throw new MetricInputError(
      MetricErrorCode.INVALID_INPUT,
      `${fn}: numItems must be a positive integer, got ${numItems}`,
    );
  }
}

/** The number of leading positions of a ranked list that a cutoff K looks at: min(K, length). */
export function cutoff(length: number, k: number): number {
  return Math.min(length, k);
}

/** Throws unless every label is 0 or 1; returns the number of positives (label 1). */
export function countBinaryLabels(labels: ArrayLike<number>, fn: string): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === 1) positives++;
    else if (label !== 0) {
      throw new MetricInputError(
        MetricErrorCode.INVALID_LABEL,
        `${fn}: labels[${i}] is ${label}; labels must be 0 or 1`,
      );
    }
  }
  return positives;
}
