import * as ort from 'onnxruntime-node';
import { Rng } from '@recsys/data';
import {
  ctrSplit,
  DcnV2Model,
  FactorizationMachineModel,
  LogisticRegressionModel,
  NfmModel,
  OnnxScorer,
  WideDeepModel,
  type FeatureRows,
} from '../src';
import { blockDataset } from '../../models/test/support/block-dataset';
import { ctrDataset } from './support/ctr-dataset';

interface Exportable {
  fit(data: ReturnType<typeof blockDataset>, params: object): Promise<unknown>;
  fitCtr(data: object, params: object): Promise<unknown>;
  scorePairs(users: Int32Array, items: Int32Array): Float32Array;
  predictCtr(rows: FeatureRows): Float32Array;
  toOnnx(form?: 'ranking' | 'rows'): Uint8Array;
  weights(): Record<string, Float32Array>;
  trainedNetwork: { input: { layout: { denseWidth: number; cardinalities: number[] } } };
  dispose(): void;
}

const TRAIN = { epochs: 3, batchSize: 32, learningRate: 0.01, validation: false };
/** Every model, with dropout on where it has any (the graphs must be the inference pass) and both W&D cross kinds. */
const CASES: [string, () => Exportable, object][] = [
  ['lr', () => new LogisticRegressionModel(), {}],
  ['fm', () => new FactorizationMachineModel(), { embeddingDim: 5 }],
  [
    'wide-deep, exact crosses',
    () => new WideDeepModel(),
    { embeddingDim: 4, deepLayers: [16, 8], dropout: [0.5, 0.2] },
  ],
  [
    'wide-deep, hashed crosses',
    () => new WideDeepModel(),
    { embeddingDim: 3, deepLayers: [8], dropout: [0.3], crossHashBits: 4 },
  ],
  ['nfm', () => new NfmModel(), { embeddingDim: 6, layers: [8, 4], dropout: [0.3, 0], biDropout: 0.4 }],
  [
    'dcn-v2, full rank, parallel',
    () => new DcnV2Model(),
    { embeddingDim: 4, deepLayers: [12], dropout: [0.3] },
  ],
  [
    'dcn-v2, low rank, stacked',
    () => new DcnV2Model(),
    {
      embeddingDim: 4,
      crossRank: 3,
      crossLayers: 2,
      structure: 'stacked',
      deepLayers: [12, 6],
      dropout: [0.2, 0],
    },
  ],
];

function worstGap(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
  return worst;
}

/** Random rows in a layout: dense N(0, 1.5²) (and some exact zeros), categorical uniform over each field. */
function randomRows(
  layout: { denseWidth: number; cardinalities: number[] },
  n: number,
  rng: Rng,
): FeatureRows {
  const dense = Float32Array.from({ length: n * layout.denseWidth }, () =>
    rng.next() < 0.2 ? 0 : rng.normal() * 1.5,
  );
  const c = layout.cardinalities.length;
  const categorical = Int32Array.from({ length: n * c }, (_, k) => rng.int(layout.cardinalities[k % c]));
  return { size: n, dense, categorical };
}

async function runRows(bytes: Uint8Array, rows: FeatureRows, c: number, d: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({
    dense: new ort.Tensor('float32', rows.dense, [rows.size, d]),
    categorical: new ort.Tensor(
      'int64',
      BigInt64Array.from(rows.categorical, (v) => BigInt(v)),
      [rows.size, c],
    ),
  });
  const scores = out.score.data as Float32Array;
  await session.release();
  return scores;
}

describe.each(CASES)('%s: ONNX export agrees with TensorFlow.js within 1e-4', (_label, create, params) => {
  it('as a ranking model: the user × item graph (OnnxScorer) on random pairs, the rows graph on random rows', async () => {
    const data = blockDataset();
    const model = create();
    await model.fit(data, { ...TRAIN, ...params });
    // Every weight moved from its initial value (zero-initialised ones included), so each one's graph
    // path is exercised by the comparison.
    for (const w of Object.values(model.weights()))
      expect(Math.max(...Array.from(w, Math.abs))).toBeGreaterThan(1e-4);
    const rng = new Rng(11);
    const n = 400;
    const users = Int32Array.from({ length: n }, () => rng.int(24));
    const items = Int32Array.from({ length: n }, () => rng.int(data.items.size));
    const scorer = await OnnxScorer.fromFile(model.toOnnx('ranking'), data.users.size, data.items.size);
    expect(worstGap(scorer.score(users, items, 1), model.scorePairs(users, items))).toBeLessThan(1e-4);
    scorer.close();

    const layout = model.trainedNetwork.input.layout;
    const rows = randomRows(layout, 300, rng);
    const onnx = await runRows(model.toOnnx('rows'), rows, layout.cardinalities.length, layout.denseWidth);
    expect(worstGap(onnx, model.predictCtr(rows))).toBeLessThan(1e-4);
    model.dispose();
  });

  it('as a ctr model: the user × item graph scores with the neutral context', async () => {
    const data = ctrDataset();
    const split = ctrSplit(data, { seed: 3 });
    const model = create();
    await model.fitCtr(
      { dataset: data, train: split.train, validation: split.validation },
      { ...TRAIN, ...params },
    );
    const rng = new Rng(12);
    const users = Int32Array.from({ length: 200 }, () => rng.int(data.users.size));
    const items = Int32Array.from({ length: 200 }, () => rng.int(data.items.size));
    const scorer = await OnnxScorer.fromFile(model.toOnnx('ranking'), data.users.size, data.items.size);
    expect(worstGap(scorer.score(users, items, 1), model.scorePairs(users, items))).toBeLessThan(1e-4);
    scorer.close();
    model.dispose();
  });
});
