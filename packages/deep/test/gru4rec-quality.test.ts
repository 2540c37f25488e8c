import { Gru4RecModel } from '../src';
import { movieLens100k } from '../../models/test/support/movielens';
import { looSampled, looSplit } from './support/loo-sampled';

/**
 * Quality floors on MovieLens 100K's loo-sampled protocol (each user's latest event against 99 sampled
 * unseen items, seed 42) with a small, quick configuration: windows of 30, 32-dim embeddings, one GRU
 * layer of 64, 3 epochs at learning rate 0.01. Measured on the wasm backend: HR@10 = 0.688,
 * NDCG@10 = 0.405, above every classical model (best: ALS 0.652 HR@10, EASE 0.381 NDCG@10); the floors
 * sit below. The default configuration's figures are in bench/sequential.bench.ts.
 */
const FLOORS = { hr: 0.66, ndcg: 0.38 };

it('reaches loo-sampled HR@10 and NDCG@10 floors on ML-100K in a few epochs', async () => {
  const { train, test } = looSplit(movieLens100k());
  const model = new Gru4RecModel();
  await model.fit(train, {
    maxLen: 30,
    embeddingDim: 32,
    layers: [64],
    learningRate: 0.01,
    epochs: 3,
    validation: false,
  });
  const r = looSampled(model, train, test);
  console.log(
    `gru4rec loo-sampled after 3 small epochs: HR@10 ${r.hr.toFixed(4)}, NDCG@10 ${r.ndcg.toFixed(4)}`,
  );
  expect(r.users).toBe(943);
  expect(r.hr).toBeGreaterThanOrEqual(FLOORS.hr);
  expect(r.ndcg).toBeGreaterThanOrEqual(FLOORS.ndcg);
  model.dispose();
});
