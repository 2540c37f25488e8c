import { PRICING_MODELS } from '@recsys/db';
import { CategoricalVocabulary, type CategoricalVocabularyOptions } from '../encoders/categorical-vocabulary';
import { HashingEncoder } from '../encoders/hashing-encoder';
import { MultiHotEncoder } from '../encoders/multi-hot-encoder';
import { FeatureError, FeatureErrorCode } from '../errors';
import {
  recordOptions,
  recordOptionsFromJSON,
  recordOptionsToJSON,
  type RecordOptions,
} from '../records/record-options';
import type { ServiceRecord } from '../records/service-records';
import { FeatureSchemaBuilder, type FeatureMatrix, type FeatureSchema } from '../schema';
import { FEATURE_STATE_VERSION, StateReader, nanToNull, type Json } from '../state';
import { NumericBlock, type NumericSpec } from './numeric-block';
import { checkRow, transformAll, type RowTransformer } from './row-transformer';

const DAY = 86_400;
const log1p = (x: number): number => (Number.isFinite(x) ? Math.log1p(Math.max(0, x)) : Number.NaN);

/** How tags are encoded: a top-N vocabulary multi-hot, or hashed into a fixed number of columns. */
export type TagEncoding =
  | { encoding: 'vocabulary'; minCount?: number; maxSize?: number }
  | { encoding: 'hashing'; buckets: number; seed?: number };

export interface ServiceFeaturePipelineOptions {
  /** Saved with the pipeline, for rebuilding records at serving time (the records passed should match). */
  recordOptions?: Partial<RecordOptions>;
  /** An `item_id` field over services with activity in training; `false` leaves it out. Default minCount 1. */
  itemIds?: false | CategoricalVocabularyOptions;
  /** Category vocabulary (document frequency over the catalog). Default minCount 1. */
  categories?: CategoricalVocabularyOptions;
  /** Default: vocabulary of the 100 most frequent tags seen on at least 2 services. */
  tags?: TagEncoding;
  providers?: CategoricalVocabularyOptions;
  /** Prior strength m (pseudo-ratings at the global mean) of the shrunk mean rating. Default 10. */
  ratingPriorStrength?: number;
}

/**
 * Bayesian-shrunk mean rating (the posterior mean of a service's rating with m pseudo-ratings at the global
 * mean μ; IMDb's weighted rating):
 *
 *   r̃ = (Σ r + m·μ) / (n + m)
 *
 * so a service rated 5 once (n = 1) stays near μ while one rated 5 a hundred times approaches 5. Without any
 * training rating μ is unknown and r̃ is NaN.
 */
export function shrunkMeanRating(r: ServiceRecord, globalMean: number, priorStrength: number): number {
  if (!Number.isFinite(globalMean)) return Number.NaN;
  return (r.ratingSum + priorStrength * globalMean) / (r.ratingCount + priorStrength);
}

/** Days from the service's creation to asOf (≥ 0); NaN when the creation time is unknown. */
export const serviceAgeDays = (r: ServiceRecord): number =>
  Math.max(0, (r.asOfSeconds - r.createdAtSeconds) / DAY);

function numericSpecs(globalMean: number, priorStrength: number): NumericSpec<ServiceRecord>[] {
  return [
    { name: 'log_interactions', value: (r) => log1p(r.interactions) },
    { name: 'log_distinct_users', value: (r) => log1p(r.distinctUsers) },
    { name: 'log_ratings', value: (r) => log1p(r.ratingCount) },
    { name: 'rating_shrunk', value: (r) => shrunkMeanRating(r, globalMean, priorStrength) },
    { name: 'log_trending', value: (r) => log1p(r.trendingScore) },
    { name: 'log_age_days', missingIndicator: true, value: (r) => log1p(serviceAgeDays(r)) },
    { name: 'price_tier', missingIndicator: true, value: (r) => r.priceTier },
    { name: 'log_price_usd', missingIndicator: true, value: (r) => log1p(r.priceUsd) },
  ];
}

interface Parts {
  globalMean: number;
  priorStrength: number;
  numeric: NumericBlock<ServiceRecord>;
  categories: MultiHotEncoder;
  tags: MultiHotEncoder | HashingEncoder;
  itemId: CategoricalVocabulary | null;
  provider: CategoricalVocabulary;
  pricingModel: CategoricalVocabulary;
  priceTier: CategoricalVocabulary;
}

/**
 * Service (item) features. Dense: z-scored log1p popularity (interactions, distinct users, ratings), the
 * shrunk mean rating (`shrunkMeanRating`), log1p trending score (ServiceRecord.trendingScore), log1p age in
 * days, price tier, log1p USD price (each with `_missing` where unknown), `free_tier` (0/1), the categories
 * multi-hot (`category=<value>`, column 0 `category=<oov>`) and the tags block (`tag=<value>` vocabulary
 * multi-hot or `tag#<bucket>` hashed).
 * Categorical (0 = OOV/missing): item_id (optional), provider, pricing_model, price_tier.
 */
export class ServiceFeaturePipeline implements RowTransformer<ServiceRecord> {
  readonly schema: FeatureSchema;
  private readonly freeTierOffset: number;
  private readonly categoriesOffset: number;
  private readonly tagsOffset: number;

  private constructor(
    readonly recordOptions: RecordOptions,
    private readonly p: Parts,
  ) {
    const b = new FeatureSchemaBuilder();
    b.addDense(p.numeric.columnNames());
    this.freeTierOffset = b.addDense(['free_tier']);
    this.categoriesOffset = b.addDense(p.categories.columnNames('category'));
    this.tagsOffset = b.addDense(p.tags.columnNames('tag'));
    if (p.itemId) b.addCategorical('item_id', p.itemId.cardinality);
    b.addCategorical('provider', p.provider.cardinality);
    b.addCategorical('pricing_model', p.pricingModel.cardinality);
    b.addCategorical('price_tier', p.priceTier.cardinality);
    this.schema = b.build('item');
  }

  static fit(
    records: readonly ServiceRecord[],
    options: ServiceFeaturePipelineOptions = {},
  ): ServiceFeaturePipeline {
    const priorStrength = options.ratingPriorStrength ?? 10;
    if (!(priorStrength >= 0 && Number.isFinite(priorStrength)))
      throw new FeatureError(
        FeatureErrorCode.BAD_OPTION,
        `ratingPriorStrength must be ≥ 0, got ${priorStrength}`,
      );
    let sum = 0;
    let count = 0;
    for (const r of records) {
      sum += r.ratingSum;
      count += r.ratingCount;
    }
    const globalMean = count > 0 ? sum / count : Number.NaN;
    const tagOptions: TagEncoding = options.tags ?? { encoding: 'vocabulary', minCount: 2, maxSize: 100 };
    const tags =
      tagOptions.encoding === 'hashing'
        ? new HashingEncoder(tagOptions.buckets, tagOptions.seed ?? 0)
        : MultiHotEncoder.fit(
            records.map((r) => r.tags),
            { minCount: tagOptions.minCount, maxSize: tagOptions.maxSize },
          );
    return new ServiceFeaturePipeline(recordOptions(options.recordOptions), {
      globalMean,
      priorStrength,
      numeric: NumericBlock.fit(numericSpecs(globalMean, priorStrength), records),
      categories: MultiHotEncoder.fit(
        records.map((r) => r.categories),
        options.categories,
      ),
      tags,
      itemId:
        options.itemIds === false
          ? null
          : CategoricalVocabulary.fit(
              records.filter((r) => r.interactions > 0).map((r) => r.id),
              options.itemIds,
            ),
      provider: CategoricalVocabulary.fit(
        records.map((r) => r.provider),
        options.providers,
      ),
      pricingModel: CategoricalVocabulary.ofValues(PRICING_MODELS),
      priceTier: CategoricalVocabulary.fit(
        records.map((r) => (Number.isInteger(r.priceTier) ? String(r.priceTier) : null)),
      ),
    });
  }

  /** μ of the shrunk mean rating (NaN without training ratings). */
  get globalMeanRating(): number {
    return this.p.globalMean;
  }

  scaler(name: string) {
    return this.p.numeric.scaler(name);
  }

  raw(name: string, record: ServiceRecord): number {
    return this.p.numeric.raw(name, record);
  }

  get categories(): MultiHotEncoder {
    return this.p.categories;
  }

  transform(
    r: ServiceRecord,
    dense: Float32Array,
    denseOffset: number,
    categorical: Int32Array,
    categoricalOffset: number,
  ): void {
    checkRow(this.schema, dense, denseOffset, categorical, categoricalOffset);
    const p = this.p;
    p.numeric.encode(r, dense, denseOffset);
    dense[denseOffset + this.freeTierOffset] = r.freeTier ? 1 : 0;
    p.categories.encode(r.categories, dense, denseOffset + this.categoriesOffset);
    p.tags.encode(r.tags, dense, denseOffset + this.tagsOffset);
    let c = categoricalOffset;
    if (p.itemId) categorical[c++] = p.itemId.indexOf(r.id);
    categorical[c++] = p.provider.indexOf(r.provider);
    categorical[c++] = p.pricingModel.indexOf(r.pricingModel);
    categorical[c] = p.priceTier.indexOf(Number.isInteger(r.priceTier) ? String(r.priceTier) : null);
  }

  transformAll(records: readonly ServiceRecord[]): FeatureMatrix {
    return transformAll(this, records);
  }

  toJSON(): { [key: string]: Json } {
    const p = this.p;
    return {
      kind: 'service-feature-pipeline',
      formatVersion: FEATURE_STATE_VERSION,
      recordOptions: recordOptionsToJSON(this.recordOptions),
      globalMean: nanToNull(p.globalMean),
      priorStrength: p.priorStrength,
      numeric: p.numeric.toJSON(),
      categories: p.categories.toJSON(),
      tags: p.tags.toJSON(),
      itemId: p.itemId ? p.itemId.toJSON() : null,
      provider: p.provider.toJSON(),
      pricingModel: p.pricingModel.toJSON(),
      priceTier: p.priceTier.toJSON(),
    };
  }

  static fromJSON(json: unknown): ServiceFeaturePipeline {
    const r = StateReader.open(json, 'service-feature-pipeline');
    const globalMean = r.numberOrNaN('globalMean');
    const priorStrength = r.number('priorStrength');
    const tags = r.child('tags') as { kind?: unknown } | null;
    const itemId = r.child('itemId');
    return new ServiceFeaturePipeline(recordOptionsFromJSON(r.child('recordOptions')), {
      globalMean,
      priorStrength,
      numeric: NumericBlock.fromJSON(numericSpecs(globalMean, priorStrength), r.child('numeric')),
      categories: MultiHotEncoder.fromJSON(r.child('categories')),
      tags: tags?.kind === 'hashing-encoder' ? HashingEncoder.fromJSON(tags) : MultiHotEncoder.fromJSON(tags),
      itemId: itemId === null ? null : CategoricalVocabulary.fromJSON(itemId),
      provider: CategoricalVocabulary.fromJSON(r.child('provider')),
      pricingModel: CategoricalVocabulary.fromJSON(r.child('pricingModel')),
      priceTier: CategoricalVocabulary.fromJSON(r.child('priceTier')),
    });
  }
}
