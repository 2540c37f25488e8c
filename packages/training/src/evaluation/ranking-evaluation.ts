import {
  itemCategoriesFromSets,
  itemPopularityFromHistories,
  RankingMetricAccumulator,
  type EvaluationContext,
  type ListMetricName,
} from '@recsys/metrics';
import {
  rowOf,
  UniformNegativeSampler,
  userItemMatrix,
  type CsrMatrix,
  type InteractionDataset,
  type InteractionLog,
} from '@recsys/data';
import type { Recommender } from '@recsys/models';

export interface RankingFoldResult {
  metrics: Record<string, number>;
  evaluatedUsers: number;
  /** Test users the model has no training history for (cold start): not scored. */
  coldUsers: number;
}

/** Metrics of a full-ranking fold: accuracy at K plus what the catalog sees. */
const FULL_RANKING_METRICS: ListMetricName[] = [
  'precision',
  'recall',
  'ndcg',
  'map',
  'mrr',
  'hit',
  'coverage',
  'gini',
  'novelty',
];
/** Metrics of the sampled protocol, as the NeuMF and SASRec papers report them. */
const SAMPLED_METRICS: ListMetricName[] = ['hit', 'ndcg', 'mrr'];

function catalogContext(
  train: InteractionDataset,
  trainMatrix: CsrMatrix,
): { context: EvaluationContext; withCategories: boolean } {
  const histories: Int32Array[] = [];
  for (let u = 0; u < trainMatrix.rows; u++) histories.push(rowOf(trainMatrix, u).indices);
  const context: EvaluationContext = {
    numItems: train.items.size,
    popularity: itemPopularityFromHistories(histories, train.items.size),
  };
  const side = train.itemSide;
  if (side && side.categories.values.length > 0) {
    const sets: number[][] = [];
    for (let i = 0; i < train.items.size; i++) {
      sets.push(
        Array.from(
          side.categories.values.subarray(side.categories.offsets[i], side.categories.offsets[i + 1]),
        ),
      );
    }
    return { context: { ...context, categories: itemCategoriesFromSets(sets) }, withCategories: true };
  }
  return { context, withCategories: false };
}

/**
 * Full ranking: every test user with training history gets the model's top-K over all items not in their
 * training data; relevant = their test items (binary). Users without test items are not counted.
 */
export function evaluateFullRanking(
  model: Recommender,
  train: InteractionDataset,
  test: InteractionLog,
  k: number,
): RankingFoldResult {
  const nUsers = train.users.size;
  const nItems = train.items.size;
  const trainMatrix = userItemMatrix(train.log, nUsers, nItems, { value: 'binary' });
  const testMatrix = userItemMatrix(test, nUsers, nItems, { value: 'binary' });
  const { context, withCategories } = catalogContext(train, trainMatrix);
  const accumulator = new RankingMetricAccumulator({
    metrics: withCategories ? [...FULL_RANKING_METRICS, 'ild_category'] : FULL_RANKING_METRICS,
    ks: [k],
    context,
    // An item first seen in the test period has no training popularity: treat it as seen once.
    novelty: { unseenItemCount: 1 },
  });
  let cold = 0;
  for (let u = 0; u < nUsers; u++) {
    const relevant = rowOf(testMatrix, u).indices;
    if (relevant.length === 0) continue;
    if (!model.knowsUser(u)) {
      cold++;
      continue;
    }
    accumulator.add(model.recommend(u, k, { excludeSeen: true }).items, relevant);
  }
  const result = accumulator.result();
  return { metrics: { ...result.values }, evaluatedUsers: result.evaluatedUsers, coldUsers: cold };
}

/**
 * Sampled ranking (leave-one-out, He et al. 2017): each test user's held-out item is ranked against
 * `negatives` items drawn uniformly from those the user never interacted with (training or test).
 * Ties are broken against the held-out item, so a model that scores everything equally gets no credit.
 */
export function evaluateSampledRanking(
  model: Recommender,
  train: InteractionDataset,
  test: InteractionLog,
  k: number,
  negatives: number,
  seed: number,
): RankingFoldResult {
  const nUsers = train.users.size;
  const nItems = train.items.size;
  const all: InteractionLog = {
    length: train.log.length + test.length,
    users: concat(train.log.users, test.users),
    items: concat(train.log.items, test.items),
    values: new Float32Array(train.log.length + test.length),
    timestamps: new Float64Array(train.log.length + test.length),
    types: new Uint8Array(train.log.length + test.length),
  };
  const sampler = new UniformNegativeSampler(userItemMatrix(all, nUsers, nItems, { value: 'binary' }), {
    seed,
  });
  const testMatrix = userItemMatrix(test, nUsers, nItems, { value: 'binary' });
  const accumulator = new RankingMetricAccumulator({ metrics: SAMPLED_METRICS, ks: [k] });
  const candidates = new Int32Array(negatives + 1);
  let cold = 0;
  for (let u = 0; u < nUsers; u++) {
    const held = rowOf(testMatrix, u).indices;
    if (held.length === 0) continue;
    if (!model.knowsUser(u)) {
      cold++;
      continue;
    }
    for (let h = 0; h < held.length; h++) {
      const positive = held[h];
      candidates[0] = positive;
      sampler.sample(u, negatives, candidates.subarray(1));
      const scores = model.score(u, candidates);
      const order = Array.from(candidates.keys()).sort(
        (a, b) => scores[b] - scores[a] || (a === 0 ? 1 : b === 0 ? -1 : a - b),
      );
      accumulator.add(
        order.map((i) => candidates[i]),
        Int32Array.of(positive),
      );
    }
  }
  const result = accumulator.result();
  return { metrics: { ...result.values }, evaluatedUsers: result.evaluatedUsers, coldUsers: cold };
}

function concat(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
