import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '@recsys/models';
import { JobName, JobProgressSchema, QueueName, type TrainingJobResult } from '@recsys/training';
import { eventually, exited, Harness } from './support/harness';

/** Short locks, so a dead worker's job is taken over within seconds. */
const FAST_STALLS = {
  WORKER_QUEUES: 'training',
  WORKER_LOCK_DURATION_MS: '3000',
  WORKER_STALLED_INTERVAL_MS: '1000',
  LOG_LEVEL: 'info',
};

describe('worker processes: stalled jobs and shutdown', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.create();
  });

  afterAll(async () => {
    await h.close();
  });

  function startedIn(output: string[]): Promise<true> {
    return eventually(
      async () => (output.join('').includes('"worker started"') ? true : undefined),
      30_000,
      'worker start',
    );
  }

  it('a worker killed mid-training: another worker takes the job over and exactly one version is registered', async () => {
    const first = h.spawnWorker({ ...FAST_STALLS, WORKER_ID: 'first' });
    await startedIn(first.output);
    const events = await h.queueEvents(QueueName.TRAINING);
    const job = await h.add(QueueName.TRAINING, JobName.TRAIN, {
      modelType: 'als',
      datasetId: 'ml-100k',
      params: { factors: 32, iterations: 12, threads: 1 },
      placement: 'stalled',
    });
    // Kill it (no chance to clean up) once it is training.
    await new Promise<void>((resolve) => {
      const onProgress = ({ jobId, data }: { jobId: string; data: unknown }): void => {
        const progress = JobProgressSchema.safeParse(data);
        if (
          jobId === job.id &&
          progress.success &&
          progress.data.epoch !== undefined &&
          progress.data.epoch >= 2
        ) {
          events.off('progress', onProgress);
          resolve();
        }
      };
      events.on('progress', onProgress);
    });
    first.child.kill('SIGKILL');
    expect((await exited(first.child)).signal).toBe('SIGKILL');
    expect(await h.registry.list({ placement: 'stalled' })).toHaveLength(0);

    const second = h.spawnWorker({ ...FAST_STALLS, WORKER_ID: 'second' });
    const result = (await h.waitFor(job, QueueName.TRAINING, 120_000)) as TrainingJobResult;
    expect(result).toMatchObject({ workerId: 'second', reused: false });
    expect(second.output.join('')).toContain('job stalled');

    const versions = await h.registry.list({ placement: 'stalled' });
    expect(versions.map((v) => v.id)).toEqual([result.versionId]);
    const finished = await h.queue(QueueName.TRAINING).getJob(job.id ?? '');
    expect(finished?.stalledCounter).toBe(1);
    // The artifact is whole (the store copies it in atomically) and the only one of its type here.
    const model = await loadModel(fileURLToPath(versions[0].artifactUri));
    expect(model.info.name).toBe('als');
    const artifacts = await readdir(path.join(h.workDir, 'artifacts', 'als'));
    expect(artifacts).toEqual([path.basename(fileURLToPath(versions[0].artifactUri))]);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toEqual({ code: 0, signal: null });
  });

  it('SIGTERM lets the active job finish, then the process exits 0', async () => {
    const worker = h.spawnWorker({ ...FAST_STALLS, WORKER_ID: 'graceful' });
    await startedIn(worker.output);
    const events = await h.queueEvents(QueueName.TRAINING);
    const job = await h.add(QueueName.TRAINING, JobName.TRAIN, {
      modelType: 'item-knn',
      datasetId: 'ml-100k',
      placement: 'graceful',
    });
    await new Promise<void>((resolve) => {
      const onActive = ({ jobId }: { jobId: string }): void => {
        if (jobId === job.id) {
          events.off('active', onActive);
          resolve();
        }
      };
      events.on('active', onActive);
    });
    worker.child.kill('SIGTERM');
    const result = (await h.waitFor(job, QueueName.TRAINING)) as TrainingJobResult;
    expect(result.workerId).toBe('graceful');
    expect(await exited(worker.child)).toEqual({ code: 0, signal: null });
    expect(worker.output.join('')).toContain('"closed"');
  });
});
