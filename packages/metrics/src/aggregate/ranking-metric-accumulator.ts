import {
  intraListDiversityByCategory,
  intraListDiversityByEmbedding,
  type CategoryDistance,
} from '../beyond-accuracy/diversity';
import { coveredShare, ExposureCounter } from '../beyond-accuracy/exposure';
import { giniIndex } from '../beyond-accuracy/gini';
import { type ItemCategories, type ItemEmbeddings } from '../beyond-accuracy/item-features';
import { noveltyOfValidated, type NoveltyOptions } from '../beyond-accuracy/novelty';
import { validatePopularity, type ItemPopularity } from '../beyond-accuracy/popularity';
import {
  describeMetric,
  type MetricDescriptor,
  type MetricName,
  type MetricNeed,
} from '../metric-descriptor';
import { MetricErrorCode, MetricInputError } from '../metric-input-error';
import { averagePrecisionOfGains } from '../ranking/average-precision';
import { hitOfGains } from '../ranking/hit-rate';
import { gainFunction, ndcgOfGains, type NdcgGain } from '../ranking/ndcg';
import { precisionOfGains, recallOfGains } from '../ranking/precision-recall';
import { reciprocalRankOfGains } from '../ranking/reciprocal-rank';
import { gainsAtRanks, relevanceLookup, type Relevance } from '../shared/relevance';
import { validateCatalogSize, validateK } from '../shared/validation';

/** The metrics computed from ranked lists (everything but the score- and rating-based AUC, RMSE, MAE). */
export type ListMetricName = Exclude<MetricName, 'auc' | 'rmse' | 'mae'>;

/** Catalog-level inputs that some list metrics need (see each metric's `needs`). */
export interface EvaluationContext {
  /** Catalog size, for `coverage` and `gini`. */
  readonly numItems?: number;
  /** For `novelty`. */
  readonly popularity?: ItemPopularity;
  /** For `ild_category`. */
  readonly categories?: ItemCategories;
  /** For `ild_embedding`. */
  readonly embeddings?: ItemEmbeddings;
}

export interface RankingMetricAccumulatorOptions {
  /** Metric families, each evaluated at every K in `ks`. */
  readonly metrics: readonly ListMetricName[];
  /** Cutoffs, positive integers. */
  readonly ks: readonly number[];
  /** @defaultValue {} */
  readonly context?: EvaluationContext;
  /** @defaultValue 'linear' (scikit-learn's gains) */
  readonly ndcgGain?: NdcgGain;
  /** @defaultValue 'jaccard' */
  readonly categoryDistance?: CategoryDistance;
  /** @defaultValue {} */
  readonly novelty?: NoveltyOptions;
}

export interface MetricResult {
  readonly descriptor: MetricDescriptor;
  readonly value: number;
}

export interface RankingEvaluation {
  /** One result per metric × K, metrics in option order, then K in option order. */
  readonly results: readonly MetricResult[];
  /** The same values by key (`ndcg@10`). */
  readonly values: Readonly<Record<string, number>>;
  /** Users whose lists were scored. */
  readonly evaluatedUsers: number;
  /** Users passed to `add` with no relevant item: skipped by every metric, including coverage and Gini. */
  readonly skippedUsers: number;
}

function unreachable(value: never): never {
  throw new Error(`unreachable: ${String(value)}`);
}

/** The context entry a metric needs; the constructor has checked it is there. */
function required<T>(value: T | undefined, need: MetricNeed): T {
  if (value === undefined)
    throw new MetricInputError(MetricErrorCode.INVALID_INPUT, `RankingMetricAccumulator: missing ${need}`);
  return value;
}

/**
 * Accumulates per-user ranked lists and returns every requested metric at every K:
 * means over users for per-user metrics (precision, recall, ndcg, map, mrr, hit, novelty, ild_*), and
 * one value over all lists for coverage and gini.
 *
 * Users with empty relevance (no relevant item, or only zero gains) are skipped entirely and counted in
 * `skippedUsers`: recall, AP and NDCG are undefined for them, and averaging in zeros would mix test-set
 * composition into the score (RecBole likewise evaluates only users with test positives).
 *
 * The constructor checks each metric's `needs` against the context and throws on a missing input.
 */
export class RankingMetricAccumulator {
  readonly descriptors: readonly MetricDescriptor[];
  private readonly sums: Float64Array;
  private readonly maxK: number;
  private readonly needsIdealGains: boolean;
  private readonly toGain: (rel: number) => number;
  private readonly exposure = new Map<number, ExposureCounter>();
  private readonly context: EvaluationContext;
  private evaluated = 0;
  private skipped = 0;

  constructor(private readonly options: RankingMetricAccumulatorOptions) {
    const fn = 'RankingMetricAccumulator';
    if (options.metrics.length === 0 || options.ks.length === 0) {
      throw new MetricInputError(MetricErrorCode.INVALID_INPUT, `${fn}: metrics and ks must not be empty`);
    }
    for (const k of options.ks) validateK(k, fn);
    this.context = options.context ?? {};
    const provided = this.providedNeeds();
    this.descriptors = options.metrics.flatMap((name) => options.ks.map((k) => describeMetric(name, k)));
    for (const descriptor of this.descriptors) {
      const missing = descriptor.needs.filter((need) => !provided.has(need));
      if (missing.length > 0) {
        throw new MetricInputError(
          MetricErrorCode.INVALID_INPUT,
          `${fn}: ${descriptor.key} needs ${missing.join(', ')}, which the context does not provide`,
        );
      }
      if (
        descriptor.aggregation === 'overAllLists' &&
        descriptor.k !== undefined &&
        !this.exposure.has(descriptor.k)
      ) {
        this.exposure.set(descriptor.k, new ExposureCounter(this.context.numItems ?? 0, descriptor.k));
      }
    }
    this.sums = new Float64Array(this.descriptors.length);
    this.maxK = Math.max(...options.ks);
    this.needsIdealGains = options.metrics.includes('ndcg');
    this.toGain = gainFunction(options.ndcgGain);
  }

  private providedNeeds(): Set<MetricNeed> {
    const { numItems, popularity, categories, embeddings } = this.context;
    const provided = new Set<MetricNeed>(['rankedList', 'relevance']);
    if (numItems !== undefined) {
      validateCatalogSize(numItems, 'RankingMetricAccumulator');
      provided.add('catalogSize');
    }
    if (popularity !== undefined) {
      validatePopularity(popularity, 'RankingMetricAccumulator');
      provided.add('popularity');
    }
    if (categories !== undefined) provided.add('categories');
    if (embeddings !== undefined) provided.add('embeddings');
    return provided;
  }

  /** Number of users scored so far. */
  get evaluatedUsers(): number {
    return this.evaluated;
  }

  /** Number of users skipped so far for having no relevant item. */
  get skippedUsers(): number {
    return this.skipped;
  }

  /**
   * Adds one user's ranked list (item ids in rank order, best first) and relevance. Returns false, and
   * counts the user as skipped, when the relevance holds no relevant item.
   */
  add(ranked: ArrayLike<number>, relevance: Relevance): boolean {
    const lookup = relevanceLookup(relevance, 'RankingMetricAccumulator.add');
    if (lookup.count === 0) {
      this.skipped++;
      return false;
    }
    const gains = gainsAtRanks(ranked, lookup, this.maxK);
    const idealGains = this.needsIdealGains ? lookup.idealGains() : new Float64Array(0);
    // Compute and validate everything before changing any state, so a rejected list leaves no partial sums.
    const values = this.descriptors.map((descriptor) =>
      this.userValue(descriptor, ranked, gains, idealGains, lookup.count),
    );
    for (const counter of this.exposure.values()) counter.validate(ranked);
    values.forEach((value, d) => (this.sums[d] += value));
    for (const counter of this.exposure.values()) counter.add(ranked);
    this.evaluated++;
    return true;
  }

  private userValue(
    descriptor: MetricDescriptor,
    ranked: ArrayLike<number>,
    gains: Float64Array,
    idealGains: Float64Array,
    relevantCount: number,
  ): number {
    const k = descriptor.k ?? this.maxK;
    const { popularity, categories, embeddings } = this.context;
    const name = descriptor.name;
    switch (name) {
      case 'precision':
        return precisionOfGains(gains, k);
      case 'recall':
        return recallOfGains(gains, relevantCount, k);
      case 'ndcg':
        return ndcgOfGains(gains, idealGains, k, this.toGain);
      case 'map':
        return averagePrecisionOfGains(gains, relevantCount, k);
      case 'mrr':
        return reciprocalRankOfGains(gains, k);
      case 'hit':
        return hitOfGains(gains, k);
      case 'novelty':
        return noveltyOfValidated(ranked, required(popularity, 'popularity'), k, this.options.novelty ?? {});
      case 'ild_category':
        return intraListDiversityByCategory(ranked, required(categories, 'categories'), k, {
          distance: this.options.categoryDistance,
        });
      case 'ild_embedding':
        return intraListDiversityByEmbedding(ranked, required(embeddings, 'embeddings'), k);
      case 'coverage':
      case 'gini':
        return 0; // computed over all lists in `result`
      case 'auc':
      case 'rmse':
      case 'mae':
        throw new MetricInputError(
          MetricErrorCode.INVALID_INPUT,
          `RankingMetricAccumulator: ${name} is not a list metric`,
        );
      default:
        return unreachable(name);
    }
  }

  private overAllLists(descriptor: MetricDescriptor): number {
    const counts = required(
      descriptor.k === undefined ? undefined : this.exposure.get(descriptor.k),
      'catalogSize',
    ).counts;
    switch (descriptor.name) {
      case 'coverage':
        return coveredShare(counts);
      case 'gini':
        return giniIndex(counts);
      default:
        throw new MetricInputError(
          MetricErrorCode.INVALID_INPUT,
          `RankingMetricAccumulator: ${descriptor.key} is not computed over all lists`,
        );
    }
  }

  /**
   * The metrics over the users added so far. Throws MetricInputError `UNDEFINED_METRIC` when no user has
   * been evaluated (every mean would be 0/0).
   */
  result(): RankingEvaluation {
    if (this.evaluated === 0) {
      throw new MetricInputError(
        MetricErrorCode.UNDEFINED_METRIC,
        `RankingMetricAccumulator.result: no user evaluated (${this.skipped} skipped for empty relevance)`,
      );
    }
    const results = this.descriptors.map((descriptor, d): MetricResult => ({
      descriptor,
      value:
        descriptor.aggregation === 'overAllLists'
          ? this.overAllLists(descriptor)
          : this.sums[d] / this.evaluated,
    }));
    const values: Record<string, number> = {};
    for (const { descriptor, value } of results) values[descriptor.key] = value;
    return { results, values, evaluatedUsers: this.evaluated, skippedUsers: this.skipped };
  }
}
