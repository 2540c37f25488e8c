import {
  applySplit,
  buildDatasetFromRows,
  resolveSource,
  rowOf,
  stratifiedHoldout,
  userItemMatrix,
  type InteractionDataset,
  type InteractionLog,
} from '@recsys/data';
import { ImportIssues } from '@recsys/db';
import { ndcgAtK } from '@recsys/metrics';
import type { Recommender } from '@recsys/models';

let cached: Promise<InteractionDataset> | null = null;

/** MovieLens 100K with its side data (genres as categories), read from RECSYS_DATASETS_DIR as `recsys evaluate` reads it. */
export function movieLens100k(): Promise<InteractionDataset> {
  cached ??= (async () => {
    const issues = new ImportIssues();
    const dataset = await buildDatasetFromRows('ml-100k', resolveSource('ml-100k').rows(issues));
    if (issues.count > 0) throw new Error(`ml-100k: ${issues.count} import issues`);
    return dataset;
  })();
  return cached;
}

/** The training package's `holdout` protocol split: 25% of each user's events held out, seed 42. */
export function holdoutSplit(
  data: InteractionDataset,
  seed = 42,
): { train: InteractionDataset; test: InteractionLog } {
  const split = stratifiedHoldout(data.log, { testFraction: 0.25, seed, nUsers: data.users.size });
  const { train, test } = applySplit(data.log, split);
  return { train: { ...data, log: train }, test };
}

/**
 * NDCG@k over full ranking as @recsys/training's evaluateFullRanking computes it (reimplemented:
 * @recsys/ensembles must not depend on @recsys/training, which imports it).
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
