import { buildDatasetFromRows, movieLens100k, type InteractionDataset } from '@recsys/data';
import { ImportIssues } from '@recsys/db';
import { createModel } from '@recsys/models';
import { ctrScores, ctrSplit, type CtrRecommender, type CtrSplit } from '../src';

/**
 * Quality floors of the feature models on MovieLens 100K's ctr protocol (label = rating ≥ 4, seeded
 * 80/10/10 split, seed 42), each in a small configuration trained for 2–3 epochs (a few seconds each).
 * The comparison of the default architectures, where Wide & Deep, NFM and DCN-v2 beat LR and FM, is
 * bench/feature-models.bench.ts. Measured here on the wasm backend (AUC / log loss): lr 0.7746 / 0.5651,
 * fm 0.7795 / 0.5605, wide-deep 0.7873 / 0.5498, nfm 0.7787 / 0.5585, dcn-v2 0.7894 / 0.5470; the floors
 * sit about 0.005 under (and the log-loss ceilings 0.005 over). A constant prediction of the training
 * positive rate scores AUC 0.5 and log loss ≈ 0.687 (55.4% of ratings are ≥ 4).
 */
const QUICK: [string, Record<string, unknown>, { auc: number; logloss: number }][] = [
  ['lr', { epochs: 3 }, { auc: 0.77, logloss: 0.57 }],
  ['fm', { epochs: 3, embeddingDim: 8 }, { auc: 0.775, logloss: 0.565 }],
  [
    'wide-deep',
    { epochs: 2, embeddingDim: 8, deepLayers: [64, 32], dropout: [0.3, 0.3] },
    { auc: 0.782, logloss: 0.555 },
  ],
  ['nfm', { epochs: 3, embeddingDim: 16, layers: [32], dropout: [0.2] }, { auc: 0.774, logloss: 0.563 }],
  ['dcn-v2', { epochs: 2, crossLayers: 2, deepLayers: [64], dropout: [0.3] }, { auc: 0.784, logloss: 0.552 }],
];

let dataset: InteractionDataset;
let split: CtrSplit;

beforeAll(async () => {
  dataset = await buildDatasetFromRows('ml-100k', movieLens100k().rows(new ImportIssues()));
  split = ctrSplit(dataset, { seed: 42 });
});

it.each(QUICK)('%s reaches its AUC and log-loss floors on ML-100K ctr', async (name, params, floor) => {
  const model = createModel(name) as CtrRecommender & { dispose(): void };
  await model.fitCtr({ dataset, train: split.train, validation: split.validation }, params);
  const s = ctrScores(model.ctrRows(dataset, split.test), (rows) => model.predictCtr(rows));
  console.log(`${name} ctr test AUC ${s.auc.toFixed(4)}, log loss ${s.logloss.toFixed(4)}`);
  expect(s.rows).toBe(10_000);
  expect(s.auc).toBeGreaterThanOrEqual(floor.auc);
  expect(s.logloss).toBeLessThanOrEqual(floor.logloss);
  model.dispose();
});
