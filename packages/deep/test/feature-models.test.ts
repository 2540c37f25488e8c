import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { interactionTypeCode } from '@recsys/data';
import { createModel, isModelName, loadModel, type FitProgress } from '@recsys/models';
import {
  ctrScores,
  ctrSplit,
  DcnV2Model,
  FactorizationMachineModel,
  isCtrRecommender,
  LogisticRegressionModel,
  NfmModel,
  OnnxScorer,
  WideDeepModel,
  type FeatureInputRecommender,
  type FeatureRows,
} from '../src';
import { describeModelContract } from '../../models/test/support/contract-suite';
import { blockDataset, blockMissingItem } from '../../models/test/support/block-dataset';
import { ctrDataset } from './support/ctr-dataset';

type AnyFeatureModel = FeatureInputRecommender<never>;

const TRAIN = { epochs: 15, batchSize: 64, learningRate: 0.01, validation: false };
/** Small sizes for the block dataset (25 users, 20 items). */
const SMALL: Record<string, Record<string, unknown>> = {
  lr: { ...TRAIN },
  fm: { ...TRAIN, embeddingDim: 4 },
  'wide-deep': { ...TRAIN, embeddingDim: 4, deepLayers: [16, 8], dropout: [0, 0] },
  nfm: { ...TRAIN, embeddingDim: 4, layers: [8], dropout: [0], biDropout: 0 },
  'dcn-v2': { ...TRAIN, embeddingDim: 4, crossLayers: 2, crossRank: 4, deepLayers: [16], dropout: [0] },
};
const CREATE: Record<string, () => AnyFeatureModel> = {
  lr: () => new LogisticRegressionModel() as unknown as AnyFeatureModel,
  fm: () => new FactorizationMachineModel() as unknown as AnyFeatureModel,
  'wide-deep': () => new WideDeepModel() as unknown as AnyFeatureModel,
  nfm: () => new NfmModel() as unknown as AnyFeatureModel,
  'dcn-v2': () => new DcnV2Model() as unknown as AnyFeatureModel,
};

for (const name of Object.keys(CREATE)) {
  // A linear model scores user + item terms only: no interaction, so no personalised order.
  describeModelContract(name, CREATE[name], {
    params: SMALL[name],
    personalized: name !== 'lr',
    servesColdUsers: false,
  });
}

describe('feature models: ranking smoke test on the block dataset', () => {
  const data = blockDataset();
  it.each(Object.keys(CREATE).filter((n) => n !== 'lr'))(
    "%s ranks each user's missing in-group item first among unseen items",
    async (name) => {
      const model = CREATE[name]();
      await model.fit(data, SMALL[name]);
      let hits = 0;
      for (let user = 0; user < 24; user++)
        if (model.recommend(user, 1).items[0] === blockMissingItem(user)) hits++;
      expect(hits).toBe(24);
      model.dispose();
    },
  );
});

describe('feature models: training', () => {
  const data = blockDataset();
  const ctr = ctrDataset();
  const split = ctrSplit(ctr, { seed: 5 });
  const ctrData = { dataset: ctr, train: split.train, validation: split.validation };

  it('keeps tf.memory().numTensors flat across epochs and frees everything on dispose', async () => {
    for (const name of ['wide-deep', 'dcn-v2'] as const) {
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      const model = CREATE[name]();
      await model.fitCtr(
        ctrData,
        { ...SMALL[name], epochs: 5, patience: 10 },
        { onProgress: (p) => p.epoch !== undefined && counts.push(tf.memory().numTensors) },
      );
      expect(counts).toHaveLength(5);
      expect(new Set(counts).size).toBe(1);
      // What stays is the network's weights, one tensor each.
      expect(tf.memory().numTensors - before).toBe(model.trainedNetwork.parameters.names().length);
      model.predictCtr(model.ctrRows(ctr, split.test).next().value as FeatureRows);
      model.scoreAll(3);
      expect(tf.memory().numTensors - before).toBe(model.trainedNetwork.parameters.names().length);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('repeats exactly from a seed and differs with another', async () => {
    const fit = async (seed: number) => {
      const m = new WideDeepModel();
      await m.fitCtr(ctrData, { ...SMALL['wide-deep'], epochs: 2, dropout: [0.3, 0.1], seed });
      const scores = m.scoreAll(3);
      m.dispose();
      return scores;
    };
    const a = await fit(5);
    expect(await fit(5)).toEqual(a);
    expect(await fit(6)).not.toEqual(a);
  });

  it('reports loss and validation AUC per epoch, stops early and keeps the best epoch', async () => {
    const progress: FitProgress[] = [];
    const model = new FactorizationMachineModel();
    await model.fitCtr(
      ctrData,
      { ...SMALL.fm, epochs: 40, learningRate: 0.05, patience: 2, ctrValidationMetric: 'auc' },
      { onProgress: (p) => progress.push(p) },
    );
    const epochs = progress.filter((p) => p.epoch !== undefined);
    for (const p of epochs) {
      expect(Number.isFinite(p.loss)).toBe(true);
      expect(p.metric?.name).toBe('auc');
    }
    const result = model.training;
    if (result === null) throw new Error('no training history');
    expect(result.stoppedEarly).toBe(true);
    expect(result.history.length).toBeLessThan(40);
    const best = Math.max(...result.history.map((h) => h.metric?.value ?? 0));
    expect(result.bestMetric).toBe(best);
    expect(result.history[result.bestEpoch - 1].metric?.value).toBe(best);
    // The known answer: liked = own group, so validation rows separate perfectly.
    expect(best).toBe(1);
    const logloss = new FactorizationMachineModel();
    await logloss.fitCtr(ctrData, { ...SMALL.fm, epochs: 2 }); // the default: log loss
    expect(logloss.training?.history[0].metric?.name).toBe('-logloss');
    expect(logloss.training?.history[0].metric?.value).toBeLessThan(0);
    model.dispose();
    logloss.dispose();
  });

  it('learns the labels of held-out ctr rows (test AUC > 0.95 on the known answer; LR cannot, it has no interactions)', async () => {
    for (const name of Object.keys(CREATE).filter((n) => n !== 'lr')) {
      const model = CREATE[name]();
      await model.fitCtr(ctrData, { ...SMALL[name], epochs: 30, learningRate: 0.03, patience: 30 });
      const s = ctrScores(model.ctrRows(ctr, split.test), (rows) => model.predictCtr(rows));
      expect([name, s.auc > 0.95, s.auc]).toEqual([name, true, s.auc]);
      model.dispose();
    }
  });

  it('writes the best weights to a checkpoint folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'feature-ckpt-'));
    const model = new NfmModel({ checkpointDir: path.join(dir, 'best') });
    await model.fitCtr(ctrData, { ...SMALL.nfm, epochs: 2 });
    expect((await readdir(path.join(dir, 'best'))).sort()).toEqual(['checkpoint.json', 'weights.bin']);
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('registers every model, saves model.onnx, and a loaded ctr model scores raw records (unknown → OOV)', async () => {
    for (const name of ['lr', 'fm', 'wide-deep', 'nfm', 'dcn-v2']) {
      expect(isModelName(name)).toBe(true);
      expect(isCtrRecommender(createModel(name))).toBe(true);
    }
    expect(isCtrRecommender(createModel('neumf'))).toBe(false);
    const model = createModel('dcn-v2') as DcnV2Model;
    await model.fitCtr(ctrData, SMALL['dcn-v2']);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'feature-artifact-'));
    await model.save(dir);
    expect(await readdir(dir)).toContain('model.onnx');
    const loaded = (await loadModel(dir)) as DcnV2Model;
    expect(loaded).toBeInstanceOf(DcnV2Model);
    const tfjs = model.scoreAll(4);
    expect(loaded.scoreAll(4)).toEqual(tfjs);
    // Served through ONNX Runtime (what the serving engine attaches when the artifact has model.onnx).
    loaded.useOnnxScorer(await OnnxScorer.fromArtifact(dir));
    expect(loaded.scoringRuntime).toBe('onnx');
    const onnx = loaded.scoreAll(4);
    for (let i = 0; i < onnx.length; i++) expect(Math.abs(onnx[i] - tfjs[i])).toBeLessThan(1e-4);
    const pairs = loaded.score(4, Int32Array.of(7, 2));
    expect(Math.abs(pairs[0] - tfjs[7])).toBeLessThan(1e-4);
    expect(Math.abs(pairs[1] - tfjs[2])).toBeLessThan(1e-4);
    loaded.useOnnxScorer(null);
    expect(loaded.scoringRuntime).toBe('tfjs');

    // Raw records through the saved pipelines: the training records give the stored rows' scores.
    const fitted = model.features().fitted;
    if (fitted === null) throw new Error('no training records');
    const row = { user: fitted.users[4], service: fitted.services[7] };
    expect(loaded.predictRecords([row])[0]).toBeCloseTo(
      model.scorePairs(Int32Array.of(4), Int32Array.of(7))[0],
      6,
    );
    // A stranger: unknown id, category and occupation map to OOV; the score is a probability, no throw.
    const stranger = {
      user: { ...fitted.users[4], id: 'someone-new', occupation: 'astronaut' },
      service: { ...fitted.services[7], id: 'brand-new', categories: ['Quantum'], tags: ['new'] },
    };
    const rows = loaded.features().recordRows([stranger]);
    const schema = loaded.features().schema;
    for (const field of ['user.user_id', 'user.occupation', 'item.item_id'])
      expect([field, rows.categorical[schema.categoricalIndex(field)]]).toEqual([field, 0]);
    expect(rows.dense[schema.denseOffset('item.category=<oov>')]).toBe(1);
    const p = loaded.predictRecords([stranger])[0];
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    model.dispose();
    loaded.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects bad input with clear errors', async () => {
    await expect(new NfmModel().fit(data, { layers: [8, 4], dropout: [0.1] })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringContaining('"dropout" has 1 dropout rates for 2 layers'),
    });
    await expect(
      new WideDeepModel().fit(data, {
        ...SMALL['wide-deep'],
        crosses: [{ a: 'user.shoe_size', b: 'item.item_id' }],
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringContaining('"user.shoe_size" is not'),
    });
    await expect(
      new LogisticRegressionModel().fitCtr({ dataset: ctr, train: [0, ctr.log.length] }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringContaining('is not an index of the log'),
    });
    const clicksOnly = {
      ...data,
      log: { ...data.log, types: new Uint8Array(data.log.length).fill(interactionTypeCode('CLICK')) },
    };
    await expect(
      new LogisticRegressionModel().fitCtr({ dataset: clicksOnly, train: [0, 1, 2] }),
    ).rejects.toMatchObject({ code: 'FIT_FAILED', message: expect.stringContaining('has a label') });
    const model = new LogisticRegressionModel();
    await model.fitCtr(ctrData, { ...SMALL.lr, epochs: 1 });
    const layout = model.trainedNetwork.input.layout;
    const c = layout.cardinalities.length;
    const bad = {
      size: 1,
      dense: new Float32Array(layout.denseWidth),
      categorical: new Int32Array(c).fill(0),
    };
    bad.categorical[0] = layout.cardinalities[0];
    expect(() => model.predictCtr(bad)).toThrow(expect.objectContaining({ code: 'UNKNOWN_ID' }));
    expect(() => model.predictCtr({ ...bad, size: 2 })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    model.dispose();
  });
});
