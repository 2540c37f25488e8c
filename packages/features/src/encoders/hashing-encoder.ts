import { FeatureError, FeatureErrorCode } from '../errors';
import { FEATURE_STATE_VERSION, StateReader } from '../state';
import { checkSpan } from './dense-span';
import { murmurHash3 } from './murmur3';

export type HashingEncoderState = {
  kind: 'hashing-encoder';
  formatVersion: number;
  buckets: number;
  seed: number;
};

/**
 * The hashing trick for open-ended categorical values (tags, free-form ids): no vocabulary to fit or save,
 * only the bucket count and seed, and an unseen value still gets a (shared) bucket.
 *
 *   bucket(v) = murmurHash3_x86_32(utf8(v), seed) mod buckets
 *
 * As a categorical field: `indexOf(v) = 1 + bucket(v)`, with 0 for a missing value, so the embedding table needs
 * `cardinality = buckets + 1` rows (index 0 plays the OOV role of CategoricalVocabulary).
 * As a dense multi-hot block: `encode` sets column bucket(v) to 1 for every value of a set (width = buckets);
 * colliding values share a column.
 */
export class HashingEncoder {
  constructor(
    readonly buckets: number,
    readonly seed = 0,
  ) {
    if (!Number.isSafeInteger(buckets) || buckets < 1)
      throw new FeatureError(FeatureErrorCode.BAD_OPTION, `buckets must be an integer ≥ 1, got ${buckets}`);
    if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff)
      throw new FeatureError(
        FeatureErrorCode.BAD_OPTION,
        `seed must be a 32-bit unsigned integer, got ${seed}`,
      );
  }

  bucket(value: string): number {
    return murmurHash3(value, this.seed) % this.buckets;
  }

  /** 1 + bucket(value); 0 for null, undefined or ''. */
  indexOf(value: string | null | undefined): number {
    return value == null || value === '' ? 0 : 1 + this.bucket(value);
  }

  get cardinality(): number {
    return this.buckets + 1;
  }

  get width(): number {
    return this.buckets;
  }

  columnNames(prefix: string): string[] {
    return Array.from({ length: this.buckets }, (_, b) => `${prefix}#${b}`);
  }

  /** Writes the hashed 0/1 vector of `values` into `out[offset .. offset + buckets)` (cleared first). */
  encode(values: Iterable<string>, out: Float32Array, offset: number): void {
    checkSpan(out, offset, this.buckets, 'HashingEncoder');
    out.fill(0, offset, offset + this.buckets);
    for (const v of values) if (v !== '') out[offset + this.bucket(v)] = 1;
  }

  toJSON(): HashingEncoderState {
    return {
      kind: 'hashing-encoder',
      formatVersion: FEATURE_STATE_VERSION,
      buckets: this.buckets,
      seed: this.seed,
    };
  }

  static fromJSON(json: unknown): HashingEncoder {
    const r = StateReader.open(json, 'hashing-encoder');
    return new HashingEncoder(r.integer('buckets', 1), r.integer('seed'));
  }
}
