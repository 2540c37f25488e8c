import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createModel, isModelName, loadModel, MODEL_NAMES, type FitProgress } from '@recsys/models';
import { NeuMfModel } from '../src';
import { describeModelContract } from '../../models/test/support/contract-suite';
import { blockDataset } from '../../models/test/support/block-dataset';

/** Small and quick: the block dataset has 25 users and 20 items. */
const SMALL = {
  gmfDim: 2,
  mlpEmbeddingDim: 2,
  mlpLayers: [8, 4],
  dropout: [0, 0],
  epochs: 20,
  batchSize: 64,
  learningRate: 0.01,
  validation: false,
};

describeModelContract('neumf', () => new NeuMfModel(), {
  params: SMALL,
  personalized: true,
  servesColdUsers: false,
});

describe('neumf: training', () => {
  const data = blockDataset();

  it('keeps tf.memory().numTensors flat across epochs and frees the optimizer', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const model = new NeuMfModel();
    await model.fit(
      data,
      { ...SMALL, epochs: 6, validation: true, validationNegatives: 5, patience: 10 },
      { onProgress: (p) => p.epoch !== undefined && counts.push(tf.memory().numTensors) },
    );
    expect(counts).toHaveLength(6);
    expect(new Set(counts.slice(1)).size).toBe(1);
    // What stays is the network's weights: 4 embeddings, 2 dense layers × 2, the prediction layer × 2.
    expect(tf.memory().numTensors - before).toBe(10);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('repeats exactly from a seed and differs with another', async () => {
    const fit = async (seed: number) => {
      const m = new NeuMfModel();
      await m.fit(data, { ...SMALL, epochs: 3, dropout: [0.3, 0.1], seed });
      const scores = m.scoreAll(3);
      m.dispose();
      return scores;
    };
    const a = await fit(5);
    expect(await fit(5)).toEqual(a);
    expect(await fit(6)).not.toEqual(a);
  });

  it('reports loss and the validation metric per epoch, stops early and keeps the best epoch', async () => {
    const progress: FitProgress[] = [];
    const model = new NeuMfModel();
    await model.fit(
      data,
      { ...SMALL, epochs: 30, validation: true, validationNegatives: 5, validationK: 1, patience: 2 },
      { onProgress: (p) => progress.push(p) },
    );
    const epochs = progress.filter((p) => p.epoch !== undefined);
    expect(epochs.length).toBeGreaterThan(0);
    for (const p of epochs) {
      expect(Number.isFinite(p.loss)).toBe(true);
      expect(p.metric?.name).toBe('hr@1');
    }
    const result = model.training;
    expect(result).not.toBeNull();
    if (result === null) return;
    expect(result.stoppedEarly).toBe(true);
    expect(result.history.length).toBeLessThan(30);
    const best = Math.max(...result.history.map((h) => h.metric?.value ?? 0));
    expect(result.bestMetric).toBe(best);
    expect(result.history[result.bestEpoch - 1].metric?.value).toBe(best);
    model.dispose();
  });

  it('writes the best weights to a checkpoint folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'neumf-ckpt-'));
    const model = new NeuMfModel({ checkpointDir: path.join(dir, 'best') });
    await model.fit(data, { ...SMALL, epochs: 2 });
    expect((await readdir(path.join(dir, 'best'))).sort()).toEqual(['checkpoint.json', 'weights.bin']);
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('registers with the model registry on import and saves model.onnx beside the artifact', async () => {
    expect(isModelName('neumf')).toBe(true);
    expect(MODEL_NAMES).toContain('neumf');
    const model = createModel('neumf');
    await model.fit(data, { ...SMALL, epochs: 2 });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'neumf-artifact-'));
    await model.save(dir);
    expect(await readdir(dir)).toContain('model.onnx');
    const loaded = await loadModel(dir);
    expect(loaded).toBeInstanceOf(NeuMfModel);
    expect(loaded.scoreAll(4)).toEqual(model.scoreAll(4));
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects dropout rates that do not match the MLP layers', async () => {
    await expect(new NeuMfModel().fit(data, { mlpLayers: [8, 4], dropout: [0.1] })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
  });
});
