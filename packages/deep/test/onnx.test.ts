import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '@recsys/data';
import { NeuMfModel, neuMfToOnnx, OnnxScorer } from '../src';
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
    await scorer.close();
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
    await expect(scorer.score(Int32Array.from([99]), shared)).rejects.toThrow(RangeError);
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
    await gmf.close();
  });

  it('says when an artifact has no model.onnx', async () => {
    expect(await OnnxScorer.available(os.tmpdir())).toBe(false);
    await expect(OnnxScorer.fromArtifact(os.tmpdir())).rejects.toMatchObject({
      code: 'ONNX_ARTIFACT_MISSING',
    });
  });
});
