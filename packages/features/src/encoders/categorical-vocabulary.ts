import { FeatureError, FeatureErrorCode } from '../errors';
import { FEATURE_STATE_VERSION, StateReader } from '../state';

export interface CategoricalVocabularyOptions {
  /** A value seen fewer times than this in training goes to the OOV bucket (default 1: keep everything seen). */
  minCount?: number;
  /** Keep at most this many values, the most frequent first (default: no limit). */
  maxSize?: number;
}

export type CategoricalVocabularyState = {
  kind: 'categorical-vocabulary';
  formatVersion: number;
  /** Known values; value `values[i]` has index i + 1. */
  values: string[];
  /** Training counts of `values`, same order. */
  counts: number[];
  minCount: number;
  maxSize: number | null;
};

/** The index of the out-of-vocabulary bucket: unknown, rare, missing (null/undefined) or empty values. */
export const OOV_INDEX = 0;

/**
 * A fitted vocabulary of a categorical field, for embedding lookups and one-hot columns.
 *
 * Index layout: 0 is the out-of-vocabulary (OOV) bucket, shared by values never seen in training, values seen
 * fewer than `minCount` times, values cut by `maxSize`, and missing values; known values have 1..size, ordered
 * by descending training count, ties by code-unit string order (so a fit is deterministic whatever the order of
 * the training data). An embedding table for the field needs `cardinality = size + 1` rows.
 * `indexOf` never throws: serving an unseen value gives the OOV row.
 */
export class CategoricalVocabulary {
  private readonly toIndex: Map<string, number>;

  private constructor(
    private readonly values: readonly string[],
    private readonly counts: readonly number[],
    readonly minCount: number,
    readonly maxSize: number | null,
  ) {
    this.toIndex = new Map(values.map((v, i) => [v, i + 1]));
  }

  /** Counts `values` (null, undefined and '' are skipped as missing) and keeps the frequent ones. */
  static fit(
    values: Iterable<string | null | undefined>,
    options: CategoricalVocabularyOptions = {},
  ): CategoricalVocabulary {
    const counts = new Map<string, number>();
    for (const v of values) if (v != null && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
    return CategoricalVocabulary.fromCounts(counts, options);
  }

  /** Builds the vocabulary from precomputed training counts. */
  static fromCounts(
    counts: ReadonlyMap<string, number>,
    options: CategoricalVocabularyOptions = {},
  ): CategoricalVocabulary {
    const minCount = options.minCount ?? 1;
    const maxSize = options.maxSize ?? null;
    if (!Number.isFinite(minCount) || minCount < 0)
      throw new FeatureError(FeatureErrorCode.BAD_OPTION, `minCount must be ≥ 0, got ${minCount}`);
    if (maxSize !== null && (!Number.isSafeInteger(maxSize) || maxSize < 0))
      throw new FeatureError(FeatureErrorCode.BAD_OPTION, `maxSize must be an integer ≥ 0, got ${maxSize}`);
    const kept = [...counts.entries()]
      .filter(([v, c]) => v !== '' && c >= minCount && c > 0)
      .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0));
    const top = maxSize === null ? kept : kept.slice(0, maxSize);
    return new CategoricalVocabulary(
      top.map(([v]) => v),
      top.map(([, c]) => c),
      minCount,
      maxSize,
    );
  }

  /** A vocabulary of exactly these values, in this order (a fixed enumeration such as the pricing models). */
  static ofValues(values: readonly string[]): CategoricalVocabulary {
    if (new Set(values).size !== values.length)
      throw new FeatureError(FeatureErrorCode.BAD_OPTION, 'ofValues: duplicate values');
    return new CategoricalVocabulary(
      values.slice(),
      values.map(() => 0),
      0,
      null,
    );
  }

  /** Number of known values (excluding the OOV bucket). */
  get size(): number {
    return this.values.length;
  }

  /** Rows an embedding table needs: size + 1 (the OOV bucket). */
  get cardinality(): number {
    return this.values.length + 1;
  }

  /** 1..size for a known value, OOV_INDEX (0) for anything else. */
  indexOf(value: string | null | undefined): number {
    if (value == null) return OOV_INDEX;
    return this.toIndex.get(value) ?? OOV_INDEX;
  }

  /** The value at `index`, or null for the OOV bucket and out-of-range indexes. */
  valueAt(index: number): string | null {
    return index >= 1 && index <= this.values.length ? this.values[index - 1] : null;
  }

  /** Known values in index order (index i + 1), a copy. */
  knownValues(): string[] {
    return this.values.slice();
  }

  toJSON(): CategoricalVocabularyState {
    return {
      kind: 'categorical-vocabulary',
      formatVersion: FEATURE_STATE_VERSION,
      values: this.values.slice(),
      counts: this.counts.slice(),
      minCount: this.minCount,
      maxSize: this.maxSize,
    };
  }

  static fromJSON(json: unknown): CategoricalVocabulary {
    const r = StateReader.open(json, 'categorical-vocabulary');
    const values = r.strings('values');
    const counts = r.numbers('counts');
    if (counts.length !== values.length || new Set(values).size !== values.length)
      throw new FeatureError(
        FeatureErrorCode.BAD_STATE,
        'categorical-vocabulary: values must be distinct and match counts',
      );
    const maxSize = (json as { maxSize?: unknown }).maxSize;
    return new CategoricalVocabulary(
      values,
      counts,
      r.number('minCount'),
      maxSize === null ? null : r.integer('maxSize'),
    );
  }
}
