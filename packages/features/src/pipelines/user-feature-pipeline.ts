import { USER_ROLES } from '@recsys/db';
import { CategoricalVocabulary, type CategoricalVocabularyOptions } from '../encoders/categorical-vocabulary';
import { FeatureError, FeatureErrorCode } from '../errors';
import {
  recordOptions,
  recordOptionsFromJSON,
  recordOptionsToJSON,
  type RecordOptions,
} from '../records/record-options';
import type { UserRecord } from '../records/user-records';
import { FeatureSchemaBuilder, type FeatureMatrix, type FeatureSchema } from '../schema';
import { FEATURE_STATE_VERSION, StateReader, type Json } from '../state';
import { NumericBlock, type NumericSpec } from './numeric-block';
import { PriceTierDistribution } from './price-sensitivity';
import { checkRow, transformAll, type RowTransformer } from './row-transformer';

const DAY = 86_400;
const WEEK = 7 * DAY;

/** Age buckets of MovieLens 1M (under 18, 18-24, 25-34, 35-44, 45-49, 50-55, 56+): lower bounds. */
export const AGE_BUCKET_BOUNDS = [0, 18, 25, 35, 45, 50, 56] as const;

/** 1..7 for the bucket of a known age, 0 (OOV) for an unknown or negative one. */
export function ageBucket(age: number): number {
  if (!(age >= 0)) return 0;
  let b = 0;
  while (b + 1 < AGE_BUCKET_BOUNDS.length && age >= AGE_BUCKET_BOUNDS[b + 1]) b++;
  return b + 1;
}

const log1p = (x: number): number => (Number.isFinite(x) ? Math.log1p(Math.max(0, x)) : Number.NaN);

/** Mean rating the user gave; NaN without ratings. */
export const meanRatingGiven = (r: UserRecord): number =>
  r.ratingCount > 0 ? r.ratingSum / r.ratingCount : Number.NaN;

/** Days from sign-up (else the first event) to asOf, ≥ 0; NaN when neither is known. */
export function accountAgeDays(r: UserRecord): number {
  const since = Number.isFinite(r.createdAtSeconds) ? r.createdAtSeconds : r.firstEventSeconds;
  return Math.max(0, (r.asOfSeconds - since) / DAY);
}

/** Activity events per week since the first one: interactions / max(1, (asOf − first)/7 days); 0 without any. */
export function usageFrequency(r: UserRecord): number {
  if (r.interactions === 0) return 0;
  return r.interactions / Math.max(1, (r.asOfSeconds - r.firstEventSeconds) / WEEK);
}

function numericSpecs(tiers: PriceTierDistribution | null): NumericSpec<UserRecord>[] {
  return [
    { name: 'log_account_age_days', missingIndicator: true, value: (r) => log1p(accountAgeDays(r)) },
    { name: 'log_interactions', value: (r) => log1p(r.interactions) },
    { name: 'log_distinct_services', value: (r) => log1p(r.distinctServices) },
    { name: 'log_ratings', value: (r) => log1p(r.ratingCount) },
    { name: 'log_categories_explored', value: (r) => log1p(r.categoriesExplored) },
    { name: 'log_active_days', value: (r) => log1p(r.activeDays) },
    { name: 'log_weekly_frequency', value: (r) => log1p(usageFrequency(r)) },
    { name: 'mean_rating', missingIndicator: true, value: meanRatingGiven },
    {
      name: 'price_sensitivity',
      missingIndicator: true,
      value: (r) => priceSensitivity(r, tiers),
    },
    { name: 'age', missingIndicator: true, value: (r) => (r.age >= 0 ? r.age : Number.NaN) },
  ];
}

/**
 * A user's price sensitivity in [0, 1]: the declared one when present (attributes), else derived from the price
 * tiers of the services they chose against the catalog (PriceTierDistribution), else NaN.
 */
export function priceSensitivity(r: UserRecord, tiers: PriceTierDistribution | null): number {
  if (Number.isFinite(r.declaredPriceSensitivity)) return r.declaredPriceSensitivity;
  if (!tiers || r.choiceCount === 0) return Number.NaN;
  return tiers.sensitivity(r.choiceTierSum / r.choiceCount);
}

export interface UserFeaturePipelineOptions {
  /** Saved with the pipeline, for rebuilding records at serving time (the records passed should match). */
  recordOptions?: Partial<RecordOptions>;
  /** Price tiers of the catalog (ItemSideData.priceTiers), for the derived price sensitivity. */
  catalogPriceTiers?: ArrayLike<number>;
  /** A `user_id` field over users with activity in training; `false` leaves it out. Default minCount 1. */
  userIds?: false | CategoricalVocabularyOptions;
  occupations?: CategoricalVocabularyOptions;
  countries?: CategoricalVocabularyOptions;
}

interface Vocabularies {
  userId: CategoricalVocabulary | null;
  role: CategoricalVocabulary;
  gender: CategoricalVocabulary;
  occupation: CategoricalVocabulary;
  country: CategoricalVocabulary;
}

/**
 * User features. Dense (z-scored, `_missing` columns 1 where the raw value is unknown):
 * log1p(account age in days), log1p of activity counts (interactions, distinct services, ratings, categories
 * explored, active days), log1p(weekly usage frequency), mean rating given, price sensitivity (declared, else
 * derived; see `priceSensitivity`), age; then `price_sensitivity_declared` (0/1).
 * Categorical (0 = OOV/missing): user_id (optional), role, gender, occupation, country, age_bucket (1..7, see
 * AGE_BUCKET_BOUNDS).
 */
export class UserFeaturePipeline implements RowTransformer<UserRecord> {
  readonly schema: FeatureSchema;
  private readonly declaredOffset: number;

  private constructor(
    readonly recordOptions: RecordOptions,
    private readonly tiers: PriceTierDistribution | null,
    private readonly numeric: NumericBlock<UserRecord>,
    private readonly vocab: Vocabularies,
  ) {
    const b = new FeatureSchemaBuilder();
    b.addDense(numeric.columnNames());
    this.declaredOffset = b.addDense(['price_sensitivity_declared']);
    if (vocab.userId) b.addCategorical('user_id', vocab.userId.cardinality);
    b.addCategorical('role', vocab.role.cardinality);
    b.addCategorical('gender', vocab.gender.cardinality);
    b.addCategorical('occupation', vocab.occupation.cardinality);
    b.addCategorical('country', vocab.country.cardinality);
    b.addCategorical('age_bucket', AGE_BUCKET_BOUNDS.length + 1);
    this.schema = b.build('user');
  }

  static fit(records: readonly UserRecord[], options: UserFeaturePipelineOptions = {}): UserFeaturePipeline {
    const tiers = options.catalogPriceTiers ? PriceTierDistribution.fit(options.catalogPriceTiers) : null;
    const active = records.filter((r) => r.interactions > 0);
    return new UserFeaturePipeline(
      recordOptions(options.recordOptions),
      tiers,
      NumericBlock.fit(numericSpecs(tiers), records),
      {
        userId:
          options.userIds === false
            ? null
            : CategoricalVocabulary.fit(
                active.map((r) => r.id),
                options.userIds,
              ),
        role: CategoricalVocabulary.ofValues(USER_ROLES),
        gender: CategoricalVocabulary.fit(records.map((r) => r.gender)),
        occupation: CategoricalVocabulary.fit(
          records.map((r) => r.occupation),
          options.occupations,
        ),
        country: CategoricalVocabulary.fit(
          records.map((r) => r.country),
          options.countries,
        ),
      },
    );
  }

  /** The fitted scaler of a numeric feature (e.g. 'mean_rating'), for inspection. */
  scaler(name: string) {
    return this.numeric.scaler(name);
  }

  /** The raw value of a numeric feature before scaling (e.g. the derived price sensitivity). */
  raw(name: string, record: UserRecord): number {
    return this.numeric.raw(name, record);
  }

  vocabulary(field: 'user_id' | 'role' | 'gender' | 'occupation' | 'country'): CategoricalVocabulary {
    const v =
      field === 'user_id'
        ? this.vocab.userId
        : field === 'role'
          ? this.vocab.role
          : field === 'gender'
            ? this.vocab.gender
            : field === 'occupation'
              ? this.vocab.occupation
              : this.vocab.country;
    if (!v) throw new FeatureError(FeatureErrorCode.BAD_OPTION, `user pipeline: no ${field} field`);
    return v;
  }

  transform(
    r: UserRecord,
    dense: Float32Array,
    denseOffset: number,
    categorical: Int32Array,
    categoricalOffset: number,
  ): void {
    checkRow(this.schema, dense, denseOffset, categorical, categoricalOffset);
    this.numeric.encode(r, dense, denseOffset);
    dense[denseOffset + this.declaredOffset] = Number.isFinite(r.declaredPriceSensitivity) ? 1 : 0;
    let c = categoricalOffset;
    if (this.vocab.userId) categorical[c++] = this.vocab.userId.indexOf(r.id);
    categorical[c++] = this.vocab.role.indexOf(r.role);
    categorical[c++] = this.vocab.gender.indexOf(r.gender);
    categorical[c++] = this.vocab.occupation.indexOf(r.occupation);
    categorical[c++] = this.vocab.country.indexOf(r.country);
    categorical[c] = ageBucket(r.age);
  }

  transformAll(records: readonly UserRecord[]): FeatureMatrix {
    return transformAll(this, records);
  }

  toJSON(): { [key: string]: Json } {
    return {
      kind: 'user-feature-pipeline',
      formatVersion: FEATURE_STATE_VERSION,
      recordOptions: recordOptionsToJSON(this.recordOptions),
      catalogTierCounts: this.tiers ? this.tiers.counts.slice() : null,
      numeric: this.numeric.toJSON(),
      vocabularies: {
        userId: this.vocab.userId ? this.vocab.userId.toJSON() : null,
        role: this.vocab.role.toJSON(),
        gender: this.vocab.gender.toJSON(),
        occupation: this.vocab.occupation.toJSON(),
        country: this.vocab.country.toJSON(),
      },
    };
  }

  static fromJSON(json: unknown): UserFeaturePipeline {
    const r = StateReader.open(json, 'user-feature-pipeline');
    const counts = r.child('catalogTierCounts');
    const tiers = counts === null ? null : new PriceTierDistribution(r.numbers('catalogTierCounts'));
    const v = r.child('vocabularies') as Record<string, unknown> | null;
    if (typeof v !== 'object' || v === null)
      throw new FeatureError(
        FeatureErrorCode.BAD_STATE,
        'user-feature-pipeline.vocabularies: expected an object',
      );
    return new UserFeaturePipeline(
      recordOptionsFromJSON(r.child('recordOptions')),
      tiers,
      NumericBlock.fromJSON(numericSpecs(tiers), r.child('numeric')),
      {
        userId: v.userId === null ? null : CategoricalVocabulary.fromJSON(v.userId),
        role: CategoricalVocabulary.fromJSON(v.role),
        gender: CategoricalVocabulary.fromJSON(v.gender),
        occupation: CategoricalVocabulary.fromJSON(v.occupation),
        country: CategoricalVocabulary.fromJSON(v.country),
      },
    );
  }
}
