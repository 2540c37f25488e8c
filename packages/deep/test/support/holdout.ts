import {
  applySplit,
  rowOf,
  stratifiedHoldout,
  userItemMatrix,
  type InteractionDataset,
  type InteractionLog,
} from '@recsys/data';
import { ndcgAtK } from '@recsys/metrics';
import type { Recommender } from '@recsys/models';

/** The training package's `holdout` protocol: 25% of each user's events held out, seed 42. */
export function holdoutSplit(
  data: InteractionDataset,
  seed = 42,
): { train: InteractionDataset; test: InteractionLog } {
  const split = stratifiedHoldout(data.log, { testFraction: 0.25, seed, nUsers: data.users.size });
  const { train, test } = applySplit(data.log, split);
  return { train: { ...data, log: train }, test };
}

/**
 * NDCG@k over full ranking as @recsys/training's evaluateFullRanking computes it: each test user with
 * training history gets the model's top k of the items outside their training data; relevant = their
 * test items. (Reimplemented here so @recsys/deep does not depend on @recsys/training, which will import it.)
 */
export function holdoutNdcg(
  model: Recommender,
  train: InteractionDataset,
  test: InteractionLog,
  k = 10,
): number {
  const testMatrix = userItemMatrix(test, train.users.size, train.items.size, { value: 'binary' });
  let sum = 0;
  let n = 0;
  for (let u = 0; u < train.users.size; u++) {
    const relevant = rowOf(testMatrix, u).indices;
    if (relevant.length === 0 || !model.knowsUser(u)) continue;
    sum += ndcgAtK(model.recommend(u, k, { excludeSeen: true }).items, relevant, k);
    n++;
  }
  return n === 0 ? Number.NaN : sum / n;
}
