import { NeuMfModel } from '../src';
import { holdoutNdcg, holdoutSplit } from './support/holdout';
import { movieLens100k } from '../../models/test/support/movielens';

/**
 * A quality floor on MovieLens 100K's holdout protocol with a small, quick configuration (the real
 * quality run, the full architecture for many epochs, is bench/neumf.bench.ts). Measured on the
 * wasm backend: NDCG@10 = 0.392 after these 3 epochs (about 15 s); the floor sits below it.
 */
const QUALITY_FLOOR = 0.36;

it('reaches a holdout NDCG@10 floor on ML-100K in a few epochs', async () => {
  const { train, test } = holdoutSplit(movieLens100k());
  const model = new NeuMfModel();
  await model.fit(train, {
    gmfDim: 16,
    mlpEmbeddingDim: 16,
    mlpLayers: [32, 16],
    dropout: [0.2, 0],
    epochs: 3,
    batchSize: 1024,
    learningRate: 0.005,
    validation: false,
  });
  const ndcg = holdoutNdcg(model, train, test);
  console.log(`neumf holdout ndcg@10 after 3 small epochs: ${ndcg.toFixed(4)}`);
  expect(ndcg).toBeGreaterThanOrEqual(QUALITY_FLOOR);
  model.dispose();
});
