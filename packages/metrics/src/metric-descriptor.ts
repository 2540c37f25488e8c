import { MetricErrorCode, MetricInputError } from './metric-input-error';
import { validateK } from './shared/validation';

/**
 * What a metric reads, RecBole-style (`metric_need`), so a harness can tell which inputs to collect:
 * - `rankedList`: each user's recommended item ids in rank order;
 * - `relevance`: each user's relevant items (set) or graded gains (map);
 * - `scores` / `labels`: predicted scores with 0/1 labels; `ratings`: predicted and actual ratings;
 * - `popularity`: users per item (ItemPopularity); `categories`: ItemCategories; `embeddings`: ItemEmbeddings;
 * - `catalogSize`: the number of items in the catalog.
 */
export type MetricNeed =
  | 'rankedList'
  | 'relevance'
  | 'scores'
  | 'labels'
  | 'ratings'
  | 'popularity'
  | 'categories'
  | 'embeddings'
  | 'catalogSize';

/**
 * How per-list values become one number: `meanOverUsers` averages one value per evaluated user;
 * `overAllLists` computes one value from all users' lists together (coverage, Gini);
 * `overAllPredictions` computes one value over all (score, label) or (prediction, rating) pairs.
 */
export type MetricAggregation = 'meanOverUsers' | 'overAllLists' | 'overAllPredictions';

/** The static facts of one metric family. */
export interface MetricDefinition {
  /** Human-readable name for reports. */
  readonly title: string;
  /** true when larger values are better (false for RMSE, MAE, Gini). */
  readonly largerIsBetter: boolean;
  /** Whether the metric is computed at a cutoff K (its key is then `name@K`). */
  readonly usesK: boolean;
  readonly needs: readonly MetricNeed[];
  readonly aggregation: MetricAggregation;
}

const RANKING: readonly MetricNeed[] = ['rankedList', 'relevance'];

/** Every metric of the package by name: the registry a harness iterates over. */
export const METRIC_DEFINITIONS = {
  precision: {
    title: 'Precision',
    largerIsBetter: true,
    usesK: true,
    needs: RANKING,
    aggregation: 'meanOverUsers',
  },
  recall: {
    title: 'Recall',
    largerIsBetter: true,
    usesK: true,
    needs: RANKING,
    aggregation: 'meanOverUsers',
  },
  ndcg: { title: 'NDCG', largerIsBetter: true, usesK: true, needs: RANKING, aggregation: 'meanOverUsers' },
  map: { title: 'MAP', largerIsBetter: true, usesK: true, needs: RANKING, aggregation: 'meanOverUsers' },
  mrr: { title: 'MRR', largerIsBetter: true, usesK: true, needs: RANKING, aggregation: 'meanOverUsers' },
  hit: { title: 'HitRate', largerIsBetter: true, usesK: true, needs: RANKING, aggregation: 'meanOverUsers' },
  auc: {
    title: 'AUC',
    largerIsBetter: true,
    usesK: false,
    needs: ['scores', 'labels'],
    aggregation: 'overAllPredictions',
  },
  rmse: {
    title: 'RMSE',
    largerIsBetter: false,
    usesK: false,
    needs: ['ratings'],
    aggregation: 'overAllPredictions',
  },
  mae: {
    title: 'MAE',
    largerIsBetter: false,
    usesK: false,
    needs: ['ratings'],
    aggregation: 'overAllPredictions',
  },
  coverage: {
    title: 'Catalog coverage',
    largerIsBetter: true,
    usesK: true,
    needs: ['rankedList', 'catalogSize'],
    aggregation: 'overAllLists',
  },
  gini: {
    title: 'Gini index of exposure',
    largerIsBetter: false,
    usesK: true,
    needs: ['rankedList', 'catalogSize'],
    aggregation: 'overAllLists',
  },
  novelty: {
    title: 'Novelty',
    largerIsBetter: true,
    usesK: true,
    needs: ['rankedList', 'popularity'],
    aggregation: 'meanOverUsers',
  },
  ild_category: {
    title: 'Intra-list diversity (categories)',
    largerIsBetter: true,
    usesK: true,
    needs: ['rankedList', 'categories'],
    aggregation: 'meanOverUsers',
  },
  ild_embedding: {
    title: 'Intra-list diversity (embeddings)',
    largerIsBetter: true,
    usesK: true,
    needs: ['rankedList', 'embeddings'],
    aggregation: 'meanOverUsers',
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRIC_DEFINITIONS;

/** One metric at one cutoff, e.g. key `ndcg@10`, name `ndcg`, k 10. */
export interface MetricDescriptor extends MetricDefinition {
  readonly key: string;
  readonly name: MetricName;
  /** The cutoff, or undefined for metrics without one (AUC, RMSE, MAE). */
  readonly k: number | undefined;
}

export function isMetricName(name: string): name is MetricName {
  return Object.prototype.hasOwnProperty.call(METRIC_DEFINITIONS, name);
}

/** The descriptor of `name` at cutoff `k`; `k` is required for metrics with `usesK` and rejected otherwise. */
export function describeMetric(name: MetricName, k?: number): MetricDescriptor {
  const definition: MetricDefinition = METRIC_DEFINITIONS[name];
  if (definition.usesK) {
    if (k === undefined) {
      throw new MetricInputError(
        MetricErrorCode.INVALID_K,
        `describeMetric: ${name} needs a cutoff K (key ${name}@K)`,
      );
    }
    validateK(k, 'describeMetric');
  } else if (k !== undefined) {
    throw new MetricInputError(
      MetricErrorCode.INVALID_K,
      `describeMetric: ${name} takes no cutoff K, got K=${k}`,
    );
  }
  return { ...definition, name, k, key: k === undefined ? name : `${name}@${k}` };
}

/** Parses a key such as `ndcg@10`, `mrr@5` or `rmse` (case-insensitive) into its descriptor. */
export function parseMetricKey(key: string): MetricDescriptor {
  const match = /^([a-z_]+)(?:@(\d+))?$/.exec(key.trim().toLowerCase());
  const name = match?.[1];
  if (match === null || name === undefined || !isMetricName(name)) {
    throw new MetricInputError(
      MetricErrorCode.INVALID_INPUT,
      `parseMetricKey: unknown metric key '${key}' (known: ${Object.keys(METRIC_DEFINITIONS).join(', ')})`,
    );
  }
  return describeMetric(name, match[2] === undefined ? undefined : Number(match[2]));
}
