import { FEATURE_STATE_VERSION, StateReader } from '../state';
import {
  CategoricalVocabulary,
  type CategoricalVocabularyOptions,
  type CategoricalVocabularyState,
} from './categorical-vocabulary';
import { checkSpan } from './dense-span';

export type MultiHotEncoderState = {
  kind: 'multi-hot-encoder';
  formatVersion: number;
  vocabulary: CategoricalVocabularyState;
};

/**
 * A set-valued field (a service's categories, its tags) as a 0/1 vector over a fitted vocabulary:
 * column j = 1 iff the set contains the value of vocabulary index j. Column 0 is the OOV column, set when any
 * value of the set is unknown (or was too rare to keep), so `width = vocabulary.cardinality`.
 * Each value of a training set counts once toward `minCount` (document frequency).
 */
export class MultiHotEncoder {
  private constructor(readonly vocabulary: CategoricalVocabulary) {}

  static fit(sets: Iterable<Iterable<string>>, options: CategoricalVocabularyOptions = {}): MultiHotEncoder {
    const counts = new Map<string, number>();
    for (const set of sets) for (const v of new Set(set)) counts.set(v, (counts.get(v) ?? 0) + 1);
    return new MultiHotEncoder(CategoricalVocabulary.fromCounts(counts, options));
  }

  static of(vocabulary: CategoricalVocabulary): MultiHotEncoder {
    return new MultiHotEncoder(vocabulary);
  }

  get width(): number {
    return this.vocabulary.cardinality;
  }

  /** Column names: `<prefix>=<value>`, the OOV column `<prefix>=<oov>`. */
  columnNames(prefix: string): string[] {
    return [`${prefix}=<oov>`, ...this.vocabulary.knownValues().map((v) => `${prefix}=${v}`)];
  }

  /** Writes the 0/1 vector into `out[offset .. offset + width)` (cleared first). */
  encode(values: Iterable<string>, out: Float32Array, offset: number): void {
    checkSpan(out, offset, this.width, 'MultiHotEncoder');
    out.fill(0, offset, offset + this.width);
    for (const v of values) {
      if (v === '') continue;
      out[offset + this.vocabulary.indexOf(v)] = 1; // unknown → OOV_INDEX
    }
  }

  toJSON(): MultiHotEncoderState {
    return {
      kind: 'multi-hot-encoder',
      formatVersion: FEATURE_STATE_VERSION,
      vocabulary: this.vocabulary.toJSON(),
    };
  }

  static fromJSON(json: unknown): MultiHotEncoder {
    const r = StateReader.open(json, 'multi-hot-encoder');
    return new MultiHotEncoder(CategoricalVocabulary.fromJSON(r.child('vocabulary')));
  }
}
