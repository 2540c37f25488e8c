import { fileURLToPath } from 'node:url';
import { createArtifactStore } from '@recsys/registry';
import { EmbeddedTracker } from '@recsys/tracking';
import { loadModel } from '@recsys/models';
import { JobName, QueueName, type TrainingJobResult } from '@recsys/training';
import { Harness } from './support/harness';

/*
 * The training-gpu queue trains a deep model end to end (NeuMF on MovieLens 100K, small and one epoch)
 * and records the TF.js backend it ran on and the batch size it used with the job's result and its
 * tracked run. On this CPU machine the backend is the best one present (wasm), or TFJS_BACKEND's.
 */
describe('deep models on the training-gpu queue', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.create();
    await h.startWorker({ WORKER_QUEUES: QueueName.TRAINING_GPU });
  });

  afterAll(async () => {
    await h.close();
  });

  it('trains NeuMF and records its backend and batch size', async () => {
    const job = await h.add(QueueName.TRAINING_GPU, JobName.TRAIN, {
      modelType: 'neumf',
      datasetId: 'ml-100k',
      params: {
        gmfDim: 8,
        mlpEmbeddingDim: 8,
        mlpLayers: [16, 8],
        dropout: [0, 0],
        epochs: 1,
        learningRate: 0.005,
        validation: false,
      },
      protocol: 'holdout',
      placement: 'gpu',
      actor: 'test',
    });
    const result = (await h.waitFor(job, QueueName.TRAINING_GPU, 240_000)) as TrainingJobResult;
    // No batchSize parameter: the default of a CPU backend (DEFAULT_BATCH_SIZE.cpu).
    expect(result).toMatchObject({ modelType: 'neumf', stage: 'CANDIDATE', batchSize: 2048, reused: false });
    expect(result.backend).toMatch(/^tfjs-(wasm|cpu|node|webgpu|node-gpu)$/);

    const [version] = await h.registry.list({ placement: 'gpu' });
    expect(version.id).toBe(result.versionId);
    const model = await loadModel(fileURLToPath(version.artifactUri));
    expect(model.info.name).toBe('neumf');

    const tracker = new EmbeddedTracker({ prisma: h.prisma, store: createArtifactStore(h.env()) });
    const run = await tracker.getRun(result.trackingRunId ?? '');
    expect(run).toMatchObject({
      status: 'FINISHED',
      params: { 'runtime.backend': result.backend, 'runtime.batchSize': '2048', gmfDim: '8' },
      tags: { backend: result.backend, versionId: version.id },
    });
  }, 300_000);
});
