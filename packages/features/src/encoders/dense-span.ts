import { FeatureError, FeatureErrorCode } from '../errors';

/** Throws FEATURE_BAD_BUFFER unless `out[offset .. offset + width)` lies inside `out`. */
export function checkSpan(
  out: ArrayLike<number>,
  offset: number,
  width: number,
  what: string | (() => string),
): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + width > out.length)
    throw new FeatureError(
      FeatureErrorCode.BAD_BUFFER,
      `${typeof what === 'string' ? what : what()}: cannot write ${width} values at offset ${offset} into a buffer of ${out.length}`,
    );
}
