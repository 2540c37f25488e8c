import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NeuMfModel } from '@recsys/deep';
import { createPrismaClient, type PrismaClient } from '@recsys/db';
import { loadModel } from '@recsys/models';
import { LocalArtifactStore, ModelRegistry, type ModelVersionRecord } from '@recsys/registry';
import { Rng } from '@recsys/data';
import { createInferenceEngine, directoryModelSource, registryModelSource, type ModelRef } from '../src';
import { EventSink } from '../src/events';
import { silentLogger } from '../src/logger';
import { ActiveModels } from '../src/models/active-models';
import { loadServedModel, type ServedModel } from '../src/models/served-model';
import { DATASET, ml100kDatabase, ModelDirs, trainAls, type Ml100kDatabase } from './support/fixture';

/*
 * Model versions served through ONNX Runtime: a NeuMF registered in the real registry is loaded with
 * its model.onnx and ranks through the engine exactly as its TensorFlow.js model does (within 1e-4);
 * versions asked for by id are loaded on demand and kept in a small LRU.
 */

let data: Ml100kDatabase;
let prisma: PrismaClient;
let storeDir: string;
let registry: ModelRegistry;
let store: LocalArtifactStore;
const dirs = new ModelDirs();
let neumfRef: ModelRef;
let alsRef: ModelRef;
let neumfVersion: ModelVersionRecord;
/** The same NeuMF artifact without model.onnx: served by TensorFlow.js. */
let tfjsDir: string;

/** A small NeuMF, one epoch: the comparison needs trained weights, not a good model. */
async function trainNeuMf(): Promise<NeuMfModel> {
  return new NeuMfModel({ logger: { info: () => undefined, warn: () => undefined } }).fit(data.dataset, {
    gmfDim: 8,
    mlpEmbeddingDim: 8,
    mlpLayers: [16, 8],
    dropout: [0.2, 0],
    epochs: 1,
    batchSize: 4096,
    learningRate: 0.005,
    validation: false,
  });
}

const register = (modelType: string, dir: string): Promise<ModelVersionRecord> =>
  registry.register({
    modelType,
    datasetId: DATASET,
    dataFingerprint: 'f'.repeat(64),
    params: {},
    metrics: {},
    artifactDir: dir,
  });

function source() {
  return registryModelSource(registry, store, path.join(storeDir, 'cache'), { datasetId: DATASET });
}

beforeAll(async () => {
  data = await ml100kDatabase();
  prisma = createPrismaClient(data.db.url);
  storeDir = await mkdtemp(path.join(os.tmpdir(), 'recsys-onnx-serving-'));
  store = new LocalArtifactStore(path.join(storeDir, 'store'));
  registry = new ModelRegistry({ prisma, store, logger: { warn: () => undefined } });
  const neumf = await trainNeuMf();
  neumfRef = await dirs.save(neumf, 'neumf', 'neumf@1');
  neumf.dispose();
  alsRef = await dirs.save(await trainAls(data.dataset), 'als', 'als@1');
  tfjsDir = path.join(storeDir, 'neumf-tfjs');
  await cp(neumfRef.dir, tfjsDir, { recursive: true, filter: (f) => path.basename(f) !== 'model.onnx' });
  neumfVersion = await register('neumf', neumfRef.dir);
  await registry.setStage(neumfVersion.id, 'PRODUCTION', { actor: 'test' });
}, 180_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await dirs.removeAll();
  if (storeDir) await rm(storeDir, { recursive: true, force: true });
  await data?.db.drop();
});

describe('a NeuMF version with model.onnx', () => {
  it('is loaded from the registry onto ONNX Runtime and scores as TF.js does within 1e-4', async () => {
    const models = new ActiveModels(source(), new EventSink(), silentLogger);
    await models.refreshAll();
    const served = models.get('home') as ServedModel;
    expect(served.label).toBe('neumf@1');
    expect(served.runtime).toBe('onnx');
    const tfjs = (await loadModel(tfjsDir)) as NeuMfModel;
    expect(tfjs.scoringRuntime).toBe('tfjs');
    const rng = new Rng(5);
    let worst = 0;
    let compared = 0;
    for (let k = 0; k < 40; k++) {
      const user = rng.int(data.dataset.users.size);
      if (!served.model.knowsUser(user)) continue;
      const items = Int32Array.from({ length: 60 }, () => rng.int(data.dataset.items.size));
      const a = served.model.score(user, items);
      const b = tfjs.score(user, items);
      for (let j = 0; j < items.length; j++) worst = Math.max(worst, Math.abs(a[j] - b[j]));
      compared += items.length;
    }
    expect(compared).toBeGreaterThan(1000);
    expect(worst).toBeLessThan(1e-4);
    // recommend() runs on the ONNX scores too (seen items excluded by the model layer).
    const u = 10;
    expect(Array.from(served.model.recommend(u, 20).items)).toEqual(Array.from(tfjs.recommend(u, 20).items));
    tfjs.dispose();
  });

  it("ranks the engine's recommendations as the TF.js model does", async () => {
    const onnx = await createInferenceEngine({
      pool: data.db.pool,
      datasetId: DATASET,
      modelSource: source(),
    });
    const tfjsRef: ModelRef = { versionId: 'neumf-tfjs', versionLabel: 'neumf@1', dir: tfjsDir };
    const tfjs = await createInferenceEngine({
      pool: data.db.pool,
      datasetId: DATASET,
      modelSource: directoryModelSource({ home: tfjsRef }),
    });
    try {
      for (const userId of ['1', '42', '196', '500', '900']) {
        const a = await onnx.recommend({ userId, limit: 10 });
        const b = await tfjs.recommend({ userId, limit: 10 });
        expect(a.modelVersion).toBe('neumf@1');
        expect(a.coldStart).toBe(false);
        expect(a.items.map((i) => i.serviceId)).toEqual(b.items.map((i) => i.serviceId));
        a.items.forEach((item, r) => expect(Math.abs(item.score - b.items[r].score)).toBeLessThan(1e-4));
      }
    } finally {
      await onnx.close();
      await tfjs.close();
    }
  });

  it('falls back to the TF.js model when model.onnx cannot be opened', async () => {
    const broken = path.join(storeDir, 'neumf-broken-onnx');
    await cp(tfjsDir, broken, { recursive: true });
    await writeFile(path.join(broken, 'model.onnx'), 'not an onnx graph');
    const warnings: string[] = [];
    const served = await loadServedModel(
      { versionId: 'x', versionLabel: 'neumf@9', dir: broken },
      { logger: { ...silentLogger, warn: (_o, msg) => warnings.push(msg ?? '') } },
    );
    expect(served.runtime).toBe('model');
    expect(warnings).toEqual(["model.onnx is not usable; serving the model's own scoring"]);
    expect(served.model.score(1, Int32Array.from([0, 1, 2]))).toHaveLength(3);
    (served.model as NeuMfModel).dispose();
  });
});

describe('versions by id (experiment variants)', () => {
  it('loads a version on demand, shares loads, keeps an LRU and frees what it evicts', async () => {
    const als = await register('als', alsRef.dir); // a CANDIDATE: never in production
    const neumf2 = await register('neumf', neumfRef.dir);
    const loads: string[] = [];
    const events: string[] = [];
    const models = new ActiveModels(
      source(),
      new EventSink((e) => events.push(e.type)),
      silentLogger,
      (ref) => {
        loads.push(ref.versionId);
        return loadServedModel(ref);
      },
      { versionCacheSize: 1, retireAfterMs: 10, versionRetryMs: 60_000 },
    );
    await models.refreshAll();
    expect(loads).toEqual([neumfVersion.id]); // production, once for the three placements

    // The production copy is what a request by its id gets: nothing is loaded again.
    expect(await models.version(neumfVersion.id)).toBe(models.get('home'));

    const [a, b] = await Promise.all([models.version(als.id), models.version(als.id)]);
    expect(a).not.toBeNull();
    expect(b).toBe(a);
    expect((a as ServedModel).label).toBe(`als@${als.version}`);
    expect((a as ServedModel).runtime).toBe('model');
    expect(await models.version(als.id)).toBe(a);
    expect(loads.filter((id) => id === als.id)).toHaveLength(1);

    // A second version evicts the first (cache of one); the evicted NeuMF is freed after retireAfterMs.
    const second = (await models.version(neumf2.id)) as ServedModel;
    expect(second.runtime).toBe('onnx');
    expect(models.cachedVersions()).toEqual([neumf2.id]);
    await models.version(als.id); // loaded again, evicting neumf2
    expect(loads.filter((id) => id === als.id)).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(() => second.model.score(1, Int32Array.from([0]))).toThrow(/call fit\(\) or load\(\) first/);
    // The production model is untouched.
    expect((models.get('home') as ServedModel).model.score(1, Int32Array.from([0]))).toHaveLength(1);

    // Unknown ids answer null, and are not looked up again before versionRetryMs.
    const before = loads.length;
    expect(await models.version('00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(await models.version('no-such-version')).toBeNull();
    expect(loads).toHaveLength(before);
    expect(events.filter((t) => t === 'model-load-failed')).toEqual([]);
  });

  it('reports a version that fails to load and answers null', async () => {
    const source = directoryModelSource();
    source.addVersion({ versionId: 'gone', versionLabel: 'als@7', dir: path.join(storeDir, 'missing') });
    const events: string[] = [];
    const models = new ActiveModels(source, new EventSink((e) => events.push(e.type)), silentLogger);
    expect(await models.version('gone')).toBeNull();
    expect(events).toEqual(['model-load-failed']);
    expect(await models.version('gone')).toBeNull(); // within versionRetryMs: not tried again
    expect(events).toEqual(['model-load-failed']);
  });
});
