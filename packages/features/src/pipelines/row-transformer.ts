import { checkSpan } from '../encoders/dense-span';
import type { FeatureMatrix, FeatureSchema } from '../schema';

/**
 * A fitted pipeline turning one raw record into one feature row: `schema.denseWidth` floats written at
 * `dense[denseOffset ..)` and `schema.categoricalCount` indexes at `categorical[categoricalOffset ..)`.
 * Writing into caller-owned buffers lets a batch builder fill one preallocated block per batch.
 */
export interface RowTransformer<R> {
  readonly schema: FeatureSchema;
  transform(
    record: R,
    dense: Float32Array,
    denseOffset: number,
    categorical: Int32Array,
    categoricalOffset: number,
  ): void;
}

/** Every record as a row of a new FeatureMatrix (rows in record order). */
export function transformAll<R>(pipeline: RowTransformer<R>, records: readonly R[]): FeatureMatrix {
  const { schema } = pipeline;
  const dense = new Float32Array(records.length * schema.denseWidth);
  const categorical = new Int32Array(records.length * schema.categoricalCount);
  records.forEach((r, i) =>
    pipeline.transform(r, dense, i * schema.denseWidth, categorical, i * schema.categoricalCount),
  );
  return { schema, rows: records.length, dense, categorical };
}

/** Throws FEATURE_BAD_BUFFER unless a whole row fits at the given offsets. */
export function checkRow(
  schema: FeatureSchema,
  dense: Float32Array,
  denseOffset: number,
  categorical: Int32Array,
  categoricalOffset: number,
): void {
  checkSpan(dense, denseOffset, schema.denseWidth, () => `${schema.name} dense row`);
  checkSpan(categorical, categoricalOffset, schema.categoricalCount, () => `${schema.name} categorical row`);
}
