import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NeuMfModel, OnnxSequenceScorer, Gru4RecModel } from '../src';
import { randomSequences, worstDifference } from './support/random-sequences';
import { shuffledBlockDataset } from './fixtures/shuffled-block';

describe('gru4rec ONNX export and OnnxSequenceScorer', () => {
  const data = shuffledBlockDataset();
  const maxLen = 6;
  let model: Gru4RecModel;
  let dir: string;
  let scorer: OnnxSequenceScorer;

  beforeAll(async () => {
    model = new Gru4RecModel();
    // Two stacked GRU layers and dropout in training: the exported graph must be the inference pass.
    await model.fit(data, {
      maxLen,
      embeddingDim: 6,
      layers: [10, 7],
      embeddingDropout: 0.2,
      hiddenDropout: 0.3,
      epochs: 5,
      learningRate: 0.01,
      validation: false,
    });
    dir = await mkdtemp(path.join(os.tmpdir(), 'gru4rec-onnx-'));
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

  it('scores a row of padding alone as the zero state, as TF.js would: the item biases', async () => {
    const candidates = Int32Array.from([0, 7, 19]);
    const onnx = await scorer.scorePadded(new Int32Array(maxLen).fill(-1), candidates, 3);
    const bias = model.weights().output_bias;
    candidates.forEach((item, j) => expect(onnx[j]).toBeCloseTo(bias[item], 6));
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
