import { createModel, type ModelName } from '@recsys/models';
import {
  DEFAULT_PROTOCOL_OPTIONS,
  evaluateModel,
  loadDataset,
  movieLens100kFolds,
  type EvaluationResult,
  type PredefinedFolds,
} from '../src';
import type { InteractionDataset } from '@recsys/data';

/*
 * Regression floors on real data, through the evaluation harness `recsys evaluate` uses. Each floor sits a
 * little under what the model reached when it was written (README: Results); published numbers for the
 * same protocols are in the comments. Timings are never asserted here: they live in `npm run bench`.
 */

let ml100k: InteractionDataset;
let folds: PredefinedFolds;

beforeAll(async () => {
  ml100k = await loadDataset('ml-100k');
  folds = await movieLens100kFolds(ml100k);
});

async function holdout(model: ModelName): Promise<EvaluationResult> {
  return evaluateModel(ml100k, () => createModel(model), {
    protocol: 'holdout',
    options: DEFAULT_PROTOCOL_OPTIONS,
  });
}

async function cv5(model: ModelName): Promise<EvaluationResult> {
  return evaluateModel(ml100k, () => createModel(model), {
    protocol: 'cv5',
    options: DEFAULT_PROTOCOL_OPTIONS,
    predefined: folds,
  });
}

describe('MovieLens 100K, holdout (per-user stratified 75/25, full ranking, K = 10)', () => {
  // Microsoft Recommenders on this protocol: BiVAE 0.475, BPR 0.442, NCF 0.396, SAR 0.382.
  it.each([
    ['als', 0.47],
    ['ease', 0.465],
    ['truncated-svd', 0.44],
    ['item-knn', 0.41],
  ] as const)('%s reaches NDCG@10 >= %f', async (model, floor) => {
    const r = await holdout(model);
    expect(r.evaluated).toBe(943);
    expect(r.metrics['ndcg@10']).toBeGreaterThanOrEqual(floor);
    expect(r.metrics['precision@10']).toBeGreaterThan(0.3);
  });

  it('popularity is the floor every personalised model clears', async () => {
    const pop = await holdout('popularity');
    expect(pop.metrics['ndcg@10']).toBeGreaterThan(0.2);
    expect(pop.metrics['ndcg@10']).toBeLessThan(0.3);
    // One list for everyone: a tiny share of the catalog.
    expect(pop.metrics['coverage@10']).toBeLessThan(0.05);
  });
});

describe('MovieLens 100K, cv5 (GroupLens folds u1..u5, rating prediction)', () => {
  // Surprise 1.1: SVD 0.934 / 0.737, SVD++ 0.919 / 0.721, NMF 0.963 / 0.758.
  it('svd reaches RMSE < 0.92 and MAE < 0.725', async () => {
    const r = await cv5('svd');
    expect(r.folds).toBe(5);
    expect(r.evaluated).toBe(100000);
    expect(r.metrics.rmse).toBeLessThan(0.92);
    expect(r.metrics.mae).toBeLessThan(0.725);
  });

  it('nmf reaches RMSE < 0.945', async () => {
    const r = await cv5('nmf');
    expect(r.metrics.rmse).toBeLessThan(0.945);
    expect(r.metrics.mae).toBeLessThan(0.755);
  });
});
