import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { datasetFingerprint, type InteractionDataset } from '@recsys/data';
import { createPrismaClient, createTestDatabase, type PrismaClient, type TestDatabase } from '@recsys/db';
import { createModel, loadModel, readManifest } from '@recsys/models';
import { LocalArtifactStore, ModelRegistry } from '@recsys/registry';
import { loadDataset, trainAndRegister, type TrainAndRegisterProgress } from '../src';

describe('trainAndRegister on MovieLens 100K', () => {
  let ml: InteractionDataset;
  let db: TestDatabase;
  let prisma: PrismaClient;
  let work: string;
  let registry: ModelRegistry;

  beforeAll(async () => {
    ml = await loadDataset('ml-100k');
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    work = await mkdtemp(path.join(os.tmpdir(), 'recsys-train-register-'));
    registry = new ModelRegistry({ prisma, store: new LocalArtifactStore(path.join(work, 'artifacts')) });
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('registers one CANDIDATE whose artifact loads and scores like the trained model', async () => {
    const workDir = path.join(work, 'tmp');
    const phases = new Set<TrainAndRegisterProgress['phase']>();
    const params = { neighbors: 40 };
    const record = await trainAndRegister({
      dataset: ml,
      datasetId: 'ml-100k',
      modelType: 'item-knn',
      params,
      registry,
      workDir,
      actor: 'test-trainer',
      sourceJobId: 'job-1',
      onProgress: (p) => phases.add(p.phase),
    });

    const all = await registry.list();
    expect(all).toHaveLength(1);
    expect(all[0]).toEqual(record);
    expect(record).toMatchObject({
      modelType: 'item-knn',
      version: 1,
      placement: 'home',
      stage: 'CANDIDATE',
      datasetId: 'ml-100k',
      protocol: 'holdout',
      createdBy: 'test-trainer',
      dataFingerprint: datasetFingerprint(ml),
    });
    expect(record.params).toMatchObject(params);
    expect(record.metrics['ndcg@10']).toBeGreaterThan(0.1);
    expect(phases).toEqual(new Set(['evaluate', 'fit', 'save', 'register']));
    // The temporary artifact is gone; the store holds the registered copy.
    expect(await readdir(workDir)).toEqual([]);

    const dir = await registry.fetchArtifact(record, path.join(work, 'cache'));
    // The artifact carries the same metrics. Prisma writes JSON numbers with 16 significant digits, so the
    // registry's copy can differ from the manifest's in the 17th.
    const saved = (await readManifest(dir)).metrics;
    expect(Object.keys(saved).sort()).toEqual(Object.keys(record.metrics).sort());
    for (const [key, value] of Object.entries(saved)) expect(record.metrics[key]).toBeCloseTo(value, 12);
    const loaded = await loadModel(dir);
    // Item-KNN is deterministic: a model fitted here on all data is the one the pipeline fitted.
    const trained = await createModel('item-knn').fit(ml, params);
    for (const user of [0, 1, 42, 500, ml.users.size - 1]) {
      expect(loaded.scoreAll(user)).toEqual(trained.scoreAll(user));
      expect(loaded.recommend(user, 10)).toEqual(trained.recommend(user, 10));
    }
  });

  it('returns the version a retried job already registered, without training again', async () => {
    const phases: string[] = [];
    const again = await trainAndRegister({
      dataset: ml,
      datasetId: 'ml-100k',
      modelType: 'item-knn',
      registry,
      workDir: path.join(work, 'retry'),
      actor: 'test-trainer',
      sourceJobId: 'job-1',
      onProgress: (p) => phases.push(p.phase),
    });
    expect(again.sourceJobId).toBe('job-1');
    expect(again.version).toBe(1);
    expect(phases).toEqual([]);
    expect(await registry.list()).toHaveLength(1);
  });

  it('registers nothing and leaves no temporary folder when aborted', async () => {
    const workDir = path.join(work, 'aborted');
    // Aborted while the artifact is being saved: after the temporary folder exists, before registering.
    const controller = new AbortController();
    await expect(
      trainAndRegister({
        dataset: ml,
        datasetId: 'ml-100k',
        modelType: 'popularity',
        registry,
        workDir,
        actor: 'test-trainer',
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'save') controller.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await registry.list({ modelType: 'popularity' })).toEqual([]);
    expect(await readdir(workDir)).toEqual([]);
  });
});
