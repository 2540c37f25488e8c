import { fileURLToPath } from 'node:url';
import { loadModel } from '@recsys/models';
import { createArtifactStore } from '@recsys/registry';
import { EmbeddedTracker } from '@recsys/tracking';
import {
  JobName,
  JobProgressSchema,
  QueueName,
  type EvaluationJobResult,
  type JobProgress,
  type TrainingJobResult,
} from '@recsys/training';
import { eventually, Harness } from './support/harness';

describe('training and evaluation jobs', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.create();
    await h.startWorker();
  });

  afterAll(async () => {
    await h.close();
  });

  it('trains end to end: one CANDIDATE version with metrics, a loadable artifact, progress and a tracked run', async () => {
    const progressByJob = new Map<string, JobProgress[]>();
    const events = await h.queueEvents(QueueName.TRAINING);
    events.on('progress', ({ jobId, data }) => {
      progressByJob.set(jobId, [...(progressByJob.get(jobId) ?? []), JobProgressSchema.parse(data)]);
    });
    const job = await h.add(QueueName.TRAINING, JobName.TRAIN, {
      modelType: 'als',
      datasetId: 'ml-100k',
      params: { factors: 16, iterations: 4, threads: 1 },
      protocol: 'holdout',
      placement: 'e2e',
      actor: 'test',
    });
    const result = (await h.waitFor(job, QueueName.TRAINING)) as TrainingJobResult;
    const progress = progressByJob.get(job.id ?? '') ?? [];
    expect(result).toMatchObject({
      modelType: 'als',
      stage: 'CANDIDATE',
      placement: 'e2e',
      backend: 'cpu',
      reused: false,
    });

    const versions = await h.registry.list({ placement: 'e2e' });
    expect(versions).toHaveLength(1);
    const [version] = versions;
    expect(version).toMatchObject({
      id: result.versionId,
      stage: 'CANDIDATE',
      datasetId: 'ml-100k',
      protocol: 'holdout',
    });
    expect(version.sourceJobId).toMatch(new RegExp(`^${h.prefix}:training:${job.id}@\\d+$`));
    expect(version.metrics['ndcg@10']).toBeGreaterThan(0.2);
    expect(version.params).toMatchObject({ factors: 16, iterations: 4 });

    const model = await loadModel(fileURLToPath(version.artifactUri));
    expect(model.info.name).toBe('als');
    expect(model.recommend(0, 10).items).toHaveLength(10);

    // Progress: every phase in order, with the final fit's epochs and losses.
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['load', 'evaluate', 'fit', 'save', 'register', 'track']);
    const epochs = progress.filter((p) => p.phase === 'fit' && p.epoch !== undefined);
    expect(epochs.map((p) => p.epoch)).toEqual([1, 2, 3, 4]);
    expect(epochs.every((p) => typeof p.loss === 'number' && p.epochs === 4)).toBe(true);

    // Tracked: parameters, metrics (tracker-safe keys), the loss history and the artifact.
    const tracker = new EmbeddedTracker({ prisma: h.prisma, store: createArtifactStore(h.env()) });
    expect(version.trackingRunId).toBe(result.trackingRunId);
    const run = await tracker.getRun(version.trackingRunId ?? '');
    expect(run).toMatchObject({
      status: 'FINISHED',
      params: { factors: '16', protocol: 'holdout', 'protocol.k': '10', datasetId: 'ml-100k' },
      tags: { sourceJobId: version.sourceJobId, backend: 'cpu', versionId: version.id },
    });
    expect(run?.metrics.ndcg_at_10).toBeCloseTo(version.metrics['ndcg@10'], 10);
    expect((await tracker.metricHistory(run?.id ?? '', 'loss')).map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect((await tracker.listArtifacts(run?.id ?? '')).map((a) => a.path)).toEqual(['model']);
  });

  it('a retried job whose version is registered returns it without training again', async () => {
    const job = await h.add(QueueName.TRAINING, JobName.TRAIN, {
      modelType: 'popularity',
      datasetId: 'ml-100k',
      placement: 'retry',
    });
    const first = (await h.waitFor(job, QueueName.TRAINING)) as TrainingJobResult;
    // Run the very same job again (same id and timestamp), as BullMQ does after a stall or a failure.
    await job.retry('completed');
    const again = await eventually(async () => {
      const fresh = await h.queue(QueueName.TRAINING).getJob(job.id ?? '');
      return fresh?.finishedOn && fresh.returnvalue && fresh.attemptsStarted > 1
        ? (fresh.returnvalue as TrainingJobResult)
        : undefined;
    });
    expect(again).toMatchObject({ versionId: first.versionId, reused: true });
    expect(await h.registry.list({ placement: 'retry' })).toHaveLength(1);
  });

  it('evaluates a model type, and a registered version with its own parameters', async () => {
    const byType = await h.add(QueueName.EVALUATION, JobName.EVALUATE, {
      modelType: 'item-knn',
      datasetId: 'ml-100k',
      protocol: 'holdout',
    });
    const typeResult = (await h.waitFor(byType, QueueName.EVALUATION)) as EvaluationJobResult;
    expect(typeResult).toMatchObject({
      modelType: 'item-knn',
      versionId: null,
      protocol: 'holdout',
      folds: 1,
    });
    expect(typeResult.metrics['ndcg@10']).toBeGreaterThan(0.3);

    const [version] = await h.registry.list({ placement: 'e2e' });
    const byVersion = await h.add(QueueName.EVALUATION, JobName.EVALUATE, {
      versionId: version.id,
      protocol: 'loo-sampled',
    });
    const versionResult = (await h.waitFor(byVersion, QueueName.EVALUATION)) as EvaluationJobResult;
    expect(versionResult).toMatchObject({ modelType: 'als', versionId: version.id, datasetId: 'ml-100k' });
    expect(versionResult.params).toMatchObject({ factors: 16, iterations: 4 });
    expect(versionResult.metrics['hit@10']).toBeGreaterThan(0);
  });
});
