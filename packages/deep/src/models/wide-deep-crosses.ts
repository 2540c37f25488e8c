import type { FeatureSchema } from '@recsys/features';
import { ModelError, ModelErrorCode } from '@recsys/models';
import type { FeatureRows } from './feature-input';

/**
 * A crossed feature of the wide part (Cheng et al. 2016, §3.1's cross-product transformation): `a` names a
 * categorical field of the schema (`user.user_id`), `b` a categorical field or a multi-hot group of dense
 * 0/1 columns (`item.category` for the columns `item.category=<value>`). A row's cross values are
 * (a, b) for its single b, or (a, c) for every active column c of the group.
 */
export interface CrossSpec {
  a: string;
  b: string;
}

/** Knuth's multiplicative constant ⌊2³²/φ⌋ (Fibonacci hashing). */
export const CROSS_HASH_MULTIPLIER = 0x9e3779b1;

/** A cross resolved against a schema. */
export interface ResolvedCross {
  name: string;
  /** Categorical position of field a. */
  a: number;
  aCardinality: number;
  b: { kind: 'field'; field: number } | { kind: 'multi-hot'; offset: number };
  /** Values b takes: its cardinality, or the group's column count. */
  bWidth: number;
  /** Weights of the cross: aCardinality · bWidth when exact, else 2^hashBits. */
  buckets: number;
  /** 0 for an exact cross (bucket = a · bWidth + b); else the bucket is the key's top hashBits bits. */
  hashBits: number;
}

/**
 * Resolves specs against a schema: a cross with at most 2^hashBits keys gets one weight per key (exact);
 * a larger one is hashed into 2^hashBits buckets by Fibonacci hashing of the key a·bWidth + b,
 *   bucket = ((key · 0x9E3779B1) mod 2³²) >> (32 − hashBits),
 * integer arithmetic the ONNX graph repeats exactly with int64 Mul, Mod and Div (MurmurHash3, which the
 * features package uses for strings, has no ONNX form). INVALID_PARAMS names a field that does not exist.
 */
export function resolveCrosses(
  schema: FeatureSchema,
  specs: readonly CrossSpec[],
  hashBits: number,
): ResolvedCross[] {
  return specs.map((spec) => {
    const a = categorical(schema, spec.a);
    if (a === null) throw unknownField(schema, spec.a, 'a categorical field');
    const aCardinality = schema.categorical[a].cardinality;
    const bField = categorical(schema, spec.b);
    let b: ResolvedCross['b'];
    let bWidth: number;
    if (bField !== null) {
      b = { kind: 'field', field: bField };
      bWidth = schema.categorical[bField].cardinality;
    } else {
      const group = schema.denseRange(`${spec.b}=`);
      if (group.width === 0) throw unknownField(schema, spec.b, 'a categorical field or multi-hot group');
      b = { kind: 'multi-hot', offset: group.offset };
      bWidth = group.width;
    }
    const keys = aCardinality * bWidth;
    if (keys >= 2 ** 31)
      throw new ModelError(
        ModelErrorCode.INVALID_PARAMS,
        `cross ${spec.a} × ${spec.b} has ${keys} keys; at most 2^31 - 1 are supported`,
      );
    const exact = keys <= 2 ** hashBits;
    return {
      name: `${spec.a} x ${spec.b}`,
      a,
      aCardinality,
      b,
      bWidth,
      buckets: exact ? keys : 2 ** hashBits,
      hashBits: exact ? 0 : hashBits,
    };
  });
}

/** The bucket of a cross key (see resolveCrosses). */
export function crossBucket(key: number, hashBits: number): number {
  if (hashBits === 0) return key;
  return (Math.imul(key, CROSS_HASH_MULTIPLIER) >>> 0) >>> (32 - hashBits);
}

/**
 * One cross's buckets and weights for a batch: n × 1 (a field b; weight 1, `weight` null) or n × bWidth
 * (a multi-hot b; weight = the column's value, so inactive columns contribute nothing).
 */
export function crossIndexes(
  cross: ResolvedCross,
  rows: FeatureRows,
  denseWidth: number,
  fields: number,
): { index: Int32Array; weight: Float32Array | null } {
  const n = rows.size;
  const b = cross.b;
  if (b.kind === 'field') {
    const index = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const key =
        rows.categorical[r * fields + cross.a] * cross.bWidth + rows.categorical[r * fields + b.field];
      index[r] = crossBucket(key, cross.hashBits);
    }
    return { index, weight: null };
  }
  const w = cross.bWidth;
  const index = new Int32Array(n * w);
  const weight = new Float32Array(n * w);
  for (let r = 0; r < n; r++) {
    const base = rows.categorical[r * fields + cross.a] * w;
    for (let j = 0; j < w; j++) {
      index[r * w + j] = crossBucket(base + j, cross.hashBits);
      weight[r * w + j] = rows.dense[r * denseWidth + b.offset + j];
    }
  }
  return { index, weight };
}

function categorical(schema: FeatureSchema, name: string): number | null {
  const i = schema.categorical.findIndex((f) => f.name === name);
  return i < 0 ? null : i;
}

function unknownField(schema: FeatureSchema, name: string, what: string): ModelError {
  const groups = [
    ...new Set(schema.denseNames.filter((n) => n.includes('=')).map((n) => n.slice(0, n.indexOf('=')))),
  ];
  return new ModelError(
    ModelErrorCode.INVALID_PARAMS,
    `cross: "${name}" is not ${what} of schema ${schema.name} (categorical: ` +
      `${schema.categorical.map((f) => f.name).join(', ')}; multi-hot: ${groups.join(', ') || 'none'})`,
  );
}
