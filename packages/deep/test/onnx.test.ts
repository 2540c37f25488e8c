import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '@recsys/data';
import { NeuMfModel, neuMfToOnnx, OnnxScorer } from '../src';
import { intAttr, OnnxGraphBuilder, tensorInfo } from '../src/onnx/onnx-graph';
import { OnnxDataType } from '../src/onnx/onnx-schema';
import { blockDataset } from '../../models/test/support/block-dataset';

describe('neumf ONNX export and OnnxScorer', () => {
  const data = blockDataset();
  let model: NeuMfModel;
  let dir: string;
  let scorer: OnnxScorer;

  beforeAll(async () => {
    model = new NeuMfModel();
    // Several layers and dropout in training: the exported graph must be the inference pass.
    await model.fit(data, {
      gmfDim: 6,
      mlpEmbeddingDim: 5,
      mlpLayers: [12, 7, 3],
      dropout: [0.5, 0.3, 0],
      epochs: 3,
      batchSize: 32,
      validation: false,
    });
    dir = await mkdtemp(path.join(os.tmpdir(), 'neumf-onnx-'));
    await model.save(dir);
    scorer = await OnnxScorer.fromArtifact(dir);
  });

  afterAll(async () => {
    scorer.close();
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('agrees with TensorFlow.js within 1e-4 on random pairs', async () => {
    const rng = new Rng(3);
    const n = 500;
    const users = Int32Array.from({ length: n }, () => rng.int(24)); // users with history
    const items = Int32Array.from({ length: n }, () => rng.int(data.items.size));
    const tfjs = model.scorePairs(users, items);
    const onnx = await scorer.score(users, items, 1);
    let worst = 0;
    for (let k = 0; k < n; k++) worst = Math.max(worst, Math.abs(tfjs[k] - onnx[k]));
    expect(worst).toBeLessThan(1e-4);
  });

  it('scores one user over all items as scoreAll does', async () => {
    const onnx = await scorer.scoreAll(7);
    const tfjs = model.scoreAll(7);
    expect(onnx.length).toBe(data.items.size);
    for (let i = 0; i < onnx.length; i++) expect(Math.abs(onnx[i] - tfjs[i])).toBeLessThan(1e-4);
  });

  it('scores users × shared candidates and users × their own candidates', async () => {
    const users = Int32Array.from([1, 2, 3]);
    const shared = Int32Array.from([0, 5, 9, 19]);
    const a = await scorer.score(users, shared);
    expect(a.length).toBe(12);
    for (let u = 0; u < 3; u++) {
      const own = model.score(users[u], shared);
      for (let j = 0; j < 4; j++) expect(Math.abs(a[u * 4 + j] - own[j])).toBeLessThan(1e-4);
    }
    const perUser = Int32Array.from([0, 1, 2, 3, 4, 5]);
    const b = await scorer.score(Int32Array.from([1, 2]), perUser, 3);
    expect(Math.abs(b[4] - model.score(2, Int32Array.from([4]))[0])).toBeLessThan(1e-4);
    expect(() => scorer.score(Int32Array.from([99]), shared)).toThrow(RangeError);
    expect(() => scorer.score(Int32Array.from([1]), Int32Array.from([data.items.size]))).toThrow(RangeError);
  });

  it('gives the same scores when a request is cut into many small calls', async () => {
    const small = await OnnxScorer.fromArtifact(dir, { pairsPerRun: 7 });
    const users = Int32Array.from([3, 1, 4, 1, 5]);
    const own = Int32Array.from({ length: 5 * 3 }, (_, k) => (k * 7) % data.items.size);
    const shared = Int32Array.from([2, 11, 17]);
    const same = (a: Float32Array, b: Float32Array) => {
      expect(a.length).toBe(b.length);
      for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-6);
    };
    same(small.score(users, own, 3), scorer.score(users, own, 3)); // groups of 2 users
    same(small.score(users, shared), scorer.score(users, shared));
    same(small.scoreAll(9), scorer.scoreAll(9)); // 20 items in blocks of 7
    expect(small.score(Int32Array.from([]), shared)).toHaveLength(0);
    small.close();
  });

  it('serves the model itself through ONNX Runtime once a scorer is attached', async () => {
    const served = await new NeuMfModel().loadFrom(dir);
    const tfjs = { all: served.scoreAll(4), some: served.score(4, Int32Array.from([3, 8, 1])) };
    const top = served.recommend(4, 5);
    served.useOnnxScorer(await OnnxScorer.fromArtifact(dir));
    expect(served.scoringRuntime).toBe('onnx');
    const all = served.scoreAll(4);
    for (let i = 0; i < all.length; i++) expect(Math.abs(all[i] - tfjs.all[i])).toBeLessThan(1e-4);
    const some = served.score(4, Int32Array.from([3, 8, 1]));
    for (let j = 0; j < 3; j++) expect(Math.abs(some[j] - tfjs.some[j])).toBeLessThan(1e-4);
    // recommend (seen items excluded) runs on the ONNX scores.
    expect(Array.from(served.recommend(4, 5).items)).toEqual(Array.from(top.items));
    const other = new NeuMfModel();
    await other.fit(data, {
      gmfDim: 2,
      mlpEmbeddingDim: 2,
      mlpLayers: [4],
      dropout: [0],
      epochs: 1,
      validation: false,
    });
    const small = await OnnxScorer.fromFile(neuMfToOnnx(other.architecture(), other.weights()), 3, 5);
    expect(() => served.useOnnxScorer(small)).toThrow(/ONNX graph is 3 × 5/);
    small.close();
    other.dispose();
    served.useOnnxScorer(null);
    expect(served.scoringRuntime).toBe('tfjs');
    served.dispose();
  });

  it('builds a graph without an MLP branch (pure GMF)', async () => {
    const arch = { ...model.architecture(), mlpLayers: [], dropout: [] };
    const weights = model.weights();
    weights.prediction_kernel = weights.prediction_kernel.slice(0, arch.gmfDim);
    const bytes = neuMfToOnnx(arch, weights);
    const gmf = await OnnxScorer.fromFile(bytes, arch.users, arch.items);
    const s = await gmf.scoreAll(0);
    const h = weights.prediction_kernel;
    let logit = weights.prediction_bias[0];
    for (let f = 0; f < arch.gmfDim; f++)
      logit += weights.gmf_user_embedding[f] * weights.gmf_item_embedding[f] * h[f];
    expect(Math.abs(s[0] - 1 / (1 + Math.exp(-logit)))).toBeLessThan(1e-5);
    gmf.close();
  });

  it("scores a graph of int64 (user, item) pairs, the feature models' ranking layout", async () => {
    // score = U[user] + I[item], 3 users × 4 items.
    const g = new OnnxGraphBuilder('pairs');
    g.float('u', [3, 1], Float32Array.from([0, 10, 20]));
    g.float('i', [4, 1], Float32Array.from([1, 2, 3, 4]));
    g.op('Gather', ['u', 'user'], 'gu', [intAttr('axis', 0)]);
    g.op('Gather', ['i', 'item'], 'gi', [intAttr('axis', 0)]);
    g.op('Add', ['gu', 'gi'], 'sum');
    g.reshape('sum', [-1], 'score');
    const bytes = g.build({
      graphName: 'pairs',
      docString: 'test',
      inputs: [tensorInfo('user', OnnxDataType.INT64, ['N']), tensorInfo('item', OnnxDataType.INT64, ['N'])],
      outputs: [tensorInfo('score', OnnxDataType.FLOAT, ['N'])],
    });
    const pairs = await OnnxScorer.fromFile(bytes, 3, 4, { pairsPerRun: 5 });
    expect(Array.from(pairs.scoreAll(2))).toEqual([21, 22, 23, 24]);
    expect(Array.from(pairs.score(Int32Array.from([1, 2]), Int32Array.from([3, 0])))).toEqual([
      14, 11, 24, 21,
    ]);
    expect(
      Array.from(pairs.score(Int32Array.from([0, 1, 2]), Int32Array.from([0, 1, 2, 3, 0, 1]), 2)),
    ).toEqual([1, 2, 13, 14, 21, 22]);
    pairs.close();
  });

  it('refuses bytes that are no ONNX graph with ONNX_ARTIFACT_MISSING', async () => {
    await expect(OnnxScorer.fromFile(Uint8Array.from([1, 2, 3]), 2, 2)).rejects.toMatchObject({
      code: 'ONNX_ARTIFACT_MISSING',
    });
  });

  it('says when an artifact has no model.onnx', async () => {
    expect(await OnnxScorer.available(os.tmpdir())).toBe(false);
    await expect(OnnxScorer.fromArtifact(os.tmpdir())).rejects.toMatchObject({
      code: 'ONNX_ARTIFACT_MISSING',
    });
  });
});
