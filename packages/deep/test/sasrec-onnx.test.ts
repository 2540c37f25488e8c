import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NeuMfModel, OnnxSequenceScorer, SasRecModel } from '../src';
import { randomSequences, worstDifference } from './support/random-sequences';
import { shuffledBlockDataset } from './fixtures/shuffled-block';

describe('sasrec ONNX export and OnnxSequenceScorer', () => {
  const data = shuffledBlockDataset();
  const maxLen = 6;
  let model: SasRecModel;
  let dir: string;
  let scorer: OnnxSequenceScorer;

  beforeAll(async () => {
    model = new SasRecModel();
    // Two blocks, two heads and dropout in training: the exported graph must be the inference pass.
    await model.fit(data, {
      maxLen,
      dim: 12,
      blocks: 2,
      heads: 2,
      dropout: 0.3,
      epochs: 5,
      learningRate: 0.01,
      validation: false,
    });
    dir = await mkdtemp(path.join(os.tmpdir(), 'sasrec-onnx-'));
    await model.save(dir);
    scorer = await OnnxSequenceScorer.fromArtifact(dir);
  });

  afterAll(async () => {
    await scorer.close();
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('agrees with TensorFlow.js within 1e-4 on random padded sequences and candidates', async () => {
    const { padded, sequences, candidates } = randomSequences(3, 64, maxLen, data.items.size, 15);
    const onnx = await scorer.scorePadded(padded, candidates, 15);
    expect(onnx).toHaveLength(64 * 15);
    expect(worstDifference(model, sequences, candidates, onnx)).toBeLessThan(1e-4);
  });

  it("scores known users from the artifact's stored histories as score does", async () => {
    const users = Int32Array.from([0, 5, 13, 23]);
    const shared = Int32Array.from([0, 4, 11, 19]);
    const onnx = await scorer.scoreUsers(users, shared);
    users.forEach((u, k) => {
      const tfjs = model.score(u, shared);
      for (let j = 0; j < 4; j++) expect(Math.abs(onnx[k * 4 + j] - tfjs[j])).toBeLessThan(1e-4);
    });
    await expect(scorer.scoreUsers(Int32Array.of(24), shared)).rejects.toThrow(/no stored history/);
  });

  it('scores a session against the whole catalog as scoreSequence does', async () => {
    const onnx = await scorer.scoreSequence([3, 1, 7]);
    const tfjs = model.scoreSequence([3, 1, 7]);
    expect(onnx).toHaveLength(data.items.size);
    for (let i = 0; i < onnx.length; i++) expect(Math.abs(onnx[i] - tfjs[i])).toBeLessThan(1e-4);
  });

  it('scores a row of padding alone as TF.js would: the final norm of zeros, its β, times each item', async () => {
    const candidates = Int32Array.from([0, 7, 19]);
    const onnx = await scorer.scorePadded(new Int32Array(maxLen).fill(-1), candidates, 3);
    const { final_norm_beta: beta, item_embedding: table } = model.weights();
    candidates.forEach((item, j) => {
      let dot = 0;
      for (let f = 0; f < beta.length; f++) dot += beta[f] * table[item * beta.length + f];
      expect(onnx[j]).toBeCloseTo(dot, 5);
    });
  });

  it('exports a single-block, single-head network as well', async () => {
    const small = new SasRecModel();
    await small.fit(data, {
      maxLen,
      dim: 8,
      blocks: 1,
      heads: 1,
      epochs: 2,
      learningRate: 0.01,
      validation: false,
    });
    const single = await OnnxSequenceScorer.fromFile(small.toOnnx(), data.items.size, maxLen);
    const { padded, sequences, candidates } = randomSequences(8, 16, maxLen, data.items.size, 5);
    expect(
      worstDifference(small, sequences, candidates, await single.scorePadded(padded, candidates, 5)),
    ).toBeLessThan(1e-4);
    await single.close();
    small.dispose();
  });

  it('rejects items outside the catalog and empty sessions before running the graph', async () => {
    await expect(scorer.scoreSequence([3, 20])).rejects.toThrow(/item index 20/);
    await expect(scorer.scoreSequence([])).rejects.toThrow(/empty sequence/);
    await expect(scorer.scorePadded(new Int32Array(5), Int32Array.of(1), 1)).rejects.toThrow(/rows × 6/);
  });

  it('refuses an artifact whose graph is not a sequence graph', async () => {
    const neumf = new NeuMfModel();
    await neumf.fit(data, {
      gmfDim: 2,
      mlpEmbeddingDim: 2,
      mlpLayers: [4],
      dropout: [0],
      epochs: 1,
      validation: false,
    });
    const other = await mkdtemp(path.join(os.tmpdir(), 'neumf-not-sequence-'));
    await neumf.save(other);
    await expect(OnnxSequenceScorer.fromArtifact(other)).rejects.toMatchObject({
      code: 'ONNX_ARTIFACT_MISSING',
    });
    neumf.dispose();
    await rm(other, { recursive: true, force: true });
  });
});
